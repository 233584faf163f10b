import copy
import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from stegvis.frameworks.loader import DEFAULT_FRAMEWORK, FrameworkError, load_framework, validate
from stegvis.frameworks.models import Activity, Framework, Indicator
from tests import factories as f

T = lambda s: {"sv": s, "en": s}  # noqa: E731

MINIMAL = {
    "format": 1,
    "key": "egen",
    "version": "1.0",
    "name": T("Egen modell"),
    "levels": [T("Steg 1"), T("Steg 2"), T("Steg 3")],
    "areas": [
        {
            "key": "ledning",
            "name": T("Ledning"),
            "indicators": [
                {
                    "key": "vision",
                    "code": "L1",
                    "title": T("Vision"),
                    "school_forms": ["forskola", "grundskola"],
                    "tags": ["strategi"],
                    "levels": [{"text": T("a")}, {"text": T("b"), "preschool": T("b förskola")}, {"text": T("c")}],
                    "activities": [
                        {"to_level": 2, "title": T("Gör"), "description": T("Så")},
                        {"to_level": 3, "title": T("Gör mer"), "description": T("Så")},
                    ],
                }
            ],
        }
    ],
}


def write(tmp_path, data, name="fw.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_minimal_framework_loads_with_school_forms_and_activities(tmp_path):
    fw, created = load_framework(write(tmp_path, MINIMAL))
    assert created and fw.level_count == 3
    ind = Indicator.objects.get(framework=fw)
    assert ind.applies_to(1) and not ind.applies_to(4)
    assert ind.levels.get(number=2).preschool_sv == "b förskola"
    assert Activity.objects.filter(indicator=ind).count() == 2


def test_loading_the_same_version_twice_changes_nothing(tmp_path):
    path = write(tmp_path, MINIMAL)
    load_framework(path)
    _fw, created = load_framework(path)
    assert not created and Framework.objects.count() == 1 and Indicator.objects.count() == 1


def test_other_content_under_same_version_is_refused(tmp_path):
    load_framework(write(tmp_path, MINIMAL))
    changed = copy.deepcopy(MINIMAL)
    changed["name"] = T("Annat namn")
    with pytest.raises(FrameworkError, match="new version"):
        load_framework(write(tmp_path, changed, "b.yaml"))


@pytest.mark.parametrize(
    "mutate, path, reason",
    [
        (
            lambda d: d["areas"][0]["indicators"][0]["activities"][0].update(to_level=7),
            "areas[0](ledning).indicators[0](vision).activities[0].to_level",
            "out of range",
        ),
        (
            lambda d: d["areas"][0]["indicators"][0]["levels"].pop(),
            "areas[0](ledning).indicators[0](vision).levels",
            "expected 3 levels",
        ),
        (
            lambda d: d["areas"][0]["indicators"][0].update(school_forms=["hogskola"]),
            "areas[0](ledning).indicators[0](vision).school_forms",
            "unknown school form 'hogskola'",
        ),
        (
            lambda d: d["areas"][0]["indicators"][0]["title"].update(sv=" "),
            "areas[0](ledning).indicators[0](vision).title.sv",
            "missing or empty",
        ),
        (
            lambda d: d["levels"][1].update(sv=""),
            "levels[1].sv",
            "missing or empty",
        ),
        (
            lambda d: d["areas"][0]["indicators"][0]["activities"].pop(),
            "areas[0](ledning).indicators[0](vision).activities",
            "level 3",
        ),
        (lambda d: d.update(format=2), "format", "expected 1"),
    ],
)
def test_errors_name_the_path_and_reason(mutate, path, reason):
    data = copy.deepcopy(MINIMAL)
    mutate(data)
    problems = validate(data)
    assert any(p.path == path and reason in p.reason for p in problems), problems


def test_command_reports_file_path_reason_and_loads_nothing(tmp_path):
    data = copy.deepcopy(MINIMAL)
    data["areas"][0]["indicators"][0]["activities"][0]["to_level"] = 9
    path = write(tmp_path, data)
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", str(path))
    assert str(path) in str(exc.value) and "to_level" in str(exc.value) and "out of range" in str(exc.value)
    assert not Framework.objects.exists()


def test_malformed_yaml_reports_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nkey: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line"):
        call_command("load_framework", str(path))


def test_organiser_loads_its_own_framework(tmp_path, world):
    out = io.StringIO()
    call_command("load_framework", str(write(tmp_path, MINIMAL)), organizer="mittkoping", stdout=out)
    fw = Framework.objects.get(key="egen")
    assert fw.organizer == world.org
    assert list(Framework.objects.available_to(world.other_org).filter(key="egen")) == []
    with pytest.raises(CommandError, match="unknown organiser"):
        call_command("load_framework", str(write(tmp_path, MINIMAL)), organizer="nope")


def test_default_framework_is_valid_and_complete():
    out = io.StringIO()
    call_command("load_framework", stdout=out)
    fw = Framework.objects.get(key="stegvis")
    assert [a.key for a in fw.areas.all()] == ["ledning", "infrastruktur", "kompetens", "anvandning"]
    for area in fw.areas.all():
        assert area.indicators.count() >= 8
    assert fw.level_count == 4
    for ind in fw.indicators.all():
        assert ind.levels.count() == 4
        assert {a.to_level for a in ind.activities.all()} >= {2, 3, 4}
    assert fw.indicators.exclude(school_forms=31).exists()  # some apply to some school forms only
    assert Indicator.objects.filter(framework=fw, levels__preschool_sv__gt="").distinct().count() >= 8
    assert DEFAULT_FRAMEWORK.name.startswith("stegvis-")


def test_rounds_use_organisers_frameworks_only(world):
    own = f.make_framework(key="egen", organizer=world.other_org)
    assert own not in Framework.objects.available_to(world.org)


def test_shipped_framework_words_titles_for_preschool_where_they_speak_of_pupils(client, world):
    """Where the shipped titles say "elever", preschool units read "barn", as in the level texts."""
    from stegvis.assessments import domain as assessments
    from stegvis.core import schoolforms

    fw, _created = load_framework(DEFAULT_FRAMEWORK)
    for ind in Indicator.objects.filter(framework=fw):
        applies_to_preschool = ind.school_forms & schoolforms.PRESCHOOL
        if applies_to_preschool and "elev" in ind.title_sv.lower():
            assert ind.preschool_sv and "elev" not in ind.preschool_sv.lower(), ind.code
            assert ind.preschool_en and "pupil" not in ind.preschool_en.lower(), ind.code
    assert fw.tag_name("kallkritik") == "Källkritik" and fw.tag_name("kallkritik", "en") == "Source criticism"

    preschool = f.UnitFactory(organizer=world.org, district=world.district, name="Förskolan Solen")
    preschool.school_forms = schoolforms.PRESCHOOL
    preschool.save()
    school = world.unit
    rnd = f.make_round(world.org, fw, name="Läsår 2027/28")
    f.member(world.bob, world.org, "principal", unit=preschool)
    client.force_login(world.bob)
    pages = {}
    for unit in (preschool, school):
        draft, _ = assessments.start_assessment(unit=unit, round=rnd, by=world.bob)
        pages[unit] = client.get(f"/mittkoping/assessments/{draft.pk}/areas/kompetens/").content.decode()
    assert "Barnens digitala kompetens" in pages[preschool] and "Elevernas digitala kompetens" not in pages[preschool]
    assert "Elevernas digitala kompetens" in pages[school]


def test_preschool_title_and_tag_names_are_validated():
    data = copy.deepcopy(MINIMAL)
    data["tag_names"] = {"strategi": {"sv": ""}, "Bad Key": T("x"), "ekonomi": {"de": "Wirtschaft"}}
    data["areas"][0]["indicators"][0]["preschool_title"] = {"sv": " "}
    problems = [str(p) for p in validate(data)]
    assert "tag_names.strategi.sv: missing or empty text" in problems
    assert any(p.startswith("tag_names.Bad Key") for p in problems)
    assert any(p.startswith("tag_names.ekonomi: unknown language") for p in problems)
    assert any("preschool_title.sv: missing or empty" in p for p in problems)
    data["tag_names"] = ["strategi"]
    assert "tag_names: expected a mapping of tag: {sv: ..., en: ...}" in [str(p) for p in validate(data)]


def test_tag_names_and_preschool_titles_in_one_language_read_the_same_in_english(tmp_path):
    """Like every text of the format, a tag name or preschool title may be given in one language."""
    data = copy.deepcopy(MINIMAL)
    data["tag_names"] = {"strategi": {"sv": "Strategi"}}
    data["areas"][0]["indicators"][0]["preschool_title"] = {"sv": "Barnens vision"}
    fw, _created = load_framework(write(tmp_path, data))
    assert fw.tag_name("strategi", "en") == "Strategi" and fw.tag_name("okand-tagg") == "Okand tagg"
    ind = Indicator.objects.get(framework=fw)
    assert (ind.preschool_sv, ind.preschool_en) == ("Barnens vision", "Barnens vision")


def test_the_action_form_lists_indicators_in_the_ui_language(client, world):
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.bob)
    client.cookies["django_language"] = "en"
    page = client.get(f"/mittkoping/plans/{plan.pk}/actions/new/").content.decode()
    assert ">A1.1 Indicator A1.1</option>" in page and "Indikator A1.1" not in page
    client.cookies["django_language"] = "sv"
    page = client.get(f"/mittkoping/plans/{plan.pk}/actions/new/").content.decode()
    assert ">A1.1 Indikator A1.1</option>" in page
