"""Error pages are the site's own: in the user's language, with a way back to the start page."""

from django.test import RequestFactory
from django.views import defaults


def test_forbidden_is_the_sites_own_page_in_swedish_with_a_way_back(client, world):
    client.force_login(world.bob)  # a principal may not read the organiser's overview
    response = client.get("/mittkoping/overview/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Du har inte behörighet till den här sidan" in page
    assert 'href="/mittkoping/"' in page and "Till startsidan" in page
    assert 'lang="sv"' in page and "403 Forbidden" not in page


def test_forbidden_in_english_for_a_user_who_chose_english(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world.bob)
    page = client.get("/mittkoping/overview/").content.decode()
    assert "You do not have access to this page" in page and "To the start page" in page


def test_not_found_is_the_sites_own_page(client, world):
    client.force_login(world.bob)
    response = client.get("/mittkoping/units/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan hittades inte" in page and 'href="/mittkoping/"' in page
    # another organiser's page: the same 404, with a way back to one's own start page
    response = client.get("/annanstad/")
    assert response.status_code == 404 and 'href="/"' in response.content.decode()


def test_server_error_and_bad_request_pages_need_no_request_context(world):
    from django.utils import translation

    request = RequestFactory().get("/")
    with translation.override("sv"):
        page = defaults.server_error(request).content.decode()
        assert "Något gick fel" in page and 'href="/"' in page and 'lang="sv"' in page
        page = defaults.bad_request(request, Exception("bad")).content.decode()
        assert "Begäran kunde inte hanteras" in page and 'href="/"' in page
    with translation.override("en"):
        assert "Something went wrong" in defaults.server_error(request).content.decode()


def test_an_expired_form_says_so_in_the_users_language(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post(f"/mittkoping/rounds/{world.rnd.pk}/status/", {"status": "closed"})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()
