"""Publication status is decided in one place (assessments.status) and reads the same everywhere:
a unit with a published version and a new draft is published, another perspective's draft is
nothing, on the round list, the start page, the status page, the board report and the export."""

import re

import pytest
from django.conf import settings

from stegvis.assessments import domain, status
from stegvis.assessments.models import Perspective
from stegvis.exports.exporters import OverviewExporter
from stegvis.organisations.access import Access
from stegvis.organisations.models import Membership
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def mixed(world):
    """Ekskolan: published, then a new version in draft. Björkskolan: only the IT educator's draft."""
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    domain.start_assessment(unit=world.other_unit, round=world.rnd, perspective=Perspective.IT_EDUCATOR, by=world.eve)
    aspen = f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    domain.start_assessment(unit=aspen, round=world.rnd, by=world.alice)
    return aspen


def test_the_helper_decides_published_draft_and_not_started(world, mixed):
    statuses = status.unit_statuses(organizer=world.org, round=world.rnd)
    assert statuses[world.unit.pk].status == status.PUBLISHED and statuses[world.unit.pk].new_draft
    assert statuses[world.other_unit.pk].status == status.NOT_STARTED  # the IT educator's draft does not count
    assert statuses[mixed.pk].status == status.DRAFT
    counts = status.publication_counts(organizer=world.org, rounds=[world.rnd])[world.rnd.pk]
    assert (counts.units, counts.published, counts.draft, counts.not_started, counts.share) == (3, 1, 1, 1, 33)


def test_round_list_counts_like_the_status_page(client, world, mixed):
    client.force_login(world.alice)
    page = client.get("/mittkoping/rounds/").content.decode()
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1 / 3", "1"]  # not 2 drafts
    status_page = client.get("/mittkoping/overview/status/").content.decode()
    counts = status_page.split('class="counts"', 1)[1].split("</ul>", 1)[0]
    assert [c.split("<strong>")[1].split("<")[0] for c in counts.split("<li>")[1:]] == ["1", "1", "1", "3"]


def test_start_page_board_report_and_export_agree(client, world, mixed):
    client.force_login(world.alice)
    home = client.get("/mittkoping/").content.decode()
    assert "1 of 3 units have published, 1 have a draft." in home
    board = client.get("/mittkoping/reports/board/").content.decode()
    total = board.split("<tfoot>")[-1].split("</tfoot>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', total) == ["3", "1", "1", "1", "33"]
    access = Access(user=world.alice, organizer=world.org, memberships=Membership.objects.filter(user=world.alice))
    exporter = OverviewExporter(organizer=world.org, access=access, round=world.rnd, lang="en")
    assert sorted((row[2], row[3]) for row in exporter.level_rows()) == [
        ("Aspskolan", "Draft"),
        ("Björkskolan", "Not started"),
        ("Ekskolan", "Published"),
    ]
