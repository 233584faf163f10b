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


def _step_sql(vendor, qid):
    """SQL for the step a response gave question ``qid`` (NULL when unanswered), or None."""
    qid = int(qid)  # an integer: nothing else reaches the SQL text
    if vendor == "postgresql":
        return f"(r.scale_answers ->> '{qid}')::int"
    if vendor == "sqlite":
        return f"json_extract(r.scale_answers, '$.\"{qid}\"')"
    return None


def counted(survey, positive_from):
    """The survey's responses and scale answers counted per unit and group code, in one pass
    over the response rows: ``[(unit id, code, responses, {question id: (answered, positive,
    don't know)})]``, ``positive_from`` being ``{question id: lowest positive step}``. One
    query (three filtered counts per question, no unnesting of the answers); on a database
    without JSON operators the rows are counted in Python."""
    conn = connections[router.db_for_read(Response)]
    qids = sorted(positive_from)
    steps = [_step_sql(conn.vendor, qid) for qid in qids]
    if steps and steps[0] is None:
        found = {}
        for unit_id, code, scale in Response.objects.filter(survey=survey).values_list(
            "unit_id", "code", "scale_answers"
        ):
            row = found.setdefault((unit_id, code), [0, defaultdict(lambda: [0, 0, 0])])
            row[0] += 1
            for key, value in scale.items():
                qid = int(key)
                if qid not in positive_from:
                    continue
                cell = row[1][qid]
                if value == Response.DONT_KNOW:
                    cell[2] += 1
                else:
                    cell[0] += 1
                    cell[1] += value >= positive_from[qid]
        return [(u, c, n, {q: tuple(v) for q, v in cells.items()}) for (u, c), (n, cells) in found.items()]
    table = conn.ops.quote_name(Response._meta.db_table)
    if conn.vendor == "postgresql" and steps:
        # each step read out of the JSON once per row (a lateral subquery, kept by OFFSET 0),
        # then three cheap counts per question: about half the time of reading it thrice
        lateral = ", ".join(f"{step} AS s{n}" for n, step in enumerate(steps))
        steps = [f"v.s{n}" for n in range(len(steps))]
        source = f"{table} r CROSS JOIN LATERAL (SELECT {lateral} OFFSET 0) v"
    else:
        source = f"{table} r"
    columns = []
    for qid, step in zip(qids, steps, strict=True):
        columns += [
            f"count(*) FILTER (WHERE {step} >= 1)",
            f"count(*) FILTER (WHERE {step} >= {int(positive_from[qid])})",
            f"count(*) FILTER (WHERE {step} = 0)",
        ]
    sql = (
        f"SELECT r.unit_id, r.code, count(*){''.join(', ' + c for c in columns)} FROM {source}"
        " WHERE r.survey_id = %s GROUP BY r.unit_id, r.code"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, [survey.pk])
        rows = cursor.fetchall()
    found = []
    for unit_id, code, n, *figures in rows:
        cells = {}
        for i, qid in enumerate(qids):
            answered, positive, dont_know = figures[3 * i : 3 * i + 3]
            if answered or dont_know:
                cells[qid] = (answered, positive, dont_know)
        found.append((unit_id, code, n, cells))
    return found


def refresh(*, survey):
    """Recompute a survey's tallies and figures from its responses.

    Side effects: replaces the survey's SurveyTally and SurveyFigure rows; sets refreshed_at
    and refreshed_count. Two reads (the questions' scales, the responses counted: ``counted``),
    four writes.
    """
    positive_from = {
        q.pk: q.positive_from
        for q in SurveyQuestion.objects.filter(
            framework_id=survey.round.framework_id,
            respondent_group=survey.respondent_group,
            kind=SurveyQuestion.Kind.SCALE,
        ).only("pk", "scale")
    }
    tallies, cells = [], {}
    for unit_id, code, n, figures in counted(survey, positive_from):
        tallies.append((unit_id, code, n))
        for qid, figure in figures.items():
            cells[(unit_id, code, qid)] = figure
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
