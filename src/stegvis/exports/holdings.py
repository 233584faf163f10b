"""What the exports room holds about a person: the export jobs they started and their files
(registered in ``ready``; docs/privacy.md). Erasing deletes them: a file made for one person is theirs."""

from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from . import domain
from .models import ExportJob


def export_jobs(*, user, organizer):
    rows = ExportJob.objects.filter(organizer=organizer, user=user).order_by("created_at")
    return [{"export": j.kind, "status": j.status, "asked": when(j.created_at)} for j in rows]


def erase_jobs(*, user, organizer):
    domain.delete_user_jobs(organizer=organizer, user=user)


EXPORTS_COLUMNS = (
    ("export", _("Export")),
    ("status", _("Status")),
    ("asked", _("Asked for")),
)


HOLDERS = [
    Holder(
        key="exports",
        columns=EXPORTS_COLUMNS,
        label=_("Exports asked for"),
        export=export_jobs,
        erase=erase_jobs,
        order=60,
    )
]
