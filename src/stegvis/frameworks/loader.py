"""Validate and load a framework data file (YAML). The format is in docs/framework-format.md.

``validate(data)`` returns a list of ``Problem`` (path and reason); ``load_framework`` refuses
to load anything while there is one problem, and loading the same version twice is a no-op.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from stegvis.core import schoolforms

from .models import Activity, Area, Framework, Indicator, Level

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FRAMEWORK = DATA_DIR / "stegvis-2026.1.yaml"


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


def read(path):
    """Parse a file; raises FrameworkError for unreadable or malformed YAML."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(path, [Problem("(file)", f"cannot read: {exc.strerror}")]) from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise FrameworkError(path, [Problem(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    return data, hashlib.sha256(raw).hexdigest()


class _Checker:
    def __init__(self):
        self.problems = []

    def fail(self, path, reason):
        self.problems.append(Problem(path, reason))

    def mapping(self, value, path):
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping (key: value)")
            return False
        return True

    def text(self, parent, key, path, *, required=True):
        """A bilingual text {sv, en}; both languages required."""
        value = parent.get(key) if isinstance(parent, dict) else None
        here = f"{path}.{key}"
        if value is None:
            if required:
                self.fail(here, "missing")
            return None
        if not isinstance(value, dict):
            self.fail(here, "expected {sv: ..., en: ...}")
            return None
        for lang in ("sv", "en"):
            if not isinstance(value.get(lang), str) or not value.get(lang).strip():
                self.fail(f"{here}.{lang}", "missing or empty text")
        unknown = set(value) - {"sv", "en"}
        if unknown:
            self.fail(here, f"unknown language(s): {', '.join(sorted(map(str, unknown)))}")
        return value

    def slug(self, parent, key, path):
        value = parent.get(key)
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail(f"{path}.{key}", "expected a lowercase key of letters a-z, digits, - or _")
            return None
        return value

    def items(self, parent, key, path, *, minimum=1):
        value = parent.get(key)
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(f"{path}.{key}", f"expected a list with at least {minimum} item(s)")
            return []
        return value


def validate(data):
    """All problems with a parsed framework file; an empty list means it can be loaded."""
    c = _Checker()
    if not c.mapping(data, "(top)"):
        return c.problems
    if data.get("format") != 1:
        c.fail("format", "expected 1 (the only format this version of Stegvis reads)")
    c.slug(data, "key", "(top)")
    version = data.get("version")
    if not isinstance(version, str | int | float) or not str(version).strip():
        c.fail("version", "missing")
    c.text(data, "name", "(top)")
    c.text(data, "description", "(top)", required=False)
    levels = c.items(data, "levels", "(top)", minimum=2)
    for i, _level in enumerate(levels):
        c.text({"x": _level}, "x", f"levels[{i}]")
    level_count = len(levels)
    tag_names = data.get("tag_names", {})
    if not isinstance(tag_names, dict):
        c.fail("tag_names", "expected a mapping of tag: {sv: ..., en: ...}")
    else:
        for tag in tag_names:
            if not isinstance(tag, str) or not SLUG.match(tag):
                c.fail(f"tag_names.{tag}", "expected a lowercase tag key")
            else:
                c.text(tag_names, tag, "tag_names")
    area_keys, indicator_keys, codes = set(), set(), set()
    for a, area in enumerate(c.items(data, "areas", "(top)")):
        apath = f"areas[{a}]"
        if not c.mapping(area, apath):
            continue
        key = c.slug(area, "key", apath)
        if key:
            if key in area_keys:
                c.fail(f"{apath}.key", f"duplicate area key '{key}'")
            area_keys.add(key)
            apath = f"areas[{a}]({key})"
        c.text(area, "name", apath)
        c.text(area, "description", apath, required=False)
        for i, ind in enumerate(c.items(area, "indicators", apath)):
            ipath = f"{apath}.indicators[{i}]"
            if not c.mapping(ind, ipath):
                continue
            ikey = c.slug(ind, "key", ipath)
            if ikey:
                if ikey in indicator_keys:
                    c.fail(f"{ipath}.key", f"duplicate indicator key '{ikey}'")
                indicator_keys.add(ikey)
                ipath = f"{apath}.indicators[{i}]({ikey})"
            code = ind.get("code")
            if not isinstance(code, str) or not code.strip():
                c.fail(f"{ipath}.code", "missing")
            elif code in codes:
                c.fail(f"{ipath}.code", f"duplicate code '{code}'")
            else:
                codes.add(code)
            c.text(ind, "title", ipath)
            c.text(ind, "preschool_title", ipath, required=False)
            forms = ind.get("school_forms", list(schoolforms.SCHOOL_FORMS))
            if not isinstance(forms, list) or not forms:
                c.fail(f"{ipath}.school_forms", "expected a non-empty list")
            else:
                for form in forms:
                    if form not in schoolforms.SCHOOL_FORMS:
                        c.fail(
                            f"{ipath}.school_forms",
                            f"unknown school form '{form}' (known: {', '.join(schoolforms.SCHOOL_FORMS)})",
                        )
            tags = ind.get("tags", [])
            if not isinstance(tags, list) or any(not isinstance(t, str) or not SLUG.match(t) for t in tags):
                c.fail(f"{ipath}.tags", "expected a list of lowercase keys")
            if "previous" in ind and (not isinstance(ind["previous"], str) or not SLUG.match(ind["previous"])):
                c.fail(f"{ipath}.previous", "expected the key of an indicator in the previous version")
            ilevels = c.items(ind, "levels", ipath)
            if ilevels and len(ilevels) != level_count:
                c.fail(f"{ipath}.levels", f"expected {level_count} levels, one per framework level, got {len(ilevels)}")
            for n, level in enumerate(ilevels):
                lpath = f"{ipath}.levels[{n}]"
                if c.mapping(level, lpath):
                    c.text(level, "text", lpath)
                    c.text(level, "preschool", lpath, required=False)
            steps = set()
            for n, act in enumerate(c.items(ind, "activities", ipath)):
                acpath = f"{ipath}.activities[{n}]"
                if not c.mapping(act, acpath):
                    continue
                to_level = act.get("to_level")
                if not isinstance(to_level, int) or isinstance(to_level, bool) or not 2 <= to_level <= level_count:
                    c.fail(f"{acpath}.to_level", f"level out of range: expected a whole number from 2 to {level_count}")
                else:
                    steps.add(to_level)
                c.text(act, "title", acpath)
                c.text(act, "description", acpath)
                c.text(act, "preschool", acpath, required=False)
            missing = [str(s) for s in range(2, level_count + 1) if s not in steps]
            if ind.get("activities") and missing:
                c.fail(f"{ipath}.activities", f"no suggested activity for the step up to level {', '.join(missing)}")
    return c.problems


