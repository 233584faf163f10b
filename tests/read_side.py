import pytest
from django.conf import settings

from tests import factories as f


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English source strings, whatever translations exist (Swedish is tested in e2e)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


EKSKOLAN = {"A1.1": 4, "A1.2": 2, "A1.3": 3, "A2.1": 1, "A2.2": 1, "A2.3": None}


@pytest.fixture
def example(world):
    """The worked example of docs/maturity.md: Ekskolan and Aspskolan in Norra, Björkskolan in Södra."""
    aspen = f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    f.published_assessment(world.unit, world.rnd, by=world.bob, levels=EKSKOLAN)
    f.published_assessment(aspen, world.rnd, by=world.alice, level=3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=4)
    return aspen
