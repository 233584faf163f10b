"""What the unit and the organiser see of the self-reflections: aggregates only, and only those
that pass the anonymity rules (docs/anonymity.md, docs/reflection.md).

The rules are the surveys' (``surveys.anonymity``, docs/anonymity.md), applied to people:

- A group (a unit, the organiser's total) is shown only when at least ``k`` people rest under
  it (``min_group_size``: 5 unless the organiser has raised it).
- Where a total is shown beside its groups, a hidden group could be worked out as the total
  minus the groups shown; so more groups are hidden (complementary suppression,
  ``anonymity.hidden_cells``) until the hidden ones together hold at least ``k`` people.

Each person counts once per school year (their latest answers that year). Reads are one query
of tuples (unit id, levels), summed in Python.
"""

from dataclasses import dataclass, field

from stegvis.surveys import anonymity

from .models import ReflectionSettings, Response


def min_group_size(organizer):
    """The smallest group an aggregate may rest on in this organiser: its own setting
    (``ReflectionSettings.k``), never below the surveys' ``K_DEFAULT`` (5)."""
    own = ReflectionSettings.objects.filter(organizer=organizer).values_list("k", flat=True).first()
    return anonymity.effective_k(own)


@dataclass
class Group:
    """The answers of one group: how many people, and per area the count at each level."""

    people: int = 0
    counts: dict = field(default_factory=dict)  # area key -> [count at level 1, 2, ...]

    def add(self, levels, *, area_keys, level_count):
        self.people += 1
        for key in area_keys:
            level = levels.get(key)
            if isinstance(level, int) and 1 <= level <= level_count:
                self.counts.setdefault(key, [0] * level_count)[level - 1] += 1

    def mean(self, key):
        counts = self.counts.get(key)
        if not counts or not sum(counts):
            return None
        return sum(n * c for n, c in enumerate(counts, start=1)) / sum(counts)


def groups_by_unit(*, organizer, questionnaire, year, unit_ids=None):
    """``{unit id or None: Group}`` for one school year; ``unit_ids`` limits the units read
    (None: all of them, and the answers that name no unit)."""
    rows = Response.objects.filter(organizer=organizer, questionnaire=questionnaire, school_year=year)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    keys, count = questionnaire.area_keys, questionnaire.level_count
    groups = {}
    for unit_id, levels in rows.values_list("unit_id", "levels"):
        groups.setdefault(unit_id, Group()).add(levels, area_keys=keys, level_count=count)
    return groups


def years(*, organizer, questionnaire):
    """The school years with answers, newest first."""
    return list(
        Response.objects.filter(organizer=organizer, questionnaire=questionnaire)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )


def picture(*, organizer, questionnaire, year):
    """Everything the organiser's units show for one school year, suppressed once for all of
    them, so that every page (whoever reads it) hides the same groups.

    The one total printed is the organiser's, over every group (the units and the answers that
    name no unit). No district subtotals: a subtotal beside the organiser's total would make a
    hierarchy in which a hidden group can be worked out through the other level.

    Returns ``{"k", "groups": {unit id or None: Group}, "hidden": set of group keys,
    "organiser": Group or None (fewer than k people)}``.
    """
    k = min_group_size(organizer)
    groups = groups_by_unit(organizer=organizer, questionnaire=questionnaire, year=year)
    sizes = {key: group.people for key, group in groups.items()}
    hidden = anonymity.hidden_cells(sizes, k=k)
    total = Group()
    for group in groups.values():
        total.people += group.people
        for area, counts in group.counts.items():
            into = total.counts.setdefault(area, [0] * len(counts))
            for i, c in enumerate(counts):
                into[i] += c
    return {"k": k, "groups": groups, "hidden": hidden, "organiser": total if total.people >= k else None}


def shown(pic, key):
    """``(group or None, reason)`` for one unit (or None: the answers naming no unit): reason is
    "" when shown, "none" (nobody answered), "few" (fewer than k) or "complement" (hidden so
    that a smaller group cannot be worked out from a total)."""
    group = pic["groups"].get(key)
    if group is None:
        return None, "none"
    if group.people < pic["k"]:
        return None, "few"
    if key in pic["hidden"]:
        return None, "complement"
    return group, ""