def load_framework(path, *, organizer=None):
    """Validate and load a framework file. Returns ``(framework, created)``.

    Side effects: creates the framework with its areas, indicators, levels and activities in one
    transaction. Loading the same file again changes nothing; loading different content under a
    version that exists raises FrameworkError (a revision needs a new version).
    """
    data, checksum = read(path)
    problems = validate(data)
    if problems:
        raise FrameworkError(path, problems)
    key, version = data["key"], str(data["version"])
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
    previous = None
    if data.get("previous_version"):
        previous = Framework.objects.filter(organizer=organizer, key=key, version=str(data["previous_version"])).first()
        if previous is None:
            raise FrameworkError(
                path, [Problem("previous_version", f"version {data['previous_version']} of '{key}' is not loaded")]
            )
    with transaction.atomic():
        fw = Framework.objects.create(
            organizer=organizer,
            key=key,
            version=version,
            name_sv=data["name"]["sv"],
            name_en=data["name"]["en"],
            description_sv=(data.get("description") or {}).get("sv", ""),
            description_en=(data.get("description") or {}).get("en", ""),
            level_names=data["levels"],
            tag_names=data.get("tag_names") or {},
            previous=previous,
            checksum=checksum,
        )
        for a, area_data in enumerate(data["areas"], start=1):
            area = Area.objects.create(
                framework=fw,
                key=area_data["key"],
                order=a,
                name_sv=area_data["name"]["sv"],
                name_en=area_data["name"]["en"],
                description_sv=(area_data.get("description") or {}).get("sv", ""),
                description_en=(area_data.get("description") or {}).get("en", ""),
            )
            for i, ind_data in enumerate(area_data["indicators"], start=1):
                ind = Indicator.objects.create(
                    framework=fw,
                    area=area,
                    key=ind_data["key"],
                    code=ind_data["code"],
                    order=i,
                    title_sv=ind_data["title"]["sv"],
                    title_en=ind_data["title"]["en"],
                    preschool_sv=(ind_data.get("preschool_title") or {}).get("sv", ""),
                    preschool_en=(ind_data.get("preschool_title") or {}).get("en", ""),
                    school_forms=schoolforms.to_mask(ind_data.get("school_forms", list(schoolforms.SCHOOL_FORMS))),
                    tags=ind_data.get("tags", []),
                    previous_key=ind_data.get("previous", ""),
                )
                Level.objects.bulk_create(
                    Level(
                        indicator=ind,
                        number=n,
                        text_sv=lv["text"]["sv"],
                        text_en=lv["text"]["en"],
                        preschool_sv=(lv.get("preschool") or {}).get("sv", ""),
                        preschool_en=(lv.get("preschool") or {}).get("en", ""),
                    )
                    for n, lv in enumerate(ind_data["levels"], start=1)
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
                        preschool_sv=(act.get("preschool") or {}).get("sv", ""),
                        preschool_en=(act.get("preschool") or {}).get("en", ""),
                    )
                    for n, act in enumerate(ind_data.get("activities", []), start=1)
                )
    return fw, True
