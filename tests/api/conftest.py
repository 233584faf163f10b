import pytest

from stegvis.api import domain
from tests import factories as f


@pytest.fixture
def published(world):
    """Ekskolan's principal assessment published in the round (with its plan)."""
    return f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)


@pytest.fixture
def read_token(world):
    _row, token = domain.create_api_token(organizer=world.org, by=world.alice, name="BI", scope="read")
    return token


@pytest.fixture
def write_token(world):
    _row, token = domain.create_api_token(organizer=world.org, by=world.alice, name="Import", scope="write")
    return token


@pytest.fixture
def api(client):
    """GET/POST/PATCH the API with a token: api.get(token, "/units", **params)."""

    class Api:
        def get(self, token, path, headers=None, **params):
            return client.get("/api/v1" + path, params, headers={"Authorization": f"Bearer {token}", **(headers or {})})

        def post(self, token, path, data):
            return client.post(
                "/api/v1" + path, data, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
            )

        def patch(self, token, path, data):
            return client.patch(
                "/api/v1" + path, data, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
            )

    return Api()
