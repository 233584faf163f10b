"""A framework's areas and indicators as plain tuples, read once per process.

A loaded framework never changes (a revision is a new version: see ``loader``), so pages that
need its structure on every request (the overview grid) read it from here instead of the
database. The key includes the load time, so a framework deleted and loaded again is read anew.
"""

from .models import Area, Group, Indicator

_outlines = {}
_structures = {}


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
