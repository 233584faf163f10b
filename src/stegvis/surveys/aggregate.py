"""Pre-aggregated survey figures (``SurveyTally``, ``SurveyFigure``), so result pages never count
answers: refreshed per survey by ``refresh`` (on close, and by the scheduled job every 30 s for
the surveys whose responses changed, ``refresh_changed``). A submission writes no aggregate
row, so many submissions at once never wait for one another."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from stegvis.frameworks.models import SurveyQuestion

from .models import Answer, Response, Survey, SurveyFigure, SurveyTally


def refresh(*, survey):
    """Recompute a survey's tallies and figures from its responses.

    Side effects: replaces the survey's SurveyTally and SurveyFigure rows; sets refreshed_at
    and refreshed_count. Three reads (responses, answers grouped, question scales), four writes.
    """
    tallies = list(
        Response.objects.filter(survey=survey).values_list("unit_id", "code").annotate(n=Count("id")).order_by()
    )
    rows = (
        Answer.objects.filter(response__survey=survey, value__isnull=False)
        .values_list("response__unit_id", "response__code", "question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells = defaultdict(lambda: [0, 0, 0])  # answered, positive, don't know
    grouped = list(rows)
    question_ids = {r[2] for r in grouped}
    positive_from = {
        q.pk: q.positive_from for q in SurveyQuestion.objects.filter(pk__in=question_ids).only("pk", "scale")
    }
    for unit_id, code, qid, value, n in grouped:
        cell = cells[(unit_id, code, qid)]
        if value == Answer.DONT_KNOW:
            cell[2] += n
        else:
            cell[0] += n
            if value >= positive_from[qid]:
                cell[1] += n
    total = sum(n for _u, _c, n in tallies)
    with transaction.atomic():
        SurveyTally.objects.filter(survey=survey).delete()
        SurveyFigure.objects.filter(survey=survey).delete()
        SurveyTally.objects.bulk_create(
            SurveyTally(organizer_id=survey.organizer_id, survey=survey, unit_id=u, code=c, responses=n)
            for u, c, n in tallies
        )
        SurveyFigure.objects.bulk_create(
            (
                SurveyFigure(
                    organizer_id=survey.organizer_id,
                    survey=survey,
                    unit_id=u,
                    code=c,
                    question_id=q,
                    answered=a,
                    positive=p,
                    dont_know=d,
                )
                for (u, c, q), (a, p, d) in cells.items()
            ),
            batch_size=2000,
        )
        now = timezone.now()
        Survey.objects.filter(pk=survey.pk).update(refreshed_at=now, refreshed_count=total)
        survey.refreshed_at, survey.refreshed_count = now, total
    return total


def refresh_changed(*, now=None):
    """Refresh the surveys that were still open at their last refresh (responses may have come
    since) and whose number of responses differs from the one the figures rest on, or that have
    closed since. A survey refreshed after it closed is final and never read again.
    Returns the number refreshed."""
    now = now or timezone.now()
    live = Survey.objects.filter(
        Q(refreshed_at__isnull=True)
        | (Q(refreshed_at__lt=F("closes_at")) & (Q(closed_at__isnull=True) | Q(refreshed_at__lt=F("closed_at"))))
    ).annotate(n=Count("responses"))
    done = 0
    for survey in live:
        if survey.n != survey.refreshed_count or survey.refreshed_at is None or survey.state_at(now) == "closed":
            refresh(survey=survey)
            done += 1
    return done
