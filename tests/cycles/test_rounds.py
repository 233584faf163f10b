from stegvis.cycles.models import Round
from tests import factories as f


def test_admin_opens_a_round(client, world, framework):
    client.force_login(world.alice)
    response = client.post(
        "/mittkoping/rounds/new/",
        {
            "name": "Läsår 2027/28",
            "framework": framework.pk,
            "opens_on": "2027-08-15",
            "deadline": "2027-11-30",
        },
    )
    assert response.status_code == 302
    rnd = Round.objects.get(name="Läsår 2027/28")
    assert rnd.status == "open" and rnd.is_upcoming  # open from its opening date
    assert set(rnd.unit_links.values_list("unit_id", flat=True)) == {world.unit.pk, world.other_unit.pk}


def test_round_form_validates_dates_and_duplicate_names(client, world, framework):
    client.force_login(world.alice)
    response = client.post(
        "/mittkoping/rounds/new/",
        {
            "name": "Läsår 2026/27",
            "framework": framework.pk,
            "opens_on": "2027-08-15",
            "deadline": "2027-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Läsår 2026/27" in page  # input kept
    assert Round.objects.filter(organizer=world.org).count() == 1


def test_admin_closes_and_reopens_a_round(client, world):
    client.force_login(world.alice)
    # closing asks first, saying what follows, on a page that works without JavaScript
    response = client.post(f"/mittkoping/rounds/{world.rnd.pk}/status/", {"status": "closed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "öppna omgången igen" in page and 'name="confirmed" value="yes"' in page and 'value="closed"' in page
    world.rnd.refresh_from_db()
    assert world.rnd.is_open
    client.post(f"/mittkoping/rounds/{world.rnd.pk}/status/", {"status": "closed", "confirmed": "yes"})
    world.rnd.refresh_from_db()
    assert not world.rnd.is_open
    client.post(f"/mittkoping/rounds/{world.rnd.pk}/status/", {"status": "open"})
    world.rnd.refresh_from_db()
    assert world.rnd.is_open


def test_viewer_sees_rounds_but_cannot_open_one(client, world, framework):
    client.force_login(world.vera)
    assert client.get("/mittkoping/rounds/").status_code == 200
    assert client.get("/mittkoping/rounds/new/").status_code == 403
    assert client.post(f"/mittkoping/rounds/{world.rnd.pk}/status/", {"status": "closed"}).status_code == 403


def test_round_list_counts_published_units(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    page = client.get("/mittkoping/rounds/").content.decode()
    assert "1 / 2" in page


def test_other_organisers_round_is_404(client, world, framework):
    other_round = f.make_round(world.other_org, framework, name="Deras runda")
    client.force_login(world.alice)
    assert client.get(f"/mittkoping/rounds/{other_round.pk}/edit/").status_code == 404


def test_editing_a_round_goes_through_the_domain_and_is_in_the_audit_log(client, world, framework):
    from stegvis.core.models import AuditEvent

    client.force_login(world.alice)
    response = client.post(
        f"/mittkoping/rounds/{world.rnd.pk}/edit/",
        {
            "name": "Läsår 2026/27 (ändrad)",
            "framework": framework.pk,
            "opens_on": "2026-08-15",
            "deadline": "2026-12-01",
        },
    )
    assert response.status_code == 302
    world.rnd.refresh_from_db()
    assert world.rnd.name == "Läsår 2026/27 (ändrad)"
    event = AuditEvent.objects.get(verb="round.changed", object_id=world.rnd.pk)
    assert event.actor == world.alice and "name" in event.summary and "deadline" in event.summary
