"""The goals page of the largest organiser: 20 goals (every measure, organiser, district and
unit scope, some sub-goals) followed up over its five rounds (issue 10: <= 300 ms)."""

import datetime

from django.db import connection, reset_queries
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.measure import _admin_client, _median
from stegvis.cycles.models import Round
from stegvis.goals import domain
from stegvis.goals.models import Goal, Measure
from stegvis.organisations.models import District, Membership, Role, Unit
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action

GOALS = 20


def _set_goals(organizer):
    with scopes_disabled():
        Goal.objects.filter(organizer=organizer).delete()
        rounds = list(Round.objects.filter(organizer=organizer).order_by("opens_on"))
        admin = Membership.objects.filter(organizer=organizer, role=Role.ADMIN).first().user
        districts = list(District.objects.filter(organizer=organizer)[:4])
        units = list(Unit.objects.filter(organizer=organizer)[:4])
        framework = rounds[0].framework
        codes = list(framework.indicators.values_list("code", flat=True)[:4])
        areas = list(framework.areas.values_list("key", flat=True))
        kinds = [
            {"measure": Measure.SHARE_AT_LEVEL, "indicator_code": codes[0], "level": 3, "target_value": 80},
            {"measure": Measure.MEAN_LEVEL, "area_key": areas[0], "target_value": 3},
            {"measure": Measure.MATURITY_INDEX, "target_value": 70},
            {"measure": Measure.ACTIONS_DONE, "target_value": 75},
            {"measure": Measure.UNITS_PUBLISHED, "target_value": 100},
        ]
        made = []
        for i in range(GOALS):
            scope = {}
            if i % 4 == 1 and districts:
                scope = {"scope": Goal.Scope.DISTRICT, "district": districts[i % len(districts)]}
            elif i % 4 == 2 and units:
                scope = {"scope": Goal.Scope.UNIT, "unit": units[i % len(units)]}
            parent = made[0] if i % 5 == 4 and made else None
            made.append(
                domain.set_goal(
                    organizer=organizer,
                    by=admin,
                    title=f"Bench goal {i + 1}",
                    baseline_round=rounds[0],
                    target_date=datetime.date(rounds[-1].opens_on.year + 2, 6, 30),
                    parent=parent if parent and parent.parent_id is None else None,
                    **scope,
                    **kinds[i % len(kinds)],
                )
            )
    return made


def goals_page(organizer, *, repeat=15):
    """Setting the goals (each computes its baseline and follow-up), then the page's server time
    warm, its query count, and the first read after a publish (which recomputes one round)."""
    import time

    started = time.perf_counter()
    _set_goals(organizer)
    set_seconds = time.perf_counter() - started
    client = _admin_client(organizer)
    url = f"/{organizer.slug}/goals/"
    assert client.get(url).status_code == 200
    seconds = _median(lambda: client.get(url), repeat)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    with scopes_disabled():
        latest = Round.objects.filter(organizer=organizer).order_by("-opens_on").first()
        cell = PlanCell.objects.filter(organizer=organizer, round=latest).first()
        PlanCell.objects.filter(pk=cell.pk).update(updated_at=timezone.now())
        Action.objects.filter(
            pk=Action.objects.filter(organizer=organizer, plan__round=latest).values("pk")[:1]
        ).update(updated_at=timezone.now())  # as an action change does
    started = time.perf_counter()
    client.get(url)
    after_change = time.perf_counter() - started
    reset_queries()
    return {
        "goals": GOALS,
        "set_seconds": set_seconds,
        "seconds": seconds,
        "queries": len(executed),
        "after_change_seconds": after_change,
    }
