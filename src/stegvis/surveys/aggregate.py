"""Pre-aggregated survey figures (``SurveyTally``, ``SurveyFigure``), so result pages never count
answers: refreshed per survey by ``refresh`` (on close, and by the scheduled job every 30 s for
the surveys whose responses changed, ``refresh_changed``). A submission writes no aggregate
row, so many submissions at once never wait for one another."""

from collections import defaultdict

from django.db import connections, router, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from stegvis.frameworks.models import SurveyQuestion

from .models import Response, Survey, SurveyFigure, SurveyTally

# The scale answers of a survey's responses counted per unit, group code, question and step, in
# the database: each response's ``scale_answers`` ({"<question id>": step}) unnested.
_COUNT_SQL = {
    "postgresql": (
        "SELECT r.unit_id, r.code, a.key, a.value, count(*) FROM {table} r"
        " CROSS JOIN LATERAL jsonb_each_text(r.scale_answers) a WHERE r.survey_id = %s GROUP BY 1, 2, 3, 4"
    ),
    "sqlite": (
        "SELECT r.unit_id, r.code, a.key, a.value, count(*) FROM {table} r, json_each(r.scale_answers) a"
        " WHERE r.survey_id = %s GROUP BY 1, 2, 3, 4"
    ),
}


def counted_answers(survey):
    """[(unit id, code, question id, step, n)]: the survey's scale answers counted (one query)."""
    conn = connections[router.db_for_read(Response)]
    sql = _COUNT_SQL.get(conn.vendor)
    if sql is None:  # another database: count in Python
        counts = defaultdict(int)
        for unit_id, code, scale in Response.objects.filter(survey=survey).values_list(
            "unit_id", "code", "scale_answers"
        ):
            for qid, value in scale.items():
                counts[(unit_id, code, int(qid), int(value))] += 1
        return [(*key, n) for key, n in counts.items()]
    with conn.cursor() as cursor:
        cursor.execute(sql.format(table=conn.ops.quote_name(Response._meta.db_table)), [survey.pk])
        return [(u, c, int(q), int(v), n) for u, c, q, v, n in cursor.fetchall()]


def refresh(*, survey):
    """Recompute a survey's tallies and figures from its responses.

    Side effects: replaces the survey's SurveyTally and SurveyFigure rows; sets refreshed_at
    and refreshed_count. Three reads (responses, scale answers counted, question scales), four
    writes.
    """
    tallies = list(
        Response.objects.filter(survey=survey).values_list("unit_id", "code").annotate(n=Count("id")).order_by()
    )
    cells = defaultdict(lambda: [0, 0, 0])  # answered, positive, don't know
    grouped = counted_answers(survey)
    question_ids = {r[2] for r in grouped}
    positive_from = {
        q.pk: q.positive_from for q in SurveyQuestion.objects.filter(pk__in=question_ids).only("pk", "scale")
    }
    for unit_id, code, qid, value, n in grouped:
        if qid not in positive_from:  # not a question of the framework (never written by the pages)
            continue
        cell = cells[(unit_id, code, qid)]
        if value == Response.DONT_KNOW:
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
