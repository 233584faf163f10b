"""A framework's areas and indicators as plain tuples, read once per process.

A loaded framework never changes (a revision is a new version: see ``loader``), so pages that
need its structure on every request (the overview grid) read it from here instead of the
database. The key includes the load time, so a framework deleted and loaded again is read anew.
"""

from .models import Area, Indicator

_outlines = {}


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
