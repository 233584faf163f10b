"""Validate and load a framework data file (YAML). The format is in docs/framework-format.md.

``read(path)`` parses a file with a YAML loader that refuses what a framework file never needs
and a hostile one might use (aliases, duplicate keys, deep nesting, huge files).
``validate(data)`` returns a list of ``Problem`` (path and reason); ``check_previous`` adds the
problems with a ``previous`` version that is not loaded or indicator keys it does not have.
``load_framework`` refuses to load anything while there is one problem, and loading the same
version twice is a no-op.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import DatabaseError, transaction
from django.db.models import Q

from stegvis.core import levels, schoolforms

from .models import (
    DEFAULT_SURVEY_SCALE,
    SURVEY_AUDIENCES,
    Activity,
    Area,
    Framework,
    Group,
    Indicator,
    Level,
    SurveyQuestion,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FRAMEWORK = DATA_DIR / "stegvis-2026.1.yaml"
LANGUAGES = ("sv", "en")
MAX_BYTES = 5 * 1024 * 1024  # the shipped framework is about 150 kB
MAX_DEPTH = 20  # nesting of mappings and lists; a framework file needs about 10
LABEL_MAX = 4  # a level label is printed in a grid cell
LEVEL_NAME_MAX = 200


def _max(model, field):
    return model._meta.get_field(field).max_length


@dataclass
class Problem:
    path: str
    reason: str

    def __str__(self):
        return f"{self.path}: {self.reason}"


class FrameworkError(Exception):
    def __init__(self, source, problems):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


# --- reading --------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (``*name``: a billion laughs is a few aliased lists),
    without duplicate keys (the second would silently win) and with a limit on nesting."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a framework file: write the value out", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in a framework file", key_node.start_mark
                )
            try:
                key = self.construct_object(key_node, deep=True)
                hash(key)
            except (TypeError, yaml.YAMLError):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain word or text", key_node.start_mark
                ) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}' (the same key twice in one mapping)", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read(path):
    """Parse a file; raises FrameworkError for an unreadable, too large or malformed file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FrameworkError(path, [Problem("(file)", f"larger than {MAX_BYTES // (1024 * 1024)} MB")])
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(path, [Problem("(file)", f"cannot read: {exc.strerror}")]) from exc
    try:
        data = yaml.load(raw, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.reader.ReaderError as exc:
        raise FrameworkError(path, [Problem("(file)", f"not UTF-8 text: {exc.reason}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise FrameworkError(path, [Problem(where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]) from exc
    except RecursionError as exc:  # pragma: no cover - MAX_DEPTH stops it first
        raise FrameworkError(path, [Problem("(file)", "nested too deeply")]) from exc
    return data, hashlib.sha256(raw).hexdigest()


# --- validating ---------------------------------------------------------------------------

TOP_KEYS = (
    "format",
    "key",
    "version",
    "previous",
    "previous_version",
    "language",
    "name",
    "description",
    "group_term",
    "levels",
    "tag_names",
    "areas",
    "survey",  # survey questions per respondent group: _check_survey / _load_survey
)
LEVEL_KEYS = ("label", "name")
AREA_KEYS = ("key", "name", "description", "indicators", "groups")
GROUP_KEYS = ("key", "name", "description", "indicators")
INDICATOR_KEYS = (
    "key",
    "code",
    "title",
    "preschool_title",
    "optional",
    "school_forms",
    "tags",
    "previous",
    "levels",
    "activities",
)
INDICATOR_LEVEL_KEYS = ("text", "preschool")
ACTIVITY_KEYS = ("to_level", "title", "description", "preschool")
EMPTY = {"sv": "", "en": ""}


def _show(value):
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Checker:
    """Walks a parsed file once: collects problems and builds the normalised framework that
    ``load_framework`` writes (every text with both languages, levels as numbers)."""

    def __init__(self):
        self.problems = []
        self.language = None

    def fail(self, path, reason):
        self.problems.append(Problem(path, reason))

    def mapping(self, value, path, allowed=None):
        """Is ``value`` a mapping? Its unknown keys are problems (``allowed``, else see ``known``)."""
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping (key: value)")
            return False
        if allowed is not None:
            self.known(value, path, allowed)
        return True

    def known(self, value, path, allowed):
        for key in value:
            if key not in allowed:
                self.fail(path, f"unknown key '{_show(key)}' (known here: {', '.join(allowed)})")

    def text(self, parent, key, path, *, required=True, limit=None):
        """A text, normalised to ``{sv, en}``: ``{sv: ..., en: ...}`` with one language or both
        (the other falls back to it), or plain text when the file names its ``language``."""
        value = parent.get(key)
        here = f"{path}.{key}"
        if value is None:
            if required:
                self.fail(here, "missing")
            return dict(EMPTY)
        return self.text_value(value, here, limit=limit)

    def text_value(self, value, here, *, limit=None):
        if isinstance(value, str) and self.language:
            value = {self.language: value}
        elif isinstance(value, str):
            self.fail(here, "expected {sv: ..., en: ...} (or set `language: sv` or `language: en` at the top)")
            return dict(EMPTY)
        if not isinstance(value, dict):
            self.fail(here, "expected {sv: ..., en: ...}")
            return dict(EMPTY)
        unknown = [str(k) for k in value if k not in LANGUAGES]
        if unknown:
            self.fail(here, f"unknown language(s): {', '.join(sorted(unknown))} (known: sv, en)")
        found = {}
        for lang in LANGUAGES:
            if lang not in value:
                continue
            text = value[lang]
            if not isinstance(text, str) or not text.strip():
                self.fail(f"{here}.{lang}", "missing or empty text")
                continue
            if limit and len(text) > limit:
                self.fail(f"{here}.{lang}", f"too long: {len(text)} characters, at most {limit}")
            found[lang] = text
        if not found and not unknown and not any(lang in value for lang in LANGUAGES):
            self.fail(here, "expected a text in Swedish (sv), English (en) or both")
        sv = found.get("sv") or found.get("en", "")
        return {"sv": sv, "en": found.get("en") or sv}

    def slug(self, parent, key, path, *, limit):
        value = parent.get(key)
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail(f"{path}.{key}", "expected a lowercase key of letters a-z, digits, - or _")
            return None
        if len(value) > limit:
            self.fail(f"{path}.{key}", f"too long: {len(value)} characters, at most {limit}")
            return None
        return value

    def items(self, parent, key, path, *, minimum=1, required=True):
        value = parent.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(f"{path}.{key}", f"expected a list with at least {minimum} item(s)")
            return []
        return value

    def flag(self, parent, key, path):
        value = parent.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "expected true or false")
            return False
        return value

    # the parts of a framework

    def framework(self, data):
        if not isinstance(data, dict):
            self.fail("(top)", "expected a mapping (key: value): the file's top level is its framework")
            return None
        self.mapping(data, "(top)", TOP_KEYS + tuple(SECTIONS))
        if data.get("format") != 1:
            self.fail("format", "expected 1 (the only format this version of Stegvis reads)")
        language = data.get("language")
        if language is not None:
            if language in LANGUAGES:
                self.language = language
            else:
                self.fail("language", "expected sv or en: the language of texts written without {sv: ..., en: ...}")
        fw = {"key": self.slug(data, "key", "(top)", limit=_max(Framework, "key"))}
        fw["version"] = self.version(data.get("version"), "version")
        if "previous" in data and "previous_version" in data:
            self.fail("previous", "give the previous version once: `previous` (or the older `previous_version`)")
        previous_key = "previous" if "previous" in data else "previous_version"
        fw["previous"] = self.version(data[previous_key], previous_key) if data.get(previous_key) is not None else None
        fw["name"] = self.text(data, "name", "(top)", limit=_max(Framework, "name_sv"))
        fw["description"] = self.text(data, "description", "(top)", required=False)
        fw["group_term"] = self.text(
            data, "group_term", "(top)", required=False, limit=_max(Framework, "group_term_sv")
        )
        fw["levels"] = self.levels(data)
        count = len(fw["levels"])
        labels = [level.get("label", str(n)) for n, level in enumerate(fw["levels"], start=1)]
        fw["labels"] = labels
        fw["tag_names"] = self.tag_names(data)
        self.area_keys, self.group_keys, self.indicator_keys, self.codes = set(), set(), set(), set()
        fw["areas"] = []
        for a, area in enumerate(self.items(data, "areas", "(top)")):
            found = self.area(area, f"areas[{a}]", count, labels)
            if found:
                fw["areas"].append(found)
        fw["sections"] = self.sections(data)
        fw["survey"] = _check_survey(self, data)
        return fw

    def sections(self, data):
        """The clean value of every section a higher room keeps (see ``register_section``)."""
        return {key: section.check(self, data[key], key) for key, section in SECTIONS.items() if key in data}

    def tag_names(self, data):
        """``{tag: {sv, en}}``: how the indicator tags read in filters (optional)."""
        raw = data.get("tag_names")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail("tag_names", "expected a mapping of tag: {sv: ..., en: ...}")
            return {}
        result = {}
        for tag in raw:
            if not isinstance(tag, str) or not SLUG.match(tag):
                self.fail(f"tag_names.{_show(tag)}", "expected a lowercase tag key")
            else:
                result[tag] = self.text(raw, tag, "tag_names", limit=LEVEL_NAME_MAX)
        return result

    def version(self, value, path):
        if isinstance(value, bool | float):
            self.fail(path, 'write the version in quotes, for example "2026.1" (2026.10 unquoted is the number 2026.1)')
            return None
        if not isinstance(value, str | int) or not str(value).strip():
            self.fail(path, 'expected a version, for example "2026.1"')
            return None
        value = str(value).strip()
        if len(value) > _max(Framework, "version"):
            self.fail(path, f"too long: {len(value)} characters, at most {_max(Framework, 'version')}")
        return value

    def levels(self, data):
        raw = data.get("levels")
        if not isinstance(raw, list) or not levels.MIN_LEVELS <= len(raw) <= levels.MAX_LEVELS:
            self.fail(
                "levels", f"expected a list of {levels.MIN_LEVELS} to {levels.MAX_LEVELS} levels, the lowest first"
            )
            return []
        result, labelled = [], 0
        for i, level in enumerate(raw):
            path = f"levels[{i}]"
            if isinstance(level, dict) and ("name" in level or "label" in level):
                self.mapping(level, path, LEVEL_KEYS)
                name = self.text(level, "name", path, limit=LEVEL_NAME_MAX)
                if "label" in level:
                    labelled += 1
                    label = level["label"]
                    if isinstance(label, bool) or not isinstance(label, str | int) or not str(label).strip():
                        self.fail(f"{path}.label", 'expected a short label, for example "5" or "A"')
                    elif len(str(label).strip()) > LABEL_MAX:
                        self.fail(
                            f"{path}.label", f"too long: at most {LABEL_MAX} characters (it is printed in grid cells)"
                        )
                    else:
                        name["label"] = str(label).strip()
            else:
                name = self.text_value(level, path, limit=LEVEL_NAME_MAX)
            result.append(name)
        if labelled and labelled != len(raw):
            self.fail("levels", "give every level a label, or none (then the labels are the numbers 1, 2, ...)")
        labels = [level["label"] for level in result if "label" in level]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            self.fail("levels", f"duplicate label(s): {', '.join(duplicates)}")
        return result

    def area(self, area, apath, count, labels):
        if not self.mapping(area, apath):
            return None
        key = self.slug(area, "key", apath, limit=_max(Area, "key"))
        if key:
            if key in self.area_keys:
                self.fail(f"{apath}.key", f"duplicate area key '{key}'")
            self.area_keys.add(key)
            apath = f"{apath}({key})"
        self.known(area, apath, AREA_KEYS)
        found = {
            "key": key,
            "name": self.text(area, "name", apath, limit=_max(Area, "name_sv")),
            "description": self.text(area, "description", apath, required=False),
            "groups": [],
            "indicators": [],
        }
        if "groups" in area and "indicators" in area:
            self.fail(apath, "give the area either indicators or groups of indicators, not both")
            return found
        if "groups" in area:
            for g, group in enumerate(self.items(area, "groups", apath)):
                gpath = f"{apath}.groups[{g}]"
                if not self.mapping(group, gpath):
                    continue
                gkey = self.slug(group, "key", gpath, limit=_max(Group, "key"))
                if gkey:
                    if gkey in self.group_keys:
                        self.fail(f"{gpath}.key", f"duplicate group key '{gkey}'")
                    self.group_keys.add(gkey)
                    gpath = f"{apath}.groups[{g}]({gkey})"
                self.known(group, gpath, GROUP_KEYS)
                found["groups"].append(
                    {
                        "key": gkey,
                        "name": self.text(group, "name", gpath, limit=_max(Group, "name_sv")),
                        "description": self.text(group, "description", gpath, required=False),
                    }
                )
                for i, ind in enumerate(self.items(group, "indicators", gpath)):
                    indicator = self.indicator(ind, f"{gpath}.indicators[{i}]", count, labels)
                    if indicator:
                        indicator["group"] = gkey
                        found["indicators"].append(indicator)
        else:
            for i, ind in enumerate(self.items(area, "indicators", apath)):
                indicator = self.indicator(ind, f"{apath}.indicators[{i}]", count, labels)
                if indicator:
                    indicator["group"] = None
                    found["indicators"].append(indicator)
        return found

    def indicator(self, ind, ipath, count, labels):
        if not self.mapping(ind, ipath):
            return None
        key = self.slug(ind, "key", ipath, limit=_max(Indicator, "key"))
        if key:
            if key in self.indicator_keys:
                self.fail(f"{ipath}.key", f"duplicate indicator key '{key}'")
            self.indicator_keys.add(key)
            ipath = f"{ipath}({key})"
        self.known(ind, ipath, INDICATOR_KEYS)
        found = {"key": key, "path": ipath}
        code = ind.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str) or not code.strip():
            self.fail(f"{ipath}.code", "missing")
        elif len(code.strip()) > _max(Indicator, "code"):
            self.fail(f"{ipath}.code", f"too long: {len(code.strip())} characters, at most {_max(Indicator, 'code')}")
        elif code.strip() in self.codes:
            self.fail(f"{ipath}.code", f"duplicate code '{code.strip()}'")
        else:
            self.codes.add(code.strip())
        found["code"] = code.strip() if isinstance(code, str) else ""
        found["title"] = self.text(ind, "title", ipath, limit=_max(Indicator, "title_sv"))
        found["preschool_title"] = self.text(
            ind, "preschool_title", ipath, required=False, limit=_max(Indicator, "preschool_sv")
        )
        found["optional"] = self.flag(ind, "optional", ipath)
        forms = ind.get("school_forms", list(schoolforms.SCHOOL_FORMS))
        found["school_forms"] = schoolforms.ALL_FORMS
        if not isinstance(forms, list) or not forms:
            self.fail(f"{ipath}.school_forms", "expected a non-empty list")
        else:
            bad = [_show(form) for form in forms if not isinstance(form, str) or form not in schoolforms.SCHOOL_FORMS]
            for form in bad:
                self.fail(
                    f"{ipath}.school_forms",
                    f"unknown school form '{form}' (known: {', '.join(schoolforms.SCHOOL_FORMS)})",
                )
            if not bad:
                found["school_forms"] = schoolforms.to_mask(forms)
        tags = ind.get("tags", [])
        if not isinstance(tags, list) or any(not isinstance(t, str) or not SLUG.match(t) for t in tags):
            self.fail(f"{ipath}.tags", "expected a list of lowercase keys")
            tags = []
        found["tags"] = tags
        previous = ind.get("previous")
        found["previous"] = ""
        if "previous" in ind:
            if not isinstance(previous, str) or not SLUG.match(previous):
                self.fail(f"{ipath}.previous", "expected the key of an indicator in the previous version")
            elif len(previous) > _max(Indicator, "previous_key"):
                self.fail(f"{ipath}.previous", f"too long: at most {_max(Indicator, 'previous_key')} characters")
            else:
                found["previous"] = previous
        found["levels"] = []
        if "levels" in ind:
            ilevels = self.items(ind, "levels", ipath)
            if ilevels and len(ilevels) != count:
                self.fail(f"{ipath}.levels", f"expected {count} levels, one per framework level, got {len(ilevels)}")
            for n, level in enumerate(ilevels):
                lpath = f"{ipath}.levels[{n}]"
                if self.mapping(level, lpath, INDICATOR_LEVEL_KEYS):
                    found["levels"].append(
                        {
                            "text": self.text(level, "text", lpath),
                            "preschool": self.text(level, "preschool", lpath, required=False),
                        }
                    )
        found["activities"] = self.activities(ind, ipath, count, labels)
        return found

    def activities(self, ind, ipath, count, labels):
        numbered = labels == [str(n) for n in range(1, count + 1)]
        steps, result = set(), []
        for n, act in enumerate(self.items(ind, "activities", ipath, minimum=0, required=False)):
            acpath = f"{ipath}.activities[{n}]"
            if not self.mapping(act, acpath, ACTIVITY_KEYS):
                continue
            to_level = act.get("to_level")
            number = None
            if isinstance(to_level, str | int) and not isinstance(to_level, bool) and str(to_level).strip() in labels:
                number = labels.index(str(to_level).strip()) + 1
            if number is None or number < 2:
                if numbered:
                    reason = f"level out of range: expected a whole number from 2 to {count}"
                else:
                    reason = f"expected the label of a level above the first: {', '.join(labels[1:])}"
                self.fail(f"{acpath}.to_level", reason)
            else:
                steps.add(number)
            result.append(
                {
                    "to_level": number,
                    "title": self.text(act, "title", acpath, limit=_max(Activity, "title_sv")),
                    "description": self.text(act, "description", acpath, required=False),
                    "preschool": self.text(act, "preschool", acpath, required=False),
                }
            )
        missing = [labels[s - 1] for s in range(2, count + 1) if s not in steps]
        if result and missing:
            self.fail(
                f"{ipath}.activities",
                f"no suggested activity for the step up to level {', '.join(missing)}"
                " (give at least one for every step up, or none)",
            )
        return result


# --- sections other rooms keep -------------------------------------------------------------
#
# A room above frameworks may own one top-level key of the file (reflection: `self_reflection`,
# docs/reflection.md). It registers the key in its AppConfig.ready: ``check(checker, value, path)``
# validates the value with this module's ``_Checker`` (``fail``, ``mapping``, ``text``, ``slug``,
# ``items``), so its problems carry file, path and reason like every other, and returns the clean
# value; ``load(framework=, clean=)`` stores it in the room's own models, in the same transaction
# as the framework. Frameworks itself never imports the room.


@dataclass(frozen=True)
class Section:
    check: object
    load: object


SECTIONS = {}


def register_section(key, *, check, load):
    """Let a higher room own the top-level key ``key`` of a framework file."""
    if key in TOP_KEYS:
        raise ValueError(f"'{key}' is a key of the framework format itself")
    SECTIONS[key] = Section(check=check, load=load)


def _check(data):
    checker = _Checker()
    clean = checker.framework(data)
    return checker.problems, clean


def validate(data):
    """All problems with a parsed framework file; an empty list means it can be loaded
    (once ``check_previous`` finds its previous version, if it names one)."""
    return _check(data)[0]


def _find_previous(*, key, version, organizer):
    """The organiser's own version, else a shared one."""
    found = Framework.objects.filter(key=key, version=version).filter(Q(organizer=organizer) | Q(organizer=None))
    return sorted(found, key=lambda fw: fw.organizer_id is None)[0] if found else None


def check_previous(clean, *, organizer=None):
    """``(previous framework or None, problems)``: the named previous version must be loaded
    (the organiser's own or a shared one) and have every indicator key that ``previous`` names;
    an indicator of the previous version is followed by one indicator at most."""
    indicators = [ind for area in clean["areas"] for ind in area["indicators"]]
    named = [ind for ind in indicators if ind["previous"]]
    if not clean.get("previous"):
        return None, [
            Problem(
                f"{ind['path']}.previous",
                "names an indicator of the previous version, but the file names no `previous` version",
            )
            for ind in named
        ]
    try:
        previous = _find_previous(key=clean["key"], version=clean["previous"], organizer=organizer)
    except DatabaseError as exc:  # --check before the database is set up
        return None, [
            Problem("previous", f"cannot look up version {clean['previous']}: the database is not ready ({exc})")
        ]
    if previous is None:
        return None, [
            Problem("previous", f"version {clean['previous']} of '{clean['key']}' is not loaded: load it first")
        ]
    if previous.version == clean["version"] and previous.organizer_id == getattr(organizer, "pk", None):
        return None, [Problem("previous", "a version cannot follow itself")]
    problems = []
    old_keys = set(previous.indicators.values_list("key", flat=True))
    followed = {}
    for ind in named:
        if ind["previous"] not in old_keys:
            problems.append(
                Problem(
                    f"{ind['path']}.previous",
                    f"version {previous.version} of '{previous.key}' has no indicator '{ind['previous']}'",
                )
            )
        elif ind["previous"] in followed:
            problems.append(
                Problem(
                    f"{ind['path']}.previous",
                    f"indicator '{ind['previous']}' of version {previous.version} is already followed by "
                    f"'{followed[ind['previous']]}': one indicator can follow it, so trends stay one line",
                )
            )
        else:
            followed[ind["previous"]] = ind["key"]
    return previous, problems


def check_file(path, *, organizer=None):
    """Everything ``--check`` reports for a file: ``(clean data, checksum, previous)``; raises
    FrameworkError with every problem found."""
    data, checksum = read(path)
    problems, clean = _check(data)
    if problems:
        raise FrameworkError(path, problems)
    previous, problems = check_previous(clean, organizer=organizer)
    if problems:
        raise FrameworkError(path, problems)
    return clean, checksum, previous


# --- loading ------------------------------------------------------------------------------


def load_framework(path, *, organizer=None):
    """Validate and load a framework file. Returns ``(framework, created)``.

    Side effects: creates the framework with its areas, groups, indicators, levels and
    activities in one transaction. Loading the same file again changes nothing; loading
    different content under a version that exists raises FrameworkError (a revision needs a
    new version).
    """
    data, checksum = read(path)
    problems, clean = _check(data)
    if problems:
        raise FrameworkError(path, problems)
    key, version = clean["key"], clean["version"]
    existing = Framework.objects.filter(organizer=organizer, key=key, version=version).first()
    if existing:
        if existing.checksum == checksum:
            return existing, False
        raise FrameworkError(
            path,
            [
                Problem(
                    "version",
                    f"version {version} of '{key}' is already loaded with other content; give the revision a new version",
                )
            ],
        )
    previous, problems = check_previous(clean, organizer=organizer)
    if problems:
        raise FrameworkError(path, problems)
    with transaction.atomic():
        fw = Framework.objects.create(
            organizer=organizer,
            key=key,
            version=version,
            name_sv=clean["name"]["sv"],
            name_en=clean["name"]["en"],
            description_sv=clean["description"]["sv"],
            description_en=clean["description"]["en"],
            group_term_sv=clean["group_term"]["sv"],
            group_term_en=clean["group_term"]["en"],
            level_names=clean["levels"],
            tag_names=clean["tag_names"],
            previous=previous,
            checksum=checksum,
        )
        areas, indicators = {}, {}
        for a, area_data in enumerate(clean["areas"], start=1):
            area = areas[area_data["key"]] = Area.objects.create(
                framework=fw,
                key=area_data["key"],
                order=a,
                name_sv=area_data["name"]["sv"],
                name_en=area_data["name"]["en"],
                description_sv=area_data["description"]["sv"],
                description_en=area_data["description"]["en"],
            )
            groups = {}
            for g, group_data in enumerate(area_data["groups"], start=1):
                groups[group_data["key"]] = Group.objects.create(
                    framework=fw,
                    area=area,
                    key=group_data["key"],
                    order=g,
                    name_sv=group_data["name"]["sv"],
                    name_en=group_data["name"]["en"],
                    description_sv=group_data["description"]["sv"],
                    description_en=group_data["description"]["en"],
                )
            for i, ind_data in enumerate(area_data["indicators"], start=1):
                ind = indicators[ind_data["key"]] = Indicator.objects.create(
                    framework=fw,
                    area=area,
                    group=groups.get(ind_data["group"]),
                    key=ind_data["key"],
                    code=ind_data["code"],
                    order=i,
                    title_sv=ind_data["title"]["sv"],
                    title_en=ind_data["title"]["en"],
                    preschool_sv=ind_data["preschool_title"]["sv"],
                    preschool_en=ind_data["preschool_title"]["en"],
                    optional=ind_data["optional"],
                    school_forms=ind_data["school_forms"],
                    tags=ind_data["tags"],
                    previous_key=ind_data["previous"],
                )
                # Without level texts the choices are the framework's level names alone.
                texts = ind_data["levels"] or [{"text": EMPTY, "preschool": EMPTY}] * len(clean["levels"])
                Level.objects.bulk_create(
                    Level(
                        indicator=ind,
                        number=n,
                        text_sv=lv["text"]["sv"],
                        text_en=lv["text"]["en"],
                        preschool_sv=lv["preschool"]["sv"],
                        preschool_en=lv["preschool"]["en"],
                    )
                    for n, lv in enumerate(texts, start=1)
                )
                Activity.objects.bulk_create(
                    Activity(
                        indicator=ind,
                        to_level=act["to_level"],
                        order=n,
                        title_sv=act["title"]["sv"],
                        title_en=act["title"]["en"],
                        description_sv=act["description"]["sv"],
                        description_en=act["description"]["en"],
                        preschool_sv=act["preschool"]["sv"],
                        preschool_en=act["preschool"]["en"],
                    )
                    for n, act in enumerate(ind_data["activities"], start=1)
                )
        for key, value in clean["sections"].items():
            SECTIONS[key].load(framework=fw, clean=value)
        _load_survey(fw, clean["survey"], areas=areas, indicators=indicators)
    return fw, True


# --- survey questions (issue 12): the `survey` section ---------------------------------------
#
# survey:
#   scale: {steps: [{sv, en}, ...lowest first], dont_know: {sv, en} | false}   (optional)
#   groups:
#     - key: personal
#       audience: staff | pupils | guardians
#       name: {sv, en}
#       scale: ...                                  (optional, for the group's questions)
#       questions:
#         - key: personal-l1
#           indicator: ledning-vision               (or area: ledning)
#           kind: scale | text                      (default scale)
#           text: {sv, en}
#           scale: ...                              (optional, for this question)

SURVEY_KEYS = ("scale", "groups")
SURVEY_GROUP_KEYS = ("key", "audience", "name", "scale", "questions")
SURVEY_QUESTION_KEYS = ("key", "indicator", "area", "kind", "text", "scale")
SURVEY_SCALE_KEYS = ("steps", "dont_know")
SURVEY_STEPS = (2, 7)


def _check_survey_scale(checker, raw, path, fallback):
    """A scale normalised to ``{steps: [{sv, en}], dont_know: {sv, en} | None}``."""
    if raw is None:
        return fallback
    if not checker.mapping(raw, path, SURVEY_SCALE_KEYS):
        return fallback
    steps = raw.get("steps")
    low, high = SURVEY_STEPS
    if not isinstance(steps, list) or not low <= len(steps) <= high:
        checker.fail(f"{path}.steps", f"expected a list of {low} to {high} steps, the lowest first")
        steps = []
    scale = {
        "steps": [checker.text_value(step, f"{path}.steps[{n}]", limit=LEVEL_NAME_MAX) for n, step in enumerate(steps)]
    }
    dont_know = raw.get("dont_know", DEFAULT_SURVEY_SCALE["dont_know"])
    if dont_know is False:
        scale["dont_know"] = None
    else:
        scale["dont_know"] = checker.text_value(dont_know, f"{path}.dont_know", limit=LEVEL_NAME_MAX)
    return scale if steps else fallback


def _check_survey(checker, data):
    """The `survey` section, normalised: ``{groups: [{key, audience, name, questions: [...]}]}``.
    Runs after the areas (it checks the indicator and area keys the questions name)."""
    raw = data.get("survey")
    if raw is None:
        return {"groups": []}
    if not checker.mapping(raw, "survey", SURVEY_KEYS):
        return {"groups": []}
    scale = _check_survey_scale(checker, raw.get("scale"), "survey.scale", DEFAULT_SURVEY_SCALE)
    groups, group_keys, question_keys = [], set(), set()
    for g, group in enumerate(checker.items(raw, "groups", "survey")):
        gpath = f"survey.groups[{g}]"
        if not checker.mapping(group, gpath, SURVEY_GROUP_KEYS):
            continue
        key = checker.slug(group, "key", gpath, limit=_max(SurveyQuestion, "respondent_group"))
        if key in group_keys:
            checker.fail(f"{gpath}.key", f"duplicate respondent group '{key}'")
        group_keys.add(key)
        audience = group.get("audience")
        if audience not in SURVEY_AUDIENCES:
            checker.fail(f"{gpath}.audience", f"expected one of: {', '.join(SURVEY_AUDIENCES)}")
        gscale = _check_survey_scale(checker, group.get("scale"), f"{gpath}.scale", scale)
        found = {
            "key": key,
            "audience": audience,
            "name": checker.text(group, "name", gpath, limit=LEVEL_NAME_MAX),
            "questions": [],
        }
        for q, question in enumerate(checker.items(group, "questions", gpath)):
            qpath = f"{gpath}.questions[{q}]"
            if not checker.mapping(question, qpath, SURVEY_QUESTION_KEYS):
                continue
            qkey = checker.slug(question, "key", qpath, limit=_max(SurveyQuestion, "key"))
            if qkey in question_keys:
                checker.fail(f"{qpath}.key", f"duplicate question key '{qkey}' (keys are unique in the file)")
            question_keys.add(qkey)
            indicator, area = question.get("indicator"), question.get("area")
            if (indicator is None) == (area is None):
                checker.fail(qpath, "name the indicator or the area the question is about (one of the two)")
            elif indicator is not None and indicator not in checker.indicator_keys:
                checker.fail(f"{qpath}.indicator", f"no indicator '{_show(indicator)}' in this framework")
            elif area is not None and area not in checker.area_keys:
                checker.fail(f"{qpath}.area", f"no area '{_show(area)}' in this framework")
            kind = question.get("kind", SurveyQuestion.Kind.SCALE)
            if kind not in SurveyQuestion.Kind.values:
                checker.fail(f"{qpath}.kind", "expected scale or text")
            if kind == SurveyQuestion.Kind.TEXT and "scale" in question:
                checker.fail(f"{qpath}.scale", "a text question has no scale")
            found["questions"].append(
                {
                    "key": qkey,
                    "indicator": indicator,
                    "area": area,
                    "kind": kind,
                    "text": checker.text(question, "text", qpath, limit=_max(SurveyQuestion, "text_sv")),
                    "scale": _check_survey_scale(checker, question.get("scale"), f"{qpath}.scale", gscale)
                    if kind == SurveyQuestion.Kind.SCALE
                    else {},
                }
            )
        groups.append(found)
    return {"groups": groups}


def _load_survey(fw, survey, *, areas, indicators):
    """Write the survey groups (on the framework) and their questions (``SurveyQuestion``)."""
    if not survey["groups"]:
        return
    fw.survey_groups = [{"key": g["key"], "audience": g["audience"], "name": g["name"]} for g in survey["groups"]]
    fw.save(update_fields=["survey_groups"])
    rows = []
    for group in survey["groups"]:
        for n, q in enumerate(group["questions"], start=1):
            indicator = indicators.get(q["indicator"]) if q["indicator"] else None
            rows.append(
                SurveyQuestion(
                    framework=fw,
                    respondent_group=group["key"],
                    key=q["key"],
                    order=n,
                    indicator=indicator,
                    area=indicator.area if indicator else areas[q["area"]],
                    kind=q["kind"],
                    text_sv=q["text"]["sv"],
                    text_en=q["text"]["en"],
                    scale=q["scale"],
                )
            )
    SurveyQuestion.objects.bulk_create(rows)
