"""The demo's measurable goals: the organiser's goals from the library, a district's sub-goal
and a unit's goal with its actions, followed up over the demo's rounds with a comment or two
(docs/goals.md). Values are computed by the goals room, never typed in."""

import datetime

from stegvis.cycles.models import Round
from stegvis.goals import domain as goals
from stegvis.goals.models import Goal, GoalValue, Measure
from stegvis.organisations.models import District, Unit
from stegvis.planning.models import Action

COMMENTS = [
    "Nätverksträffarna för IKT-pedagogerna har gett effekt; fortsätt med samma upplägg.",
    "Flera förskolor saknar fortfarande en plan för kompetensutveckling; tas upp i kvalitetsdialogen.",
]


def build(*, org, by, stdout=None):
    """Create the demo's goals. Side effects: Goal and GoalValue rows, audit events."""
    rounds = list(Round.objects.filter(organizer=org).order_by("opens_on"))
    started = [r for r in rounds if not r.is_upcoming]
    if not started:
        return []
    first, last = started[0], started[-1]
    target = datetime.date(last.opens_on.year + 1, 6, 30)
    made = [
        goals.set_goal(
            organizer=org,
            by=by,
            title="80 % av enheterna når steg 3 på K2 (plan för kompetensutveckling)",
            measure=Measure.SHARE_AT_LEVEL,
            indicator_code="K2",
            level=3,
            baseline_round=first,
            target_value=80,
            target_date=target,
            owner=by,
        ),
        goals.set_goal(
            organizer=org,
            by=by,
            title="Den digitala mognaden (index) når 70",
            description="Nämndens mål för digitaliseringen följs upp med indikatorn Digital mognad.",
            measure=Measure.MATURITY_INDEX,
            baseline_round=first,
            target_value=70,
            target_date=target,
            owner=by,
        ),
        goals.set_goal(
            organizer=org,
            by=by,
            title="Alla enheter har publicerat sin värdering i tid",
            measure=Measure.UNITS_PUBLISHED,
            baseline_round=first,
            target_value=100,
            target_date=target,
        ),
    ]
    district = District.objects.filter(organizer=org).order_by("name").first()
    if district:
        made.append(
            goals.set_goal(
                organizer=org,
                by=by,
                title=f"Medelnivån i Kompetens når 3,0 i {district.name}",
                parent=made[0],
                scope=Goal.Scope.DISTRICT,
                district=district,
                measure=Measure.MEAN_LEVEL,
                area_key="kompetens",
                baseline_round=first,
                target_value=3.0,
                target_date=target,
            )
        )
    unit = Unit.objects.filter(organizer=org, action_plans__isnull=False).order_by("name").first()
    if unit:
        unit_goal = goals.set_goal(
            organizer=org,
            by=by,
            title=f"Tre av fyra planerade aktiviteter genomförda på {unit.name}",
            scope=Goal.Scope.UNIT,
            unit=unit,
            measure=Measure.ACTIONS_DONE,
            baseline_round=first,
            target_value=75,
            target_date=target,
        )
        goals.link_actions(
            goal=unit_goal,
            actions=Action.objects.filter(organizer=org, plan__unit=unit, plan__round=last).select_related("plan")[:3],
            by=by,
        )
        made.append(unit_goal)
    for goal, text in zip(made, COMMENTS, strict=False):
        value = GoalValue.objects.filter(goal=goal, round__in=started[:-1]).order_by("-round__opens_on").first()
        if value:
            goals.comment_follow_up(value=value, by=by, text=text)
    if stdout is not None:
        stdout.write(f"Goals: {len(made)} with follow-up over {len(started)} rounds\n")
    return made


def build_certification(*, org, by, stdout=None):
    """The demo's certification rule, a goal on the share of units certified and one on the
    staff survey, and the council indicator (the maturity index, with the council's goal in
    words). Called after the surveys, so the survey goal has figures to rest on.

    Side effects: a CertificationRule, Certification rows, two Goals with values, the
    CouncilIndicator row, audit events."""
    from stegvis.goals import certification, council

    rounds = list(Round.objects.filter(organizer=org).order_by("opens_on"))
    started = [r for r in rounds if not r.is_upcoming]
    if not started:
        return None
    first, last = started[0], started[-1]
    target = datetime.date(last.opens_on.year + 1, 6, 30)
    framework = last.framework
    # 15 of the shipped framework's 40 indicators (the same share of a smaller one)
    some = max(1, round(framework.indicators.count() * 15 / 40))
    areas = list(framework.areas.order_by("order").values_list("key", flat=True))
    use = "anvandning" if "anvandning" in areas else areas[-1]
    rule = certification.add_rule(
        organizer=org,
        by=by,
        name="Digitalt certifierad enhet",
        description=f"Stadens digitala certifiering: minst {some} av indikatorerna på steg 3 eller högre.",
        over="all",
        some_count=some,
        some_level=3,
    )
    certification.ensure_fresh(organizer=org, rounds=started)
    goals.set_goal(
        organizer=org,
        by=by,
        title="Hälften av enheterna är digitalt certifierade",
        measure=Measure.UNITS_CERTIFIED,
        certification_rule=rule,
        baseline_round=first,
        target_value=50,
        target_date=target,
        owner=by,
    )
    surveyed = (
        Round.objects.filter(organizer=org, surveys__respondent_group="personal")
        .order_by("opens_on")
        .distinct()
        .first()
    )
    if surveyed is not None:
        goals.set_goal(
            organizer=org,
            by=by,
            title="Andelen personal som instämmer i frågorna om Användning ökar till 75 %",
            measure=Measure.SURVEY_POSITIVE,
            respondent_group="personal",
            area_key=use,
            baseline_round=surveyed,
            target_value=75,
            target_date=target,
        )
    council.set_indicator(
        organizer=org,
        by=by,
        title="Kommunfullmäktiges mål: skolans digitalisering ska ge alla elever likvärdiga förutsättningar.",
        measure=Measure.MATURITY_INDEX,
        target_value=70,
    )
    if stdout is not None:
        stdout.write(f"Certification: the rule “{rule.name}”; the council indicator: the maturity index\n")
    return rule
