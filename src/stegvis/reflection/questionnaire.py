"""The self-reflection questionnaire in a framework file: the `self_reflection:` key.

The format (docs/reflection.md, docs/framework-format.md)::

    self_reflection:
      name: {sv: "...", en: "..."}              # at most 200 characters
      description: {sv: "...", en: "..."}       # optional
      levels:                                   # 2 to 7 level names, the lowest first
        - {sv: "Nyfiken", en: "Curious"}
      areas:                                    # 2 to 12 competence areas
        - key: undervisning                     # lowercase, unique in the questionnaire
          name: {sv: "...", en: "..."}
          description: {sv: "...", en: "..."}   # optional
          levels:                               # exactly one per level, in order
            - text: {sv: "...", en: "..."}      # what this level looks like in this area
              next:                             # 1 to 4 concrete suggestions of what to try next
                - {sv: "...", en: "..."}

``check`` validates it with the framework loader's checker (so a problem reads
``fw.yaml: self_reflection.areas[2](undervisning).levels[1].next: ...``) and returns the clean
content that ``load`` stores as a ``Questionnaire`` beside the framework.
"""

from stegvis.core import levels as core_levels

KEY = "self_reflection"
TOP_KEYS = ("name", "description", "levels", "areas")
AREA_KEYS = ("key", "name", "description", "levels")
LEVEL_KEYS = ("text", "next")
MIN_AREAS, MAX_AREAS = 2, 12
MAX_NEXT = 4
NAME_MAX = 200
TEXT_MAX = 1000


def check(checker, value, path):
    """The clean questionnaire ``{name, description, levels, areas}`` (every text ``{sv, en}``);
    problems go to ``checker.fail``."""
    clean = {"name": {}, "description": {}, "levels": [], "areas": []}
    if not checker.mapping(value, path, TOP_KEYS):
        return clean
    clean["name"] = checker.text(value, "name", path, limit=NAME_MAX)
    clean["description"] = checker.text(value, "description", path, required=False, limit=TEXT_MAX)
    raw_levels = value.get("levels")
    if not isinstance(raw_levels, list) or not core_levels.MIN_LEVELS <= len(raw_levels) <= core_levels.MAX_LEVELS:
        checker.fail(
            f"{path}.levels",
            f"expected a list of {core_levels.MIN_LEVELS} to {core_levels.MAX_LEVELS} level names, the lowest first",
        )
        raw_levels = []
    clean["levels"] = [
        checker.text_value(name, f"{path}.levels[{n}]", limit=NAME_MAX) for n, name in enumerate(raw_levels)
    ]
    count = len(clean["levels"])
    raw_areas = value.get("areas")
    if not isinstance(raw_areas, list) or not MIN_AREAS <= len(raw_areas) <= MAX_AREAS:
        checker.fail(f"{path}.areas", f"expected a list of {MIN_AREAS} to {MAX_AREAS} competence areas")
        raw_areas = []
    keys = set()
    for a, area in enumerate(raw_areas):
        apath = f"{path}.areas[{a}]"
        if not checker.mapping(area, apath):
            continue
        key = checker.slug(area, "key", apath, limit=60)
        if key:
            if key in keys:
                checker.fail(f"{apath}.key", f"duplicate area key '{key}'")
            keys.add(key)
            apath = f"{apath}({key})"
        checker.known(area, apath, AREA_KEYS)
        found = {
            "key": key,
            "name": checker.text(area, "name", apath, limit=NAME_MAX),
            "description": checker.text(area, "description", apath, required=False, limit=TEXT_MAX),
            "levels": [],
        }
        area_levels = checker.items(area, "levels", apath)
        if area_levels and count and len(area_levels) != count:
            checker.fail(
                f"{apath}.levels",
                f"expected {count} levels, one per level of the questionnaire, got {len(area_levels)}",
            )
        for n, level in enumerate(area_levels):
            lpath = f"{apath}.levels[{n}]"
            if not checker.mapping(level, lpath, LEVEL_KEYS):
                continue
            suggestions = level.get("next")
            if not isinstance(suggestions, list) or not 1 <= len(suggestions) <= MAX_NEXT:
                checker.fail(f"{lpath}.next", f"expected a list of 1 to {MAX_NEXT} suggestions of what to try next")
                suggestions = []
            found["levels"].append(
                {
                    "text": checker.text(level, "text", lpath, limit=TEXT_MAX),
                    "next": [
                        checker.text_value(s, f"{lpath}.next[{i}]", limit=TEXT_MAX) for i, s in enumerate(suggestions)
                    ],
                }
            )
        clean["areas"].append(found)
    return clean


def load(*, framework, clean):
    """Store the questionnaire of a framework being loaded.

    Side effects: one ``Questionnaire`` row (in the loader's transaction)."""
    from .models import Questionnaire

    Questionnaire.objects.create(framework=framework, content=clean)
