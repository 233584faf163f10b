"""The surveys room's retention rule (docs/privacy.md): free-text answers are blanked a while
after their survey ended. Survey answers are anonymous, so the room declares no personal-data
holder: there is nothing to export or erase for a person; free text may still name someone,
which is why it is not kept for ever."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import RetentionRule

from .models import Answer


def purge_free_text(*, organizer, before):
    """Blank the free-text answers of the organiser's surveys that ended before ``before``
    (closed early, or past their closing time); the answer rows stay, so counts do not change."""
    ended = Q(response__survey__closed_at__lt=before) | Q(
        response__survey__closed_at__isnull=True, response__survey__closes_at__lt=before
    )
    return Answer.objects.filter(organizer=organizer).exclude(text="").filter(ended).update(text="")


RETENTION = [
    RetentionRule(
        key="survey_free_text",
        label=_("Free-text answers of surveys, after the survey ended"),
        default_months=24,
        minimum_months=1,
        purge=purge_free_text,
        why=_("Two years: long enough to read them again at the next round; they may name people."),
    )
]
