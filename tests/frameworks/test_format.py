"""The framework format's shapes beyond the shipped one (docs/framework-format.md): texts in one
language, level labels, 2 to 7 levels, groups, optional indicators and activities, versions
that map to the one before; and a validator that answers every malformed file with a message."""

import copy
import itertools
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from stegvis.frameworks.loader import FrameworkError, load_framework, read, validate
from stegvis.frameworks.models import Activity, Framework, Group, Indicator, Level

from .test_loader import MINIMAL, T, write

DATA = Path(__file__).resolve().parent / "data"


def problems_of(data):
    return [str(p) for p in validate(data)]


def load_fixture(name, **kwargs):
    fw, created = load_framework(DATA / name, **kwargs)
    assert created
    return fw


# --- the three frameworks of other shapes -------------------------------------------------


def test_selfie_like_framework_in_english_only_loads_with_both_languages_filled():
    fw = load_fixture("selfie-like.yaml")
    assert fw.level_count == 5 and not fw.has_labels
    assert fw.name_sv == fw.name_en == "Self-reflection on effective learning (test)"
    assert fw.level_name(1, "sv") == "1 Strongly disagree" and fw.level_label(5) == "5"
    ind = Indicator.objects.get(framework=fw, key="digital-strategy")
    assert ind.title_sv == ind.title_en == "We have a digital strategy"
    # no level texts of its own: five levels with the framework's names only, and no activities
    assert list(ind.levels.values_list("number", "text_sv")) == [(n, "") for n in range(1, 6)]
    assert not Activity.objects.filter(indicator__framework=fw).exists()
    assert set(Indicator.objects.filter(framework=fw, optional=True).values_list("key", flat=True)) == {
        "new-ways",
        "assistive-technologies",
    }
    devices = Indicator.objects.get(framework=fw, key="devices")
    assert devices.levels.get(number=5).text_sv == "Enough devices whenever they are needed."


def test_360_like_framework_has_descending_labels_strands_and_activities_by_label():
    fw = load_fixture("360-like.yaml")
    assert fw.has_labels
    assert [(n, label, name) for n, label, name, _css in fw.levels("en")] == [
        (1, "5", "No action"),
        (2, "4", "Initial"),
        (3, "3", "Developing"),
        (4, "2", "Established"),
        (5, "1", "Aspirational"),
    ]
    assert fw.level_name(1, "sv") == "Inget gjort"
    assert fw.group_term_en == "Strand" and fw.group_term_sv == "Delområde"
    groups = list(Group.objects.filter(framework=fw).values_list("area__key", "key", "order"))
    assert groups == [
        ("policy-leadership", "responsibilities", 1),
        ("policy-leadership", "policies", 2),
        ("infrastructure", "filtering", 1),
    ]
    indicators = list(
        Indicator.objects.filter(framework=fw)
        .order_by("area__order", "order")
        .values_list("code", "group__key", "order")
    )
    assert indicators == [
        ("1.1", "responsibilities", 1),
        ("1.2", "responsibilities", 2),
        ("1.3", "policies", 3),
        ("2.1", "filtering", 1),
    ]
    # activities name the level they lead to by its label: "4" is the second level
    steps = list(
        Activity.objects.filter(indicator__code="1.1").order_by("to_level").values_list("to_level", "title_en")
    )
    assert steps == [
        (2, "Name the group"),
        (3, "Book the first meeting"),
        (4, "Meet every term"),
        (5, "Invite pupils and guardians"),
    ]
    # a text in English only is shown in Swedish too
    assert Level.objects.get(indicator__code="1.1", number=1).text_sv == "There is no online safety group."
    # a mean of level numbers reads in the labels: 6 - x
    assert fw.mean_label(1) == 5 and fw.mean_label(4.5) == 1.5


def test_digcomporg_like_framework_in_swedish_with_six_levels_and_sub_elements():
    fw = load_fixture("digcomporg-like.yaml")
    assert fw.level_count == 6 and fw.name_en == "Digitalt kompetenta organisationer (test)"
    assert fw.group_term_sv == fw.group_term_en == "Delelement"
    assert Group.objects.filter(framework=fw).count() == 3
    assert Indicator.objects.get(framework=fw, key="utvardering").optional
    assert Level.objects.filter(indicator__framework=fw).count() == 4 * 6


