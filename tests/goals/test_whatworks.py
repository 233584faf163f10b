"""What works: units that completed a suggested activity and rose by the next round, against the
units at the same starting level that did not; no figure below k; another organiser's units
never in an organiser's own figures, and national figures only between organisers that share;
the action plan shows the sentence and the organiser's report the figures with their n."""

import datetime

from django.test import override_settings

from stegvis.core import schoolforms
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Activity
from stegvis.goals import whatworks
from stegvis.goals.models import WhatWorksSnapshot
from stegvis.organisations.models import Role
from stegvis.planning import domain as planning
from stegvis.planning import outcomes
from stegvis.planning.models import Action, ActivityOutcome
from tests import factories as f

CODE = "A1.1"  # the indicator the constructed case works on


def _activity(framework, to_level=2):
    return Activity.objects.get(indicator__framework=framework, indicator__code=CODE, to_level=to_level)


def _two_rounds(org, framework):
    first = f.make_round(org, framework, name="Läsår 2024/25", opens_on=datetime.date(2024, 8, 15))
    second = f.make_round(org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    return first, second


def _case(org, framework, *, did, did_rose, others, others_rose, by, forms=("grundskola",), rounds=None):
    """``did`` units at step 1 on A1.1 complete its activity to step 2 in the first round and
    ``did_rose`` of them are at step 2 in the next; ``others`` units at step 1 do not (an action
    planned but not done for some), and ``others_rose`` of them rise all the same."""
    first, second = rounds or _two_rounds(org, framework)
    activity = _activity(framework)
    units = [
        f.UnitFactory(organizer=org, name=f"{org.slug}-{n}", school_forms=schoolforms.to_mask(forms))
        for n in range(did + others)
    ]
    for n, unit in enumerate(units):
        _a, plan = f.published_assessment(unit, first, by=by, level=3, levels={CODE: 1})
        if n < did:
            action = planning.add_action(plan=plan, by=by, title="Gör det", activity=activity)
            planning.update_action(action=action, by=by, expected_revision=action.revision, status="done")
        elif n % 2:
            planning.add_action(plan=plan, by=by, title="Planerat", activity=activity)  # not done
        rose = n < did_rose if n < did else (n - did) < others_rose
        f.published_assessment(unit, second, by=by, level=3, levels={CODE: 2 if rose else 1})
    return first, second, activity, units


def test_units_that_did_the_activity_and_rose_are_counted_against_those_that_did_not(world, framework):
    _first, second, activity, _units = _case(
        world.org, framework, did=6, did_rose=4, others=7, others_rose=2, by=world.alice
    )
    assert whatworks.refresh_changed() == 2  # both organisers computed once
    found = outcomes.read(organizer=world.org, activity_ids=[activity.pk])
    figure = found.own[activity.pk]
    assert (figure.did.units, figure.did.rose, figure.others.units, figure.others.rose) == (6, 4, 7, 2)
    assert figure.did.shown and figure.others.shown
    # per school form too: these are compulsory schools, none are preschools
    by_form = outcomes.read(
        organizer=world.org, activity_ids=[activity.pk], school_form=schoolforms.to_mask(["grundskola"])
    )
    assert by_form.own[activity.pk].did.units == 6
    assert (
        activity.pk
        not in outcomes.read(organizer=world.org, activity_ids=[activity.pk], school_form=schoolforms.PRESCHOOL).own
    )
    # nothing changed: the next pass recomputes nothing
    assert whatworks.refresh_changed() == 0
    # an activity at another starting level counts nobody from this case
    assert _activity(framework, to_level=3).pk not in found.own


def test_a_unit_counts_once_per_activity_even_over_several_rounds(world, framework):
    first, second, activity, units = _case(
        world.org, framework, did=5, did_rose=0, others=5, others_rose=0, by=world.alice
    )
    third = world.rnd  # Läsår 2026/27, the round after the case's two
    # in the second round one of the units that did not do it does it now, and rises by the third
    for n, unit in enumerate(units):
        plan = unit.action_plans.get(round=second)
        if n == 5:
            action = planning.add_action(plan=plan, by=world.alice, title="Nu", activity=activity)
            planning.update_action(action=action, by=world.alice, expected_revision=action.revision, status="done")
        f.published_assessment(unit, third, by=world.alice, level=3, levels={CODE: 2 if n == 5 else 1})
    whatworks.refresh_changed()
    figure = outcomes.read(organizer=world.org, activity_ids=[activity.pk]).own[activity.pk]
    # ten units, each once: six did it (one of them in the later round, and rose), four never did
    assert (figure.did.units, figure.did.rose, figure.others.units, figure.others.rose) == (6, 1, 4, 0)


def test_figures_resting_on_fewer_than_k_units_are_hidden(client, world, framework):
    _first, second, activity, units = _case(
        world.org, framework, did=4, did_rose=3, others=8, others_rose=1, by=world.alice
    )
    whatworks.refresh_changed()
    figure = outcomes.read(organizer=world.org, activity_ids=[activity.pk]).own[activity.pk]
    assert not figure.did.shown and figure.others.shown
    assert outcomes.sentence(figure, where="I Mittköping") is None
    assert outcomes.plan_lines(organizer=world.org, activity_ids=[activity.pk]) == {}
    client.force_login(world.alice)
    page = client.get("/mittkoping/goals/what-works/").content.decode()
    assert "Färre än 5 enheter" in page
    assert "3 av 4" not in page
    assert "1 av 8 (13 %)" in page
    csv_text = client.get("/mittkoping/goals/what-works/export.csv").content.decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if line.startswith("Område 1;A1.1"))
    assert row.split(";")[5:11] == ["färre än minimum", "", "", "8", "1", "13"]


