import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English source strings, whatever translations exist (Swedish is tested in e2e)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