@pytest.mark.parametrize("name", ["selfie-like.yaml", "360-like.yaml", "digcomporg-like.yaml"])
def test_fixture_frameworks_pass_check(name):
    call_command("load_framework", str(DATA / name), check=True)


def test_an_organisers_framework_of_another_shape_loads_for_it_alone(world):
    fw = load_fixture("360-like.yaml", organizer=world.org)
    assert fw.organizer == world.org
    assert not Framework.objects.available_to(world.other_org).filter(key="three-sixty-like").exists()


# --- the rules, one by one ------------------------------------------------------------------


def minimal():
    return copy.deepcopy(MINIMAL)


def indicator(data):
    return data["areas"][0]["indicators"][0]


IPATH = "areas[0](ledning).indicators[0](vision)"


def test_a_text_may_have_one_language(tmp_path):
    data = minimal()
    indicator(data)["title"] = {"en": "Vision"}
    data["name"] = {"sv": "Egen modell"}
    fw, _ = load_framework(write(tmp_path, data))
    ind = Indicator.objects.get(framework=fw)
    assert (ind.title_sv, ind.title_en) == ("Vision", "Vision")
    assert (fw.name_sv, fw.name_en) == ("Egen modell", "Egen modell")


def test_a_plain_text_needs_the_files_language():
    data = minimal()
    indicator(data)["title"] = "Vision"
    assert any(f"{IPATH}.title: expected {{sv: ..., en: ...}} (or set `language: sv`" in p for p in problems_of(data))
    data["language"] = "sv"
    assert problems_of(data) == []
    data["language"] = "de"
    assert any(p.startswith("language: expected sv or en") for p in problems_of(data))


def test_a_text_in_an_unknown_language_or_none_is_refused():
    data = minimal()
    indicator(data)["title"] = {"de": "Vision"}
    assert f"{IPATH}.title: unknown language(s): de (known: sv, en)" in problems_of(data)
    indicator(data)["title"] = {}
    assert f"{IPATH}.title: expected a text in Swedish (sv), English (en) or both" in problems_of(data)


def test_level_paths_name_the_level_itself():
    data = minimal()
    data["levels"][0] = {"sv": "", "en": "Step 1"}
    assert problems_of(data) == ["levels[0].sv: missing or empty text"]


def test_an_indicator_without_activities_loads(tmp_path):
    data = minimal()
    del indicator(data)["activities"]
    fw, _ = load_framework(write(tmp_path, data))
    assert not Activity.objects.filter(indicator__framework=fw).exists()
    indicator(data)["activities"] = []
    assert problems_of(data) == []


def test_activities_for_some_steps_only_are_refused():
    data = minimal()
    indicator(data)["activities"].pop()
    assert problems_of(data) == [
        f"{IPATH}.activities: no suggested activity for the step up to level 3 (give at least one for every step up, or none)"
    ]


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6, 7])
def test_two_to_seven_levels_load(tmp_path, count):
    data = minimal()
    data["levels"] = [T(f"Steg {n}") for n in range(1, count + 1)]
    indicator(data)["levels"] = [{"text": T(f"nivå {n}")} for n in range(1, count + 1)]
    indicator(data)["activities"] = [
        {"to_level": n, "title": T(f"Till {n}"), "description": T("Så")} for n in range(2, count + 1)
    ]
    fw, _ = load_framework(write(tmp_path, data))
    assert fw.level_count == count
    assert [css for *_rest, css in fw.levels()] == [f"lv{count}-{n}" for n in range(1, count + 1)]


@pytest.mark.parametrize("count", [1, 8])
def test_fewer_than_two_or_more_than_seven_levels_are_refused(count):
    data = minimal()
    data["levels"] = [T(f"Steg {n}") for n in range(1, count + 1)]
    assert "levels: expected a list of 2 to 7 levels, the lowest first" in problems_of(data)