def test_another_organisers_units_never_count_in_an_organisers_own_figures(world, framework):
    _f, _s, activity, _u = _case(world.org, framework, did=5, did_rose=5, others=5, others_rose=0, by=world.alice)
    _case(world.other_org, framework, did=9, did_rose=0, others=9, others_rose=9, by=world.charlie)
    whatworks.refresh_changed()
    mine = outcomes.read(organizer=world.org, activity_ids=[activity.pk])
    theirs = outcomes.read(organizer=world.other_org, activity_ids=[activity.pk])
    assert (mine.own[activity.pk].did.units, mine.own[activity.pk].did.rose) == (5, 5)
    assert (theirs.own[activity.pk].did.units, theirs.own[activity.pk].did.rose) == (9, 0)
    # neither shares: no national figure is read at all
    assert not mine.national_allowed and mine.national == {}
    assert not ActivityOutcome.unscoped.filter(organizer__isnull=True).exists()


@override_settings(STEGVIS_NATIONAL_MIN_ORGANIZERS=1)
def test_national_figures_only_between_organisers_that_share(world, framework):
    _f, _s, activity, _u = _case(world.org, framework, did=5, did_rose=5, others=5, others_rose=0, by=world.alice)
    _case(world.other_org, framework, did=9, did_rose=0, others=9, others_rose=9, by=world.charlie)
    world.org.share_national = True
    world.org.save()
    whatworks.refresh_changed()
    # only Mittköping shares: the national figure is its own units, and the other organisers
    # alone (none) are too few, so it is not shown, not even to Mittköping
    mine = outcomes.read(organizer=world.org, activity_ids=[activity.pk])
    assert mine.national[activity.pk].did.units == 5 and not mine.national[activity.pk].did.shown
    assert outcomes.read(organizer=world.other_org, activity_ids=[activity.pk]).national == {}
    world.other_org.share_national = True
    world.other_org.save()
    assert whatworks.refresh_changed() == 0  # no organiser's data changed, the national figures did
    mine = outcomes.read(organizer=world.org, activity_ids=[activity.pk])
    national = mine.national[activity.pk]
    assert (national.did.units, national.did.rose, national.others.units, national.others.rose) == (14, 5, 14, 9)
    assert national.did.shown and national.others.shown
    assert (mine.own[activity.pk].did.units, mine.own[activity.pk].did.rose) == (5, 5)  # own stays own
    lines = outcomes.plan_lines(organizer=world.org, activity_ids=[activity.pk])[activity.pk]
    assert lines[1].startswith("I landet: 5 av 14 enheter")


