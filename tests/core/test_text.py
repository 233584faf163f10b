"""Control characters in typed, pasted or uploaded text: a message in the user's language,
never a server error (PostgreSQL refuses NUL in text), and nothing typed is lost."""

import importlib
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import stegvis
from stegvis.assessments import domain as assessments
from stegvis.assessments.models import Answer, Assessment
from stegvis.core.forms import TextChecksMixin
from stegvis.core.middleware import ControlCharacterMiddleware
from stegvis.core.text import ControlCharacterValidator, find_control_character
from stegvis.organisations.models import District, Unit
from stegvis.planning.models import Action
from tests import factories as f

HX = {"HTTP_HX_REQUEST": "true"}
UNITS = "/mittkoping/organisation/units/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("value", "multiline", "found"),
    [
        ("Ekskolan", False, None),
        ("Ek\x00skolan", False, (3, "\x00")),
        ("Ek\tskolan", False, (3, "\t")),
        ("rad 1\r\nrad 2\tmed tabb", True, None),
        ("rad 1\n\x1b[31m", True, (7, "\x1b")),
        ("\x7f", True, (1, "\x7f")),
        ("\x85", False, (1, "\x85")),
        ("Åäö – “citat” ✓", False, None),
    ],
)
def test_find_control_character(value, multiline, found):
    assert find_control_character(value, multiline=multiline) == found


def test_the_validator_names_the_position():
    with translation.override("en"):
        with pytest.raises(ValidationError, match="character 3"):
            ControlCharacterValidator()("Ek\x00skolan")
        with pytest.raises(ValidationError, match="single line"):
            ControlCharacterValidator()("Ek\nskolan")
    ControlCharacterValidator(multiline=True)("Ek\nskolan")


def _our_form_classes():
    for module in pkgutil.walk_packages(stegvis.__path__, "stegvis."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("stegvis.") and c.__module__ != "stegvis.core.forms"]


def test_every_form_of_ours_checks_its_text_fields():
    classes = _our_form_classes()
    assert len(classes) >= 10  # the walk found the forms
    assert [c.__qualname__ for c in classes if not issubclass(c, TextChecksMixin)] == []


def test_a_nul_in_a_unit_name_is_a_message_at_the_field_and_keeps_the_input(english, world):
    english.force_login(world.alice)
    data = {"name": "Lärk\x00skolan", "code": "20000001", "school_forms": ["grundskola"]}
    response = english.post(f"{UNITS}new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove the invisible control character at character 5" in html
    assert html.count("control character") == 1  # not Django's own NUL message as well
    assert 'value="20000001"' in html  # the rest is kept
    assert not Unit.objects.filter(code="20000001").exists()


def test_the_message_is_swedish_by_default(client, world):
    client.force_login(world.alice)
    response = client.post(f"{UNITS}new/", {"name": "Lärk\x01skolan", "code": "20000001"})
    assert "Ta bort det osynliga styrtecknet vid tecken 5" in response.content.decode()


def test_a_tab_in_a_single_line_name_is_refused(english, world):
    english.force_login(world.alice)
    response = english.post("/mittkoping/organisation/districts/new/", {"name": "Norra\tdelen"})
    assert "Remove the line break or tab at character 6" in response.content.decode()
    assert not District.objects.filter(name__startswith="Norra\t").exists()


def test_multi_line_text_keeps_line_breaks_but_not_other_control_characters(english, world):
    _assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    english.force_login(world.bob)
    url = f"/mittkoping/plans/{plan.pk}/actions/new/"
    bad = english.post(url, {"title": "Studiecirkel", "priority": "2", "description": "Steg 1\r\nSteg\x002"})
    assert bad.status_code == 200
    assert "Remove the invisible control character at character 13" in bad.content.decode()
    assert not Action.objects.exists()
    good = english.post(url, {"title": "Studiecirkel", "priority": "2", "description": "Steg 1\r\n\tSteg 2"})
    assert good.status_code == 302
    assert Action.objects.get().description == "Steg 1\r\n\tSteg 2"


def test_a_nul_in_an_assessment_comment_is_an_error_not_a_server_error(english, world):
    english.force_login(world.bob)
    english.post(f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/start/")
    assessment = Assessment.objects.get(unit=world.unit, round=world.rnd)
    ind = assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    url = f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/"
    response = english.post(url, {"choice": "3", "comment": "Vi har\x00 en plan", "revision": "0"}, **HX)
    assert response["X-Stegvis-Outcome"] == "error"
    assert "invisible control character" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()
    response = english.post(url, {"choice": "3", "comment": "Rad 1\nRad 2", "revision": "0"}, **HX)
    assert response["X-Stegvis-Outcome"] == "saved"


@pytest.mark.parametrize("query", ["q=Ek%00", "q=Ek%01skolan&active=1", "%00=1", "q=a%0Ab"])
def test_a_control_character_in_the_query_string_is_a_clear_400(english, world, query):
    english.force_login(world.alice)
    response = english.get(f"{UNITS}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Invisible characters in the address" in html
    assert 'href="/mittkoping/organisation/units/?' in html  # the same page without them


def test_the_400_page_is_swedish_by_default_and_links_to_the_clean_address(client, world):
    client.force_login(world.alice)
    response = client.get("/mittkoping/organisation/users/?q=bo%00b&role=principal")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Osynliga tecken i adressen" in html
    assert "parametern ”q”" in html or "parametern “q”" in html
    assert 'href="/mittkoping/organisation/users/?q=bob&amp;role=principal"' in html
    assert client.get("/mittkoping/organisation/users/?q=bob&role=principal").status_code == 200


def test_the_clean_link_never_leaves_the_site(rf):
    """A path such as ``//evil.example/`` must not become a link to another host."""
    middleware = ControlCharacterMiddleware(lambda request: None)
    for path in ("//evil.example/", "/\\evil.example/", "/\\/evil.example/"):
        request = rf.get("/?q=%00")
        request.path = path
        request.user = AnonymousUser()
        html = middleware(request).content.decode()
        assert 'href="/evil.example/?q="' in html


def test_a_control_character_in_a_csv_cell_is_reported_with_its_line(english, world):
    english.force_login(world.alice)
    text = "name,unit code,school forms,district\nLärkskolan,20000001,Grundskola,Norra\nSol\x00gläntan,20000002,Förskola,No\x1bra\n"
    upload = SimpleUploadedFile("units.csv", text.encode(), content_type="text/csv")
    response = english.post(f"{UNITS}import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Column “name”: Remove the invisible control character at character 4" in html
    assert "Column “district”: Remove the invisible control character at character 3" in html
    assert "3" in html  # the line number
    assert not Unit.objects.filter(code__in=["20000001", "20000002"]).exists()