def test_level_labels_rules():
    data = minimal()
    data["levels"] = [
        {"label": "C", "name": T("Låg")},
        {"label": "B", "name": T("Mellan")},
        {"label": "A", "name": T("Hög")},
    ]
    indicator(data)["activities"] = [
        {"to_level": "B", "title": T("Gör"), "description": T("Så")},
        {"to_level": "A", "title": T("Gör mer"), "description": T("Så")},
    ]
    assert problems_of(data) == []
    indicator(data)["activities"][0]["to_level"] = "C"
    assert f"{IPATH}.activities[0].to_level: expected the label of a level above the first: B, A" in problems_of(data)
    data["levels"][2] = T("Hög")
    assert "levels: give every level a label, or none (then the labels are the numbers 1, 2, ...)" in problems_of(data)
    data["levels"][2] = {"label": "B", "name": T("Hög")}
    assert "levels: duplicate label(s): B" in problems_of(data)
    data["levels"][2] = {"label": "ABCDE", "name": T("Hög")}
    assert any(p.startswith("levels[2].label: too long: at most 4 characters") for p in problems_of(data))
    data["levels"][2] = {"label": True, "name": T("Hög")}
    assert any(p.startswith("levels[2].label: expected a short label") for p in problems_of(data))
    data["levels"][2] = {"label": "A", "name": T("Hög"), "colour": "red"}
    assert any(p.startswith("levels[2]: unknown key 'colour'") for p in problems_of(data))
    data["levels"][2] = {"label": "A"}
    assert "levels[2].name: missing" in problems_of(data)


def test_optional_indicators_load_and_the_flag_is_a_boolean(tmp_path):
    data = minimal()
    indicator(data)["optional"] = "ja"
    assert problems_of(data) == [f"{IPATH}.optional: expected true or false"]
    indicator(data)["optional"] = True
    fw, _ = load_framework(write(tmp_path, data))
    assert Indicator.objects.get(framework=fw).optional


def test_groups_rules():
    data = minimal()
    area = data["areas"][0]
    area["groups"] = [{"key": "g1", "name": T("Grupp"), "indicators": area.pop("indicators")}]
    assert problems_of(data) == []
    area["indicators"] = []
    assert "areas[0](ledning): give the area either indicators or groups of indicators, not both" in problems_of(data)
    del area["indicators"]
    area["groups"].append({"key": "g1", "name": T("Grupp 2"), "indicators": []})
    found = problems_of(data)
    assert "areas[0](ledning).groups[1].key: duplicate group key 'g1'" in found
    assert "areas[0](ledning).groups[1](g1).indicators: expected a list with at least 1 item(s)" in found


def test_unknown_keys_are_errors_with_their_path():
    data = minimal()
    data["areas"][0]["strands"] = []
    data["colour"] = "blå"
    indicator(data)["weight"] = 2
    indicator(data)["levels"][0]["hint"] = T("x")
    indicator(data)["activities"][0]["owner"] = "rektor"
    found = problems_of(data)
    assert any(p.startswith("areas[0](ledning): unknown key 'strands' (known here: key, name") for p in found)
    assert any(p.startswith("(top): unknown key 'colour'") for p in found)
    assert any(p.startswith(f"{IPATH}: unknown key 'weight'") for p in found)
    assert any(p.startswith(f"{IPATH}.levels[0]: unknown key 'hint'") for p in found)
    assert any(p.startswith(f"{IPATH}.activities[0]: unknown key 'owner'") for p in found)


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: indicator(d).update(title=T("x" * 301)), f"{IPATH}.title.sv: too long: 301 characters, at most 300"),
        (lambda d: d.update(name=T("x" * 201)), "(top).name.sv: too long: 201 characters, at most 200"),
        (
            lambda d: d["areas"][0].update(name={"en": "x" * 201}),
            "areas[0](ledning).name.en: too long: 201 characters, at most 200",
        ),
        (lambda d: indicator(d).update(code="L" * 21), f"{IPATH}.code: too long: 21 characters, at most 20"),
        (lambda d: d.update(version="1" * 31), "version: too long: 31 characters, at most 30"),
        (lambda d: d.update(key="k" * 61), "(top).key: too long: 61 characters, at most 60"),
        (
            lambda d: indicator(d)["activities"][0].update(title=T("x" * 301)),
            f"{IPATH}.activities[0].title.sv: too long: 301 characters, at most 300",
        ),
    ],
)
def test_texts_longer_than_their_column_are_refused_with_the_limit(mutate, expected):
    data = minimal()
    mutate(data)
    assert expected in problems_of(data)


