"""The `self_reflection:` key of a framework file: validated by the framework loader with file,
path and reason, stored beside the framework when it loads."""

import pytest

from stegvis.frameworks import loader
from stegvis.reflection.models import Questionnaire

MINIMAL = """format: 1
key: refl
version: "1"
name: {sv: "Ramverk"}
levels: [{sv: "Ett"}, {sv: "Två"}]
self_reflection:
%s
areas:
  - key: a
    name: {sv: "A"}
    indicators:
      - {key: a1, code: A1, title: {sv: "En indikator"}}
"""

GOOD = """  name: {sv: "Min kompetens", en: "My competence"}
  levels: [{sv: "Början"}, {sv: "Mitt"}, {sv: "Toppen"}]
  areas:
    - key: undervisning
      name: {sv: "Undervisning"}
      levels:
        - {text: {sv: "Ett"}, next: [{sv: "Pröva ett"}]}
        - {text: {sv: "Två"}, next: [{sv: "Pröva två"}, {sv: "Eller detta"}]}
        - {text: {sv: "Tre"}, next: [{sv: "Dela"}]}
    - key: bedomning
      name: {sv: "Bedömning", en: "Assessment"}
      levels:
        - {text: {sv: "Ett"}, next: [{sv: "Pröva ett"}]}
        - {text: {sv: "Två"}, next: [{sv: "Pröva två"}]}
        - {text: {sv: "Tre"}, next: [{sv: "Dela"}]}
"""


def write(tmp_path, section):
    path = tmp_path / "fw.yaml"
    path.write_text(MINIMAL % section, encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(loader.FrameworkError) as caught:
        loader.check_file(path)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_framework_loads_with_its_self_reflection(db):
    fw, created = loader.load_framework(loader.DEFAULT_FRAMEWORK)
    assert created
    q = Questionnaire.objects.get(framework=fw)
    assert 5 <= len(q.area_keys) <= 6
    assert q.level_count == 4
    for area in q.areas("sv"):
        assert area["name"] and area["description"]
        for level in area["levels"]:
            assert level["text"] and 1 <= len(level["next"]) <= 4
    # both languages written out, not copied from one another
    assert q.areas("en")[0]["name"] != q.areas("sv")[0]["name"]
    assert q.level_names("sv")[0] == "Upptäcker"


def test_a_good_section_is_stored_in_both_languages(db, tmp_path):
    fw, _created = loader.load_framework(write(tmp_path, GOOD))
    q = fw.self_reflection
    assert q.area_keys == ["undervisning", "bedomning"]
    assert q.areas("en")[0]["name"] == "Undervisning"  # falls back to the one language given
    assert q.areas("en")[1]["levels"][1]["next"] == ["Pröva två"]


def test_loading_the_same_file_twice_stores_one_questionnaire(db, tmp_path):
    path = write(tmp_path, GOOD)
    loader.load_framework(path)
    loader.load_framework(path)
    assert Questionnaire.objects.count() == 1


def test_a_misspelt_key_is_reported_with_its_path(db, tmp_path):
    bad = GOOD.replace('name: {sv: "Undervisning"}', 'name: {sv: "Undervisning"}\n      levls: []', 1)
    found = problems(write(tmp_path, bad))
    assert any("self_reflection.areas[0](undervisning): unknown key 'levls'" in p for p in found), found


def test_every_area_needs_one_description_per_level(db, tmp_path):
    bad = GOOD.replace('        - {text: {sv: "Tre"}, next: [{sv: "Dela"}]}\n', "", 1)
    found = problems(write(tmp_path, bad))
    assert any("self_reflection.areas[0](undervisning).levels: expected 3 levels" in p for p in found), found


def test_every_level_needs_a_suggestion_of_what_to_try_next(db, tmp_path):
    bad = GOOD.replace('next: [{sv: "Pröva ett"}]', "next: []", 1)
    found = problems(write(tmp_path, bad))
    assert any("self_reflection.areas[0](undervisning).levels[0].next: expected a list of 1 to 4" in p for p in found)


def test_duplicate_area_keys_and_empty_texts_are_refused(db, tmp_path):
    bad = GOOD.replace("key: bedomning", "key: undervisning").replace('{sv: "Två"}, next', '{sv: ""}, next', 1)
    found = problems(write(tmp_path, bad))
    assert any("areas[1].key: duplicate area key 'undervisning'" in p for p in found), found
    assert any("levels[1].text.sv: missing or empty text" in p for p in found), found


def test_a_file_with_a_bad_section_loads_nothing(db, tmp_path):
    with pytest.raises(loader.FrameworkError):
        loader.load_framework(write(tmp_path, "  name: {sv: x}\n  levels: 3\n"))
    assert not Questionnaire.objects.exists()
    from stegvis.frameworks.models import Framework

    assert not Framework.objects.filter(key="refl").exists()


def test_a_framework_without_the_section_has_no_questionnaire(db, tmp_path):
    path = tmp_path / "fw.yaml"
    path.write_text((MINIMAL % "").replace("self_reflection:\n\n", ""), encoding="utf-8")
    fw, _ = loader.load_framework(path)
    assert not Questionnaire.objects.filter(framework=fw).exists()
