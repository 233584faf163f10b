"""Every page's aria-describedby / aria-labelledby / label for= points at an element that exists,
and no id is used twice: screen readers read the help text and the errors of the field."""

from html.parser import HTMLParser

from tests.test_url_access import tenant_patterns, url_for  # noqa: F401 (url_for: the fixture, every URL with real ids)

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.duplicates, self.references = set(), set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            (self.duplicates if attrs["id"] in self.ids else self.ids).add(attrs["id"])
        for name in REFERENCES:
            for ref in (attrs.get(name) or "").split():
                self.references.append((tag, name, ref))

    handle_startendtag = handle_starttag


def id_problems(html):
    parser = _Ids()
    parser.feed(html)
    dangling = [(tag, name, ref) for tag, name, ref in parser.references if ref not in parser.ids]
    return dangling, sorted(parser.duplicates)


def test_the_checker_sees_a_dangling_reference():
    dangling, duplicates = id_problems('<input id="id_code" aria-describedby="id_code_help"><p id="x"></p><p id="x">')
    assert dangling == [("input", "aria-describedby", "id_code_help")]
    assert duplicates == ["x"]


def test_the_unit_form_links_the_code_to_its_help_text(client, world):
    client.force_login(world.alice)
    html = client.get("/mittkoping/organisation/units/new/").content.decode()
    assert 'aria-describedby="id_code_helptext"' in html
    assert 'id="id_code_helptext"' in html
    assert id_problems(html) == ([], [])


def test_a_field_with_errors_is_linked_to_them(client, world):
    client.force_login(world.alice)
    html = client.post("/mittkoping/organisation/units/new/", {"name": "", "code": ""}).content.decode()
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert 'aria-describedby="id_name_error"' in html
    assert id_problems(html) == ([], [])


def _pages(client, world, url_for):  # noqa: F811 (the fixture)
    for user in (world.alice, world.bob):
        client.force_login(user)
        for _name, route in tenant_patterns():
            url = url_for(route)
            for method in ("get", "post"):  # a post without data: forms come back with their errors
                response = getattr(client, method)(url)
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    yield f"{method.upper()} {url} as {user.email}", response.content.decode()
    client.logout()
    yield "GET /login/", client.get("/login/").content.decode()
    yield "POST /login/", client.post("/login/", {"username": "x@example.se", "password": "wrong"}).content.decode()


def test_no_page_points_at_an_id_that_is_not_there(client, world, url_for):  # noqa: F811 (the fixture)
    problems = {}
    for where, html in _pages(client, world, url_for):
        dangling, duplicates = id_problems(html)
        if dangling or duplicates:
            problems[where] = {"dangling": dangling, "duplicate ids": duplicates}
    assert problems == {}
