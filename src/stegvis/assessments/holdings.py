"""What the assessments room holds about a person: the assessments they started or published
and the answers they saved last (registered in ``ready``; docs/privacy.md). Erasing keeps the
assessments (they are the unit's) and makes their authorship anonymous."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import Answer, Assessment


def export_assessments(*, user, organizer):
    rows = (
        Assessment.objects.filter(organizer=organizer)
        .filter(Q(created_by=user) | Q(published_by=user))
        .select_related("unit", "round")
        .order_by("created_at", "id")
    )
    return [
        {
            "unit": a.unit.name,
            "round": a.round.name,
            "perspective": a.get_perspective_display(),
            "version": a.version,
            "started_by_the_person": a.created_by_id == user.pk,
            "published_by_the_person": a.published_by_id == user.pk,
            "started": when(a.created_at),
            "published": when(a.published_at),
        }
        for a in rows
    ]


def export_answers(*, user, organizer):
    rows = (
        Answer.objects.filter(organizer=organizer, updated_by=user)
        .order_by("assessment__round__opens_on", "assessment__unit__name", "indicator__code")
        .values_list(
            "assessment__unit__name",
            "assessment__round__name",
            "assessment__version",
            "indicator__code",
            "level",
            "not_relevant",
            "comment",
            "updated_at",
        )
    )
    return [
        {
            "unit": unit,
            "round": round_name,
            "version": version,
            "indicator": code,
            "level": level,
            "not_relevant": not_relevant,
            "comment": comment,
            "saved": when(saved),
        }
        for unit, round_name, version, code, level, not_relevant, comment, saved in rows
    ]


def erase_authorship(*, user, organizer):
    Assessment.objects.filter(organizer=organizer, created_by=user).update(created_by=None)
    Assessment.objects.filter(organizer=organizer, published_by=user).update(published_by=None)
    Answer.objects.filter(organizer=organizer, updated_by=user).update(updated_by=None)


ASSESSMENTS_COLUMNS = (
    ("unit", _("Unit")),
    ("round", _("Round")),
    ("perspective", _("Perspective")),
    ("version", _("Version")),
    ("started_by_the_person", _("Started by the person")),
    ("published_by_the_person", _("Published by the person")),
    ("started", _("Started")),
    ("published", _("Published")),
)


ANSWERS_COLUMNS = (
    ("unit", _("Unit")),
    ("round", _("Round")),
    ("version", _("Version")),
    ("indicator", _("Indicator")),
    ("level", _("Level")),
    ("not_relevant", _("Not relevant")),
    ("comment", _("Comment")),
    ("saved", _("Saved")),
)


HOLDERS = [
    Holder(
        key="assessments",
        columns=ASSESSMENTS_COLUMNS,
        label=_("Assessments started or published"),
        export=export_assessments,
        erase=erase_authorship,
        order=20,
    ),
    Holder(
        key="answers",
        columns=ANSWERS_COLUMNS,
        label=_("Answers saved last"),
        export=export_answers,
        erase=lambda **kw: None,
        order=21,
    ),
]
