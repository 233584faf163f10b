import pytest
from django_scopes import scopes_disabled

from tests import factories as f
from tests.mailserver import silent_smtp_server, smtp_server, smtp_server_with_login  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _no_scopes_in_test_code(db):
    """Test code reads freely; requests still run inside the organiser's scope (middleware)."""
    with scopes_disabled():
        yield


@pytest.fixture
def framework():
    return f.make_framework()


@pytest.fixture
def world(framework):
    """alice: admin of Mittköping; bob: principal of Ekskolan; charlie: admin of another organiser."""
    return f.World.build(framework=framework)
