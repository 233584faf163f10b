"""A framework's areas and indicators as plain tuples, read once per process.

A loaded framework never changes (a revision is a new version: see ``loader``), so pages that
need its structure on every request (the overview grid) read it from here instead of the
database. The key includes the load time, so a framework deleted and loaded again is read anew.
"""

from .models import Area, Group, Indicator, Level

_outlines = {}
_structures = {}
_indicators = {}
_levels = {}


def outline(framework):
    """``(areas, indicators)``: ``[(pk, key, name_sv, name_en)]`` and
    ``[(pk, code, title_sv, title_en, area_id, tags)]`` in framework order."""
    key = (framework.pk, framework.checksum, framework.loaded_at)
    found = _outlines.get(key)
    if found is None:
        areas = list(
            Area.objects.filter(framework=framework).order_by("order").values_list("pk", "key", "name_sv", "name_en")
        )
        indicators = list(
            Indicator.objects.filter(framework=framework)
            .order_by("area__order", "order")
            .values_list("pk", "code", "title_sv", "title_en", "area_id", "tags")
        )
        if len(_outlines) > 200:  # many frameworks come and go only in tests
            _outlines.clear()
        found = _outlines[key] = (areas, indicators)
    return found


def structure(framework):
    """What ``outline`` leaves out, read once per process as well: ``{"groups": {group_id:
    (key, name_sv, name_en)}, "group_of": {indicator_id: group_id}, "optional": {indicator_id}}``
    (groups are the strands or sub-elements between area and indicator; most frameworks have none)."""
    key = (framework.pk, framework.checksum, framework.loaded_at)
    found = _structures.get(key)
    if found is None:
        groups = {
            pk: (gkey, sv, en)
            for pk, gkey, sv, en in Group.objects.filter(framework=framework).values_list(
                "pk", "key", "name_sv", "name_en"
            )
        }
        group_of, optional = {}, set()
        for pk, group_id, is_optional in Indicator.objects.filter(framework=framework).values_list(
            "pk", "group_id", "optional"
        ):
            if group_id:
                group_of[pk] = group_id
            if is_optional:
                optional.add(pk)
        if len(_structures) > 200:
            _structures.clear()
        found = _structures[key] = {"groups": groups, "group_of": group_of, "optional": optional}
    return found


def _key(framework):
    return (framework.pk, framework.checksum, framework.loaded_at)


def indicators(framework):
    """The framework's ``Indicator`` objects in framework order (area order, then indicator
    order), with their area, group and framework, read once per process (the autosave reads
    them on every save). Shared between requests: read them, never change them."""
    key = _key(framework)
    found = _indicators.get(key)
    if found is None:
        found = list(
            Indicator.objects.filter(framework=framework)
            .select_related("area", "group", "framework")
            .order_by("area__order", "order")
        )
        if len(_indicators) > 200:
            _indicators.clear()
        _indicators[key] = found
    return found


def levels(framework):
    """``{indicator_id: [Level, ...]}`` by level number, read once per process like
    ``indicators``; shared between requests, never changed."""
    key = _key(framework)
    found = _levels.get(key)
    if found is None:
        found = {}
        for level in Level.objects.filter(indicator__framework=framework).order_by("indicator_id", "number"):
            found.setdefault(level.indicator_id, []).append(level)
        if len(_levels) > 200:
            _levels.clear()
        _levels[key] = found
    return found
