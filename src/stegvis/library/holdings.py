"""What the library holds about a person: the examples they shared (as their uploader;
registered in ``ready``; docs/privacy.md). Erasing keeps the examples (they are the organiser's
library) and makes who shared them anonymous."""

from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import Example


def export_examples(*, user, organizer):
    rows = Example.objects.filter(organizer=organizer, created_by=user).order_by("created_at", "id")
    return [
        {
            "title": e.title,
            "kind": e.get_kind_display(),
            "file": e.filename,
            "link": e.url,
            "shared_with_every_organiser": e.shared,
            "shared": when(e.created_at),
        }
        for e in rows
    ]


def erase_examples(*, user, organizer):
    Example.objects.filter(organizer=organizer, created_by=user).update(created_by=None)


COLUMNS = (
    ("title", _("Title")),
    ("kind", _("Kind")),
    ("file", _("File")),
    ("link", _("Link")),
    ("shared_with_every_organiser", _("Shared with every organiser")),
    ("shared", _("Shared")),
)

HOLDERS = [
    Holder(
        key="library_examples",
        columns=COLUMNS,
        label=_("Examples shared in the library"),
        export=export_examples,
        erase=erase_examples,
        order=40,
    ),
]
