"""The REST API: tokens, scoping to one organiser, pages, filters, ETags, rate limits, writes."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from stegvis.api import domain
from stegvis.api.models import ApiToken
from stegvis.core.models import AuditEvent
from stegvis.organisations.models import Unit
from tests import factories as f


def test_a_token_is_stored_only_as_its_hash(world):
    row, token = domain.create_api_token(organizer=world.org, by=world.alice, name="BI", scope="read")
    assert token.startswith("stegvis_") and len(token) == len("stegvis_") + 43
    stored = ApiToken.objects.values_list(flat=False).get(pk=row.pk)
    assert not any(token in str(v) or token[8:] in str(v) for v in stored)
    assert row.digest == ApiToken.digest_of(token)
    assert AuditEvent.objects.filter(verb="api_token.created", object_id=row.pk, actor=world.alice).exists()


def test_requests_without_a_valid_token_get_401(api, world, read_token):
    assert api.get("", "/units").status_code == 401
    assert api.get("stegvis_" + "x" * 43, "/units").status_code == 401
    assert api.get(read_token[:-1], "/units").status_code == 401
    assert api.get(read_token, "/units").status_code == 200


def test_a_revoked_or_expired_token_gets_401(api, world):
    row, token = domain.create_api_token(organizer=world.org, by=world.alice, name="BI", scope="read")
    domain.revoke_api_token(api_token=row, by=world.alice)
    assert api.get(token, "/units").status_code == 401
    row, token = domain.create_api_token(
        organizer=world.org,
        by=world.alice,
        name="Old",
        scope="read",
        expires_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    assert api.get(token, "/units").status_code == 200
    row.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    row.save()
    assert api.get(token, "/units").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(api, world, read_token):
    assert ApiToken.objects.get().last_used_at is None
    api.get(read_token, "/units")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    api.get(read_token, "/districts")
    assert ApiToken.objects.get().last_used_at == first


def test_a_token_sees_only_its_organiser(api, world, read_token):
    other_unit = f.UnitFactory(organizer=world.other_org, name="Annanskolan")
    names = [u["name"] for u in api.get(read_token, "/units").json()["items"]]
    assert sorted(names) == ["Björkskolan", "Ekskolan"]
    assert api.get(read_token, f"/units/{other_unit.pk}").status_code == 404
    assert api.get(read_token, f"/units/{world.unit.pk}").json()["name"] == "Ekskolan"
    _row, charlies = domain.create_api_token(organizer=world.other_org, by=world.charlie, name="X", scope="write")
    assert [u["name"] for u in api.get(charlies, "/units").json()["items"]] == ["Annanskolan"]
    assert api.get(charlies, f"/units/{world.unit.pk}").status_code == 404
    response = api.patch(charlies, f"/units/{world.unit.pk}", {"name": "Kapad"})
    assert response.status_code == 404
    assert Unit.objects.get(pk=world.unit.pk).name == "Ekskolan"


def test_the_organizer_endpoint_names_the_organiser_and_token(api, world, read_token):
    body = api.get(read_token, "/organizer").json()
    assert body["slug"] == "mittkoping" and body["token"] == {"name": "BI", "scope": "read", "expires_at": None}


def test_unit_pages_follow_the_cursor_to_the_end(api, world, read_token):
    for n in range(5):
        f.UnitFactory(organizer=world.org, name=f"Skola {n}")
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get(read_token, "/units", **params).json()
        seen += [u["id"] for u in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(Unit.objects.filter(organizer=world.org).values_list("pk", flat=True))
    assert api.get(read_token, "/units", cursor="not-ours").status_code == 400


def test_units_filter_by_district_school_form_and_active(api, world, read_token):
    f.UnitFactory(organizer=world.org, name="Förskolan Ljuset", school_forms=1, district=None)
    f.deactivate(world.other_unit)

    def names(**params):
        return sorted(u["name"] for u in api.get(read_token, "/units", **params).json()["items"])

    assert names(district=world.district.pk) == ["Ekskolan"]
    assert names(school_form="forskola") == ["Förskolan Ljuset"]
    assert names(active="false") == ["Björkskolan"]
    assert names(no_district="true") == ["Förskolan Ljuset"]
    assert api.get(read_token, "/units", school_form="nonsense").status_code == 422


def test_get_answers_carry_an_etag_and_304_when_unchanged(api, world, read_token):
    first = api.get(read_token, "/units")
    etag = first["ETag"]
    assert etag
    again = api.get(read_token, "/units", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    f.UnitFactory(organizer=world.org, name="Ny skola")
    changed = api.get(read_token, "/units", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


@override_settings(STEGVIS_API_RATE_LIMIT=3)
def test_a_token_over_its_rate_limit_gets_429_with_retry_after(api, world, read_token):
    from django.core.cache import cache

    cache.clear()
    assert [api.get(read_token, "/districts").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(read_token, "/districts")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    _row, other = domain.create_api_token(organizer=world.org, by=world.alice, name="Other", scope="read")
    assert api.get(other, "/districts").status_code == 200  # per token
    cache.clear()


def test_published_assessments_with_answers_and_never_drafts(api, world, read_token, published):
    from stegvis.assessments import domain as assessments

    assessments.start_assessment(unit=world.other_unit, round=world.rnd, by=world.eve)  # a draft
    body = api.get(read_token, "/assessments", round=world.rnd.pk).json()
    assert [a["unit_id"] for a in body["items"]] == [world.unit.pk]
    item = body["items"][0]
    assert item["perspective"] == "principal" and item["answers"]
    assert {a["level"] for a in item["answers"]} == {3}
    assert api.get(read_token, "/assessments", perspective="work_team").json()["items"] == []
    assert api.get(read_token, f"/assessments/{item['id']}").json()["id"] == item["id"]


def test_action_plans_actions_cells_and_maturity(api, world, read_token, published):
    from stegvis.planning import domain as planning

    _assessment, plan = published
    planning.add_action(plan=plan, by=world.bob, title="Fortbildning i AI")
    plans = api.get(read_token, "/action-plans", unit=world.unit.pk).json()["items"]
    assert len(plans) == 1 and "Fortbildning i AI" in [a["title"] for a in plans[0]["actions"]]
    actions = api.get(read_token, "/actions", status="planned").json()["items"]
    assert "Fortbildning i AI" in [a["title"] for a in actions]
    cells = api.get(read_token, "/overview-cells", round=world.rnd.pk, unit=world.unit.pk).json()["items"]
    assert cells and {c["level"] for c in cells} == {3}
    figures = api.get(read_token, "/maturity", round=world.rnd.pk, scope="organizer", area="").json()["items"]
    assert len(figures) == 1
    assert figures[0]["unit_count"] == 1 and figures[0]["value"] == pytest.approx(200 / 3)
    national = api.get(read_token, "/maturity/national").json()
    assert national["items"] == []  # nobody else shares: nothing shown


def test_a_read_token_cannot_write(api, world, read_token):
    response = api.post(read_token, "/units", {"name": "Ny", "code": "12345678", "school_forms": ["grundskola"]})
    assert response.status_code == 403
    assert not Unit.objects.filter(code="12345678").exists()


def test_a_write_token_creates_and_changes_units_with_the_pages_checks(api, world, write_token):
    response = api.post(
        write_token,
        "/units",
        {"name": "Nya skolan", "code": "12345678", "school_forms": ["grundskola"], "district_id": world.district.pk},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["district_id"] == world.district.pk and created["active"] is True
    unit = Unit.objects.get(pk=created["id"])
    # the unit joined the open round, as one made on the unit page does
    assert world.rnd.unit_links.filter(unit=unit).exists()
    assert AuditEvent.objects.filter(verb="unit.created", object_id=unit.pk).exists()
    assert AuditEvent.objects.filter(verb="api_token.wrote", object_id=unit.pk).exists()

    # the same messages as the unit page: a code used by another unit, a bad code, a control character
    taken = api.post(write_token, "/units", {"name": "X", "code": world.unit.code, "school_forms": ["grundskola"]})
    assert taken.status_code == 422 and "code" in taken.json()["detail"]
    bad = api.post(write_token, "/units", {"name": "X", "code": "1234", "school_forms": ["grundskola"]})
    assert bad.status_code == 422 and "code" in bad.json()["detail"]
    nul = api.post(write_token, "/units", {"name": "X\x00", "code": "87654321", "school_forms": ["grundskola"]})
    assert nul.status_code == 422 and "name" in nul.json()["detail"]
    other_district = f.DistrictFactory(organizer=world.other_org, name="Främmande")
    foreign = api.post(
        write_token,
        "/units",
        {"name": "X", "code": "87654321", "school_forms": ["grundskola"], "district_id": other_district.pk},
    )
    assert foreign.status_code == 422 and "district" in foreign.json()["detail"]

    changed = api.patch(write_token, f"/units/{unit.pk}", {"name": "Nya skolan 2", "district_id": None})
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Nya skolan 2" and changed.json()["district_id"] is None
    assert changed.json()["school_forms"] == ["grundskola"]
    inactive = api.patch(write_token, f"/units/{unit.pk}", {"active": False})
    assert inactive.json()["active"] is False
    assert not world.rnd.unit_links.filter(unit=unit).exists()  # left the open round
    assert api.patch(write_token, f"/units/{unit.pk}", {"school_forms": []}).status_code == 422


def test_the_openapi_document_and_docs_page_without_cdn(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/units" in paths and "post" in paths["/api/v1/units"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<script>" not in html  # no inline script: only src= scripts and a JSON data block


def _queries(api, token, path, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert api.get(token, path, **params).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(api, world, read_token):
    from stegvis.planning import domain as planning

    def counts():
        return {
            path: _queries(api, read_token, path, **params)
            for path, params in [
                ("/units", {}),
                ("/assessments", {}),
                ("/action-plans", {}),
                ("/actions", {}),
                ("/overview-cells", {"round": world.rnd.pk}),
                ("/maturity", {}),
            ]
        }

    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    planning.add_action(plan=plan, by=world.bob, title="En")
    api.get(read_token, "/maturity")  # figures computed once
    few = counts()
    for n in range(3):
        unit = f.UnitFactory(organizer=world.org, district=world.district, name=f"Fler {n}")
        _a, plan = f.published_assessment(unit, world.rnd, by=None)
        planning.add_action(plan=plan, by=None, title="Två")
    api.get(read_token, "/maturity")
    assert counts() == few


def test_a_write_token_imports_a_unit_file_as_the_import_page_does(api, world, write_token, read_token):
    csv_text = (
        "name,unit code,school forms,district\n"
        f"Ekskolan (ny),{world.unit.code},Grundskola,Norra\n"
        "Lärkans förskola,44440001,Förskola,Södra\n"
    )
    assert api.post(read_token, "/unit-imports", {"file": csv_text}).status_code == 403
    preview = api.post(write_token, "/unit-imports", {"file": csv_text})
    assert preview.status_code == 200, preview.content
    assert preview.json()["dry_run"] is True
    assert preview.json()["created"] == ["44440001"] and preview.json()["changed"] == [world.unit.code]
    assert not Unit.objects.filter(code="44440001").exists()

    done = api.post(write_token, "/unit-imports", {"file": csv_text, "dry_run": False})
    assert done.status_code == 200 and done.json()["created"] == ["44440001"]
    assert Unit.objects.get(code="44440001").district.name == "Södra"
    assert Unit.objects.get(pk=world.unit.pk).name == "Ekskolan (ny)"
    assert AuditEvent.objects.filter(verb="units.imported").exists()

    bad = api.post(write_token, "/unit-imports", {"file": "name,unit code,school forms\nX,123,Grundskola\n"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["place"] == "Rad 2" or bad.json()["detail"][0]["place"].endswith("2")
