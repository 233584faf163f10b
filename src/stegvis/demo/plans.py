"""The demo's local digital plans and the organiser's plan (docs/digital-plans.md): most units
have adopted this school year's plan, a couple are still in draft, a few also adopted one last
school year; the organiser's plan has central actions with owners, due dates and statuses and is
adopted. Everything is written by ``goals.plans`` from the demo's published assessments and
action plans, as a principal would get it, with a few lines of the principal's own added.

Side effects: DigitalPlan and OrganiserPlan rows with goal links, CentralAction rows, audit events."""

import datetime
import random

from django.utils import timezone

from stegvis.goals import plans
from stegvis.goals.models import CentralAction, DigitalPlan, Goal, OrganiserPlan
from stegvis.organisations.access import Access, people_of
from stegvis.planning.models import ActionPlan

from .data import FIXED_PEOPLE

DIVERSITY = [
    "- Alla elever ska ha tillgång till talsyntes och inläsningstjänst.\n- Vi följer upp att flickor och pojkar får lika mycket tid med programmering.",
    "Vi ser över hur nyanlända elever kommer in i våra digitala verktyg och tar fram en **introduktion på flera språk**.",
    "- Elevhälsan deltar när vi väljer nya digitala läromedel.\n- Anpassningar i lärplattformen dokumenteras i elevens plan.",
]
THOUGHTS = [
    "Hur håller vi uppe takten när IKT-pedagogen är föräldraledig i vår?",
    "Vi behöver prata om **skärmtid** med vårdnadshavarna på föräldramötet i september.",
    "Nätverksträffarna mellan skolorna har gett mycket; fortsätt dela exempel.",
]


def _when(rng, today, year):
    start = datetime.date(year, 9, 10)
    end = min(today, datetime.date(year, 11, 20))
    if end <= start:
        return timezone.now()
    day = start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, rng.randrange(60))))


def build(builder, *, seed=2026):
    """Add the plans to the demo organiser built by ``builder`` (its org, states, admin, today)."""
    rng = random.Random(seed)
    org, today = builder.org, builder.today
    year = plans.school_year(today)
    shared = list(Goal.objects.filter(organizer=org, scope=Goal.Scope.ORGANIZER, parent__isnull=True))
    with_plans = set(ActionPlan.objects.filter(organizer=org).values_list("unit_id", flat=True))
    states = [s for s in sorted(builder.states, key=lambda s: s.unit.name) if s.unit.pk in with_plans]
    drafts = {s.unit.pk for s in rng.sample(states, min(2, len(states)))}
    adopted = 0
    for n, state in enumerate(states):
        unit, principal = state.unit, state.principal
        if n % 4 == 1:  # a few units also adopted a plan last school year
            earlier = plans.draft_unit_plan(unit=unit, by=principal, year=year - 1)
            plans.adopt_unit_plan(plan=earlier, by=principal)
            DigitalPlan.objects.filter(pk=earlier.pk).update(adopted_at=_when(rng, today, year - 1))
        plan = plans.draft_unit_plan(unit=unit, by=principal, year=year)
        goals = list(plan.goals.all()) + rng.sample(shared, min(len(shared), rng.choice([1, 2])))
        texts = {f: getattr(plan, f) for f in plans.SECTION_FIELDS}
        texts["diversity"] = rng.choice(DIVERSITY)
        texts["food_for_thought"] = "\n\n".join(t for t in (texts["food_for_thought"], rng.choice(THOUGHTS)) if t)
        plans.save_unit_plan(
            plan=plan, by=principal, expected_revision=plan.revision, texts=texts, goals=goals[: plans.MAX_GOALS]
        )
        if unit.pk in drafts:
            continue
        plans.adopt_unit_plan(plan=plan, by=principal)
        DigitalPlan.objects.filter(pk=plan.pk).update(adopted_at=_when(rng, today, year))
        adopted += 1
    organiser_plan = _organiser_plan(builder, rng, year)
    if builder.stdout is not None:
        builder.stdout.write(
            f"Digital plans: {adopted} adopted and {len(drafts)} in draft for {plans.year_label(year)}; "
            f"the organiser's plan with {organiser_plan.actions.count()} central actions\n"
        )


def _organiser_plan(builder, rng, year):
    org, admin, today = builder.org, builder.admin, builder.today
    plan = plans.start_organiser_plan(
        organizer=org, access=Access.for_user(user=admin, organizer=org), by=admin, year=year
    )
    # the organiser's own staff own the central actions (the demo's fixed people, not principals)
    owners = list(people_of(org).filter(email__in=[email for email, *_rest in FIXED_PEOPLE]).order_by("email"))
    owners = owners or [admin]
    plans.save_organiser_plan(
        plan=plan,
        by=admin,
        expected_revision=plan.revision,
        introduction=(
            "Huvudmannens plan för den digitala utvecklingen bygger på enheternas lokala digitala planer "
            "och på de indikatorer som många enheter har prioriterat högst.\n\n"
            "- **Centralt stöd** där flera enheter behöver samma sak\n"
            "- Uppföljning i kvalitetsdialogerna i februari och juni"
        ),
        goals=list(plan.goals.all()),
    )
    statuses = [CentralAction.Status.IN_PROGRESS, CentralAction.Status.PLANNED, CentralAction.Status.DONE]
    for n, action in enumerate(plan.actions.all()):
        plans.save_central_action(
            action=action,
            by=admin,
            owner=owners[n % len(owners)],
            due_date=datetime.date(year + 1, rng.choice([2, 3, 4, 5, 6]), rng.choice([15, 28])),
            status=statuses[n % len(statuses)] if n < 6 else CentralAction.Status.PLANNED,
        )
    plans.adopt_organiser_plan(plan=plan, by=admin)
    OrganiserPlan.objects.filter(pk=plan.pk).update(adopted_at=_when(rng, today, year))
    return plan