def test_national_figures_need_several_other_organisers(world, framework):
    _f, _s, activity, _u = _case(world.org, framework, did=5, did_rose=5, others=5, others_rose=0, by=world.alice)
    _case(world.other_org, framework, did=9, did_rose=0, others=9, others_rose=9, by=world.charlie)
    for org in (world.org, world.other_org):
        org.share_national = True
        org.save()
    whatworks.refresh_changed()
    national = outcomes.read(organizer=world.org, activity_ids=[activity.pk]).national[activity.pk]
    assert national.did.units == 14 and not national.did.shown  # one other organiser, 5 needed


def test_an_organisers_own_framework_stays_out_of_the_national_figures(world):
    own = f.make_framework(key="egen", organizer=world.org)
    _f, _s, activity, _u = _case(world.org, own, did=5, did_rose=5, others=5, others_rose=0, by=world.alice)
    world.org.share_national = True
    world.org.save()
    whatworks.refresh_changed()
    assert ActivityOutcome.unscoped.filter(organizer=world.org, activity=activity).exists()
    assert not ActivityOutcome.unscoped.filter(organizer__isnull=True, activity=activity).exists()


def test_the_plan_page_shows_the_sentence_on_the_suggestion(client, world, framework):
    _first, second, activity, units = _case(
        world.org, framework, did=6, did_rose=4, others=7, others_rose=2, by=world.alice
    )
    whatworks.refresh_changed()
    f.member(world.bob, world.org, Role.PRINCIPAL, unit=units[-1])  # a unit still at step 1 on A1.1
    plan = units[-1].action_plans.get(round=second)
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
    assert (
        "I Mittköpings kommun: 4 av 6 enheter som gjorde detta steg minst ett steg till nästa omgång, "
        "mot 2 av 7 som inte gjorde det." in page
    )
    assert "inget bevis" in page
    assert "/mittkoping/goals/what-works/" not in page  # the report is the organiser's


def test_the_report_filters_and_says_what_each_figure_rests_on(client, world, framework):
    _first, _second, activity, _units = _case(
        world.org, framework, did=6, did_rose=4, others=7, others_rose=2, by=world.alice
    )
    whatworks.refresh_changed()
    client.force_login(world.vera)
    page = client.get("/mittkoping/goals/what-works/").content.decode()
    assert "4 av 6 (67 %)" in page and "2 av 7 (29 %)" in page
    assert "ett samband, inget bevis" in page.lower() or "Ett samband, inget bevis" in page
    other_area = client.get("/mittkoping/goals/what-works/", {"area": "area-2"}).content.decode()
    assert "4 av 6" not in other_area
    preschools = client.get("/mittkoping/goals/what-works/", {"school_form": "forskola"}).content.decode()
    assert "4 av 6" not in preschools
    bad = client.get("/mittkoping/goals/what-works/", {"indicator": "<script>", "framework": "x"})
    assert bad.status_code == 200 and "4 av 6" in bad.content.decode()
    assert WhatWorksSnapshot.objects.filter(organizer=world.org).exists()


def test_the_scheduler_job_computes_the_figures(world, framework):
    _first, _second, activity, _units = _case(
        world.org, framework, did=5, did_rose=5, others=5, others_rose=0, by=world.alice
    )
    whatworks.refresh.call()
    assert ActivityOutcome.unscoped.filter(organizer=world.org, activity=activity, school_form=0).get().did == 5
    assert Action.objects.filter(status="done").count() == 5
    assert Round.objects.filter(organizer=world.org).count() == 3  # the world's own round, and the case's two
