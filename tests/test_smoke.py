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
