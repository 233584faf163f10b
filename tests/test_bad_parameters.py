"""Nonsense in query strings and posted fields is refused or ignored, never a server error."""

import pytest

from tests import factories as f
from tests.test_url_access import tenant_patterns, url_for  # noqa: F401 (url_for: the fixture, every URL with real ids)

# Every parameter name a page reads from the query string or a posted form.
JUNK = (
    "activity round page district form area level state priority tag role q unit indicator "
    "status format kind sort view order revision choice owner due_date title"
).split()


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999999999999999999", "1 OR 1=1"])
def test_a_nonsense_activity_is_404_not_a_server_error(client, world, value):
    _assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.bob)
    assert client.get(f"/mittkoping/plans/{plan.pk}/actions/new/?activity={value}").status_code == 404
    posted = client.post(
        f"/mittkoping/plans/{plan.pk}/actions/new/", {"activity": value, "title": "X", "priority": "1"}
    )
    assert posted.status_code == 404


def test_every_page_survives_nonsense_parameters(client, world, url_for):  # noqa: F811 (the fixture)
    """The organiser admin and the principal between them reach every page; GET and POST each
    with every parameter set to nonsense (NUL included: PostgreSQL refuses it in text)."""
    variants = [{key: value for key in JUNK} for value in ("abc", "99999999999999999999", "a\x00b")]
    for user in (world.bob, world.alice):
        client.force_login(user)
        for name, route in tenant_patterns():
            url = url_for(route)
            # The PDF reads no parameters and takes a second to render: once is enough.
            for junk in variants[:1] if name == "unit_report_pdf" else variants:
                assert client.get(url, junk).status_code < 500, (name, url, user)
                assert client.post(url, junk).status_code < 500, (name, url, user)