def test_a_version_written_as_a_decimal_number_is_refused():
    data = minimal()
    data["version"] = 2026.10
    assert any(p.startswith('version: write the version in quotes, for example "2026.1"') for p in problems_of(data))
    data["version"] = 3
    assert problems_of(data) == []


# --- malformed files: a message each, never a traceback --------------------------------------


def check_fails(path, *expected):
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", str(path), check=True)
    message = str(exc.value)
    assert str(path) in message
    for text in expected:
        assert text in message, message
    return message


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(
    "content, expected",
    [
        (BILLION_LAUGHS, ["line 2, column", "aliases (*name) are not allowed"]),
        ("format: 1\nlevels: &l [{sv: a}, {sv: b}]\nmore: *l\n", ["aliases (*name) are not allowed"]),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", ["nested deeper than 20 levels"]),
        ("a:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 60)), ["nested deeper than 20 levels"]),
        ("- format: 1\n- key: egen\n", ["(top): expected a mapping"]),
        ("just some words\n", ["(top): expected a mapping"]),
        ("", ["(top): expected a mapping"]),
        ("format: 1\nkey: egen\nkey: annan\n", ["line 3, column 1", "duplicate key 'key'"]),
        ("format: 1\nname: {sv: a, sv: b}\n", ["duplicate key 'sv'"]),
        ("format: 1\n? [a, b]\n: c\n", ["a key must be a plain word or text"]),
        ("format: 1\na:\n  <<: {b: 1}\n", ["line 3, column 3", "merge keys (<<) are not allowed"]),
        ("format: 1\na: !!python/object:os.system {}\n", ["could not determine a constructor"]),
        ("format: 1\nkey: [unclosed\n", ["line", "not valid YAML"]),
        (
            "format: 1\nareas: all of them\nlevels: {a: 1}\nname: 5\n",
            ["areas: expected a list", "levels: expected a list", "name: expected {sv"],
        ),
        ("format: 1\nversion: 2026-01-01\n", ["version: expected a version"]),
    ],
)
def test_check_answers_a_malformed_file_with_a_message(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    check_fails(path, *expected)
    with pytest.raises(FrameworkError):
        load_framework(path)
    assert not Framework.objects.exists()


def test_check_answers_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("format: 1\nname: {sv: Förskola}\n".encode("latin-1"))
    check_fails(path, "not UTF-8 text")


def test_check_answers_a_missing_file(tmp_path):
    check_fails(tmp_path / "nope.yaml", "cannot read")


def test_check_answers_a_huge_file(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * (6 * 1024 * 1024) + "\n", encoding="utf-8")
    check_fails(path, "larger than 5 MB")


WRONG_VALUES = [None, 0, 2.5, True, "x", "", [], {}, [1], ["x"], {"a": 1}, [[1]], [{"a": 1}], {"sv": 1}]


def _paths(node, prefix=()):
    """Every (path to a value) in a nested structure of dicts and lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


def test_a_value_of_any_wrong_type_anywhere_gives_problems_not_an_exception():
    base = minimal()
    base["areas"].append(
        {
            "key": "grupper",
            "name": T("Grupper"),
            "groups": [
                {
                    "key": "g",
                    "name": T("G"),
                    "indicators": [copy.deepcopy(indicator(base)) | {"key": "v2", "code": "L2"}],
                }
            ],
        }
    )
    base["levels"] = [{"label": "1", "name": T("a")}, {"label": "2", "name": T("b")}, {"label": "3", "name": T("c")}]
    paths = list(_paths(base))
    assert len(paths) > 100
    for path, wrong in itertools.product(paths, WRONG_VALUES):
        data = copy.deepcopy(base)
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = wrong
        validate(data)  # must not raise
    for wrong in WRONG_VALUES:
        assert validate(wrong), wrong


def test_files_of_wrong_types_fail_check_with_messages(tmp_path):
    data = minimal()
    indicator(data)["school_forms"] = [{"a": 1}, ["b"]]
    indicator(data)["activities"][0]["to_level"] = [2]
    indicator(data)["tags"] = "strategi"
    indicator(data)["code"] = ["L1"]
    data["areas"][0]["indicators"].append("L2")
    check_fails(
        write(tmp_path, data),
        f"{IPATH}.school_forms: unknown school form '{{'a': 1}}'",
        f"{IPATH}.activities[0].to_level: level out of range",
        f"{IPATH}.tags: expected a list of lowercase keys",
        f"{IPATH}.code: missing",
        "areas[0](ledning).indicators[1]: expected a mapping",
    )


# --- versions that map to the one before -------------------------------------------------


def test_a_new_version_maps_its_indicators_to_the_previous_one():
    old = load_fixture("selfie-like.yaml")
    call_command("load_framework", str(DATA / "selfie-like-2027.yaml"), check=True)
    new = load_fixture("selfie-like-2027.yaml")
    assert new.previous == old
    assert Indicator.objects.get(framework=new, key="strategy-with-staff").previous_key == "strategy-with-teachers"


def test_a_previous_version_that_is_not_loaded_is_named(tmp_path):
    message = check_fails(
        DATA / "selfie-like-2027.yaml", "previous: version 2026.1 of 'selfie-like' is not loaded: load it first"
    )
    assert "Traceback" not in message
    with pytest.raises(FrameworkError, match="is not loaded"):
        load_framework(DATA / "selfie-like-2027.yaml")


def test_an_organisers_version_may_follow_a_shared_one_but_not_another_organisers(world):
    load_fixture("selfie-like.yaml", organizer=world.other_org)
    with pytest.raises(FrameworkError, match="is not loaded"):
        load_framework(DATA / "selfie-like-2027.yaml", organizer=world.org)
    shared = load_fixture("selfie-like.yaml")
    assert load_fixture("selfie-like-2027.yaml", organizer=world.org).previous == shared


def test_previous_indicator_keys_must_exist_and_be_followed_once(tmp_path):
    load_fixture("selfie-like.yaml")
    data, _checksum = read(DATA / "selfie-like-2027.yaml")
    data["areas"][0]["indicators"][0]["previous"] = "no-such-statement"
    data["areas"][1]["indicators"][0]["previous"] = "strategy-with-teachers"
    check_fails(
        write(tmp_path, data),
        "areas[0](leadership).indicators[0](digital-strategy).previous: "
        "version 2026.1 of 'selfie-like' has no indicator 'no-such-statement'",
        "areas[1](infrastructure).indicators[0](devices).previous: indicator 'strategy-with-teachers' of version 2026.1 "
        "is already followed by 'strategy-with-staff'",
    )


def test_an_indicators_previous_needs_the_files_previous_version(tmp_path):
    data, _checksum = read(DATA / "selfie-like-2027.yaml")
    del data["previous"]
    check_fails(
        write(tmp_path, data),
        "areas[0](leadership).indicators[1](strategy-with-staff).previous: names an indicator of the previous version, "
        "but the file names no `previous` version",
    )


def test_the_older_spelling_previous_version_is_still_read():
    old = load_fixture("selfie-like.yaml")
    data, _checksum = read(DATA / "selfie-like-2027.yaml")
    data["previous_version"] = data.pop("previous")
    assert validate(data) == []
    data["previous"] = "2026.1"
    assert any("give the previous version once" in str(p) for p in validate(data))
    assert old


def test_fixture_files_are_plain_yaml():
    for path in DATA.glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
