"""The organiser's plan and the list of local digital plans of the largest organiser: every unit
has an adopted plan for the school year (drafted as a principal would get it, for a sample; the
rest bulk-copied), the organiser's plan started from the priority-1 to-do list (issue 10: the
organiser's plan <= 300 ms)."""

import time

from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.measure import _admin_client, _median
from stegvis.goals import plans
from stegvis.goals.models import DigitalPlan, PlanStatus
from stegvis.organisations.access import Access
from stegvis.organisations.models import Membership, Role, Unit

DRAFTED = 20  # plans drafted through plans.draft_unit_plan; the others copy their texts


def _queries(client, url):
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(executed)


def organiser_plan(organizer, *, repeat=15):
    with scopes_disabled():
        admin = Membership.objects.filter(organizer=organizer, role=Role.ADMIN).select_related("user").first().user
        year = plans.current_year()
        units = list(Unit.objects.filter(organizer=organizer, active=True).order_by("pk"))
        DigitalPlan.objects.filter(organizer=organizer, school_year=year).delete()
        started = time.perf_counter()
        drafted = [plans.draft_unit_plan(unit=u, by=admin, year=year) for u in units[:DRAFTED]]
        draft_seconds = (time.perf_counter() - started) / max(1, len(drafted))
        sample = drafted[0] if drafted else None
        now = timezone.now()
        DigitalPlan.objects.bulk_create(
            [
                DigitalPlan(
                    organizer=organizer,
                    unit=u,
                    school_year=year,
                    round=sample.round if sample else None,
                    status=PlanStatus.ADOPTED,
                    adopted_at=now,
                    adopted_by=admin,
                    **{f: getattr(sample, f) if sample else "" for f in plans.SECTION_FIELDS},
                )
                for u in units[DRAFTED:]
            ]
        )
        DigitalPlan.objects.filter(pk__in=[p.pk for p in drafted]).update(status=PlanStatus.ADOPTED, adopted_at=now)
        plan = plans.start_organiser_plan(
            organizer=organizer, access=Access.for_user(user=admin, organizer=organizer), by=admin, year=year
        )
        actions = plan.actions.count()
    client = _admin_client(organizer)
    results = {"units": len(units), "central_actions": actions, "draft_seconds": draft_seconds}
    for key, url in (
        ("organiser_plan", f"/{organizer.slug}/goals/organiser-plan/"),
        ("list", f"/{organizer.slug}/goals/plans/"),
    ):
        assert client.get(url).status_code == 200
        results[key] = {"seconds": _median(lambda url=url: client.get(url), repeat), "queries": _queries(client, url)}
    return results
