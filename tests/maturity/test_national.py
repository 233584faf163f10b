"""The national comparison is real or absent: only organisers that share count, and an
organiser sees it only when the OTHER sharing organisers alone meet the minimum (so nobody
can take out their own units and read another organiser's)."""

import datetime
import io

import pytest
from django.core.management import call_command

from stegvis.core.models import AuditEvent
from stegvis.maturity import figures as maturity
from stegvis.maturity.models import MaturityFigure
from tests import factories as f


def organiser(world, framework, name, level, *, share=True):
    org = f.OrganizerFactory(name=name, share_national=share)
    unit = f.UnitFactory(organizer=org)
    rnd = f.make_round(org, framework, name="Läsår 2026/27", opens_on=datetime.date(2026, 8, 20))
    f.published_assessment(unit, rnd, by=world.charlie, level=level)
    return org, rnd


@pytest.fixture
def nation(world, framework, example, settings):
    """Mittköping (3 units: 33, 67, 100) and B (100), C (0) share; D (100) does not.
    The minimum is lowered to 2 other organisers with 3 units."""
    settings.STEGVIS_NATIONAL_MIN_ORGANIZERS = 2
    settings.STEGVIS_NATIONAL_MIN_UNITS = 3
    world.org.share_national = True
    world.org.save()
    result = {
        "B": organiser(world, framework, "B-stad", 4),
        "C": organiser(world, framework, "C-stad", 1),
        "D": organiser(world, framework, "D-stad", 4, share=False),
    }
    call_command("refresh_maturity", stdout=io.StringIO())
    return result


def test_national_figures_come_only_from_organisers_that_share(world, nation):
    row = MaturityFigure.unscoped.get(scope="national", area_key="")
    # (33.3 + 66.7 + 100 + 100 + 0) / 5: D's unit is not in it
    assert (row.value, row.unit_count, row.organizer_count) == (pytest.approx(60), 5, 3)


def test_an_organiser_whose_others_are_too_few_sees_no_national_line(client, world, nation):
    # the others (B and C) have 2 units together: Mittköping could read them by subtraction
    assert maturity.national(rounds=[world.rnd], organizer=world.org).values == {}
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "National average" not in html
    assert "at least 2 other organisers with at least 3 units" in html
    assert "there are 2 other organisers with 2 units" in html


def test_an_organiser_whose_others_meet_the_minimum_sees_it(world, nation):
    b_org, b_round = nation["B"]
    seen = maturity.national(rounds=[b_round], organizer=b_org).values
    assert seen[b_round.pk][""] == (pytest.approx(60), 5)  # Mittköping and C: 2 organisers, 4 units
    d_org, d_round = nation["D"]  # one that does not share still reads the figure, without its own units
    assert maturity.national(rounds=[d_round], organizer=d_org).values[d_round.pk][""][0] == pytest.approx(60)


def test_the_national_line_is_drawn_when_it_may_be_shown(client, world, nation, settings):
    settings.STEGVIS_NATIONAL_MIN_UNITS = 2
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "National average" in html and ">60</td>" in html


def test_the_admin_opts_in_on_the_settings_page(client, world):
    assert not world.org.share_national
    client.force_login(world.alice)
    page = client.get("/mittkoping/organisation/settings/").content.decode()
    assert 'name="share_national"' in page and "at least 5 other organisers with 50 units" in page
    response = client.post("/mittkoping/organisation/settings/", {"share_national": "on"})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.share_national
    assert AuditEvent.objects.filter(organizer=world.org, verb="organizer.shares_national").count() == 1
    client.post("/mittkoping/organisation/settings/", {})
    world.org.refresh_from_db()
    assert not world.org.share_national
