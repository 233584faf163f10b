"""The benchmark's generator and measurements work (figures are checked by `make bench`, not here)."""

import random

from django_scopes import scopes_disabled

from bench import generate, measure
from bench import goals as bench_goals
from bench import plans as bench_plans
from bench import whatworks as bench_whatworks
from stegvis.assessments.models import Assessment
from stegvis.organisations.models import Organizer, Unit
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action


def test_organiser_sizes_sum_and_largest():
    sizes = generate.organiser_sizes(organisers=290, units=16000, largest=600, rng=random.Random(1))
    assert len(sizes) == 290 and sum(sizes) == 16000 and max(sizes) == 600 and min(sizes) >= 1


def test_generated_data_is_realistic_and_consistent(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    biggest = generate.generate(organisers=3, units=45, largest=25, out=lambda text: None)
    with scopes_disabled():
        assert generate.is_generated(organisers=3, units=45)
        assert Organizer.objects.filter(slug__startswith="bench-").count() == 3
        assert Unit.objects.filter(organizer=biggest).count() == 25
        published = Assessment.objects.filter(organizer=biggest, status="published").count()
        assert 0.6 * 25 * 5 < published < 25 * 5
        # every published assessment's unit has one cell per applicable indicator
        assert PlanCell.objects.filter(organizer=biggest).count() > published * 20
        states = set(PlanCell.objects.values_list("state", flat=True))
        assert {"planned", "done", "none"} <= states
        assert Action.objects.filter(organizer=biggest, status="done").exists()

    overview = measure.overview(biggest, repeat=1)
    assert overview["cells"] > 0 and overview["level"]["bytes"] > 10000
    pages = measure.pages(biggest, repeat=1)
    assert {"status", "to-do", "maturity", "unit page", "plan page", "autosave"} <= pages.keys()
    assert all(page["queries"] > 0 for page in pages.values()), pages
    reads = measure.maturity_reads(biggest, repeat=1)
    assert reads["organizer_read_seconds"] > 0
    assert measure.unit_pdf(biggest, repeat=1)["bytes"] > 1000
    ww = bench_whatworks.what_works(biggest, repeat=1)
    assert ww["organisers_computed"] == 4 and ww["after_change_organisers"] == 1  # 3 and the marker
    assert ww["rows"] > ww["national_rows"] > 0 and ww["report_page"]["queries"] > 0
    goals = bench_goals.goals_page(biggest, repeat=1)
    assert goals["goals"] == 20 and goals["queries"] > 0 and goals["seconds"] > 0
    digital_plans = bench_plans.organiser_plan(biggest, repeat=1)
    assert digital_plans["units"] == 25 and digital_plans["organiser_plan"]["queries"] > 0
    feeds = measure.calendar_feeds(biggest, repeat=1)
    assert feeds["organiser"]["events"] >= feeds["principal"]["events"] > 0
    export = measure._export_in_process(biggest.pk)
    assert export["rows"] > 1000 and export["bytes"] > 0
    rem = measure.reminders()
    assert rem["first"]["mails"] > 0 and rem["again"]["mails"] == 0
    assert rem["kinds"].get("reminder.deadline", 0) > 0 and rem["kinds"]["digest.weekly"] == 3, rem["kinds"]


def test_the_library_generator_and_searches_work(settings):
    from bench import library as bench_library

    settings.ALLOWED_HOSTS = ["testserver"]
    biggest = generate.generate(organisers=2, units=6, largest=4, out=lambda text: None)
    result = bench_library.searches(biggest, repeat=1, documents=60)
    assert result["documents"] == 60 and 0 < result["visible"] <= 60
    rows = result["searches"]
    assert rows["list, no search"]["matches"] == result["visible"]
    assert 0 < rows["common word"]["matches"] <= result["visible"]
    assert rows["inflected form"]["matches"] > 0  # "lärplattor" finds every form of lärplatta
    assert all(row["queries"] > 0 and row["seconds"] > 0 for row in rows.values())
