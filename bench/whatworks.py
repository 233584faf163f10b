"""What works (issue 10, item 8): the scheduler's computation over the national data set (every
organiser's figures and the national ones, from scratch: <= 5 minutes), a pass with nothing
changed, a pass after one organiser's action changed, and the reads (the plan page with the
figures on its suggestions, and the organiser's report: <= 100 ms)."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from bench.measure import _admin_client, _median, _timed_page
from stegvis.cycles.models import Round
from stegvis.goals import whatworks
from stegvis.goals.models import WhatWorksSnapshot
from stegvis.planning import domain as planning
from stegvis.planning import outcomes
from stegvis.planning.models import Action, ActionPlan, ActivityOutcome


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _page(client, url, repeat):
    """``_timed_page`` plus the median CPU time of the request in this process (view, template
    and SQLite, which runs in-process): a figure the other processes on a loaded machine move less."""
    result = _timed_page(client, url, repeat)
    cpu = []
    for _ in range(repeat):
        started = time.process_time()
        client.get(url)
        cpu.append(time.process_time() - started)
    result["cpu_seconds"] = sorted(cpu)[len(cpu) // 2]
    return result


def what_works(organizer, *, repeat=15):
    with scopes_disabled():
        ActivityOutcome.unscoped.all().delete()
        WhatWorksSnapshot.unscoped.all().delete()
        with CaptureQueriesContext(connection) as queries:
            changed, full, full_cpu = _timed(whatworks.refresh_changed)
        full_queries = len(queries)
        _none, idle, idle_cpu = _timed(whatworks.refresh_changed)
        action = Action.objects.filter(organizer=organizer, activity__isnull=False).order_by("id").first()
        Action.objects.filter(pk=action.pk).update(updated_at=timezone.now())  # as an edit does
        one, after_change, after_change_cpu = _timed(whatworks.refresh_changed)
        rows = ActivityOutcome.unscoped.count()
        national_rows = ActivityOutcome.unscoped.filter(organizer__isnull=True).count()
        latest = Round.objects.filter(organizer=organizer).order_by("-opens_on").first()
        plan = ActionPlan.objects.filter(organizer=organizer, round=latest).select_related("unit", "round").first()
    with scope(organizer=organizer):
        activity_ids = [a.pk for _i, _l, acts in planning.suggestions(plan=plan) for a in acts]
        lines = outcomes.plan_lines(organizer=organizer, activity_ids=activity_ids)
        figures_read = _median(lambda: outcomes.plan_lines(organizer=organizer, activity_ids=activity_ids), repeat)
        report = outcomes.read(organizer=organizer)
    client = _admin_client(organizer)
    slug = organizer.slug
    return {
        "organisers_computed": changed,
        "full_seconds": full,
        "full_cpu_seconds": full_cpu,
        "full_queries": full_queries,
        "idle_pass_seconds": idle,
        "idle_pass_cpu_seconds": idle_cpu,
        "after_change_organisers": one,
        "after_change_seconds": after_change,
        "after_change_cpu_seconds": after_change_cpu,
        "rows": rows,
        "national_rows": national_rows,
        "plan_activities": len(activity_ids),
        "plan_activities_with_figures": len(lines),
        "sample_sentences": next(iter(lines.values()), []),
        "report_own_shown": sum(1 for fig in report.own.values() if fig.shown),
        "report_national_shown": sum(1 for fig in report.national.values() if fig.shown),
        "plan_figures_read_seconds": figures_read,
        "plan_page": _page(client, f"/{slug}/plans/{plan.pk}/", repeat),
        "report_page": _page(client, f"/{slug}/goals/what-works/", repeat),
        "report_page_preschools": _page(client, f"/{slug}/goals/what-works/?school_form=forskola", repeat),
        "report_csv": _page(client, f"/{slug}/goals/what-works/export.csv", repeat),
    }
