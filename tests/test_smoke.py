def test_login_page_is_swedish_by_default(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode()


def test_tenant_page_anonymous_goes_to_login(client, world):
    response = client.get("/mittkoping/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/mittkoping/")


def test_tenant_page_other_organiser_is_404(client, world):
    client.force_login(world.charlie)
    assert client.get("/mittkoping/").status_code == 404
    assert client.get("/no-such-organiser/").status_code == 404


def test_swedish_by_default_even_for_an_english_browser(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Logga in" in page and 'lang="sv"' in page


def test_english_on_request_stays_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    page = client.get("/login/").content.decode()
    assert "Log in to Stegvis" in page and 'lang="en"' in page


def test_security_headers(client):
    response = client.get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_session_slides_but_is_written_at_most_once_an_hour(client, world):
    import time

    from django.contrib.sessions.models import Session

    client.force_login(world.bob)
    client.get("/mittkoping/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    client.get("/mittkoping/")
    assert Session.objects.get(session_key=key).expire_date == first  # no write within the hour
    session = client.session
    session["_stegvis_refreshed"] = int(time.time()) - 2 * 3600
    session.save()
    before = Session.objects.get(session_key=key).expire_date
    time.sleep(1.1)
    client.get("/mittkoping/")
    assert Session.objects.get(session_key=key).expire_date > before  # extended
