import pytest
from django.conf import settings
from django.urls import reverse

from stegvis.organisations.models import Membership


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English source strings, whatever translations exist."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def url(world):
    def _url(name, org=None, **kwargs):
        return reverse(name, kwargs={"organizer_slug": (org or world.org).slug, **kwargs})

    return _url


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.alice)
    return client


@pytest.fixture
def bob_membership(world):
    return Membership.objects.get(organizer=world.org, user=world.bob)
