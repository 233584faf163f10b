"""Open data: an opted-in organiser's aggregate figures under a public address, as CSV and JSON.

Two tables, for the organiser's **closed** rounds only (a closed round is frozen, so nobody can
take two downloads a day apart and read one unit's answers from the difference):

- ``maturity_rows``: the maturity index per round and area (and in total), for the organiser
  and for each district;
- ``level_rows``: per round and indicator, the share of the round's units at each level.

The anonymity rule (docs/open-data.md): no figure rests on fewer than ``MIN_UNITS`` units. A
figure below it is withheld (value and unit count empty, ``suppressed`` true). Where the
organiser's total is shown beside its districts, the withheld districts together (with the units
that have no district, which are never shown apart) must also rest on ``MIN_UNITS`` units or
none, else their mean could be worked out from the total and the others: the smallest shown
districts are withheld too until they do (complementary suppression).
"""

from collections import defaultdict

from django.conf import settings

from stegvis.core.numbers import rounded
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Indicator
from stegvis.maturity import figures as maturity
from stegvis.organisations.models import District
from stegvis.overview.models import PlanCell

Scope = maturity.Scope


def min_units():
    return settings.STEGVIS_OPEN_DATA_MIN_UNITS


def closed_rounds(organizer):
    return list(
        Round.objects.filter(organizer=organizer, status=Round.Status.CLOSED)
        .select_related("framework")
        .order_by("opens_on", "pk")
    )


def withheld_districts(*, total_units, districts, k):
    """The district ids to withhold for one round and area.

    ``districts``: {district_id: unit count} of the districts with a figure; ``total_units``: what
    the organiser's figure rests on (shown). Withheld: every district below ``k``, then the
    smallest shown ones until the withheld districts and the units without a district together
    rest on none or at least ``k`` units."""
    withheld = {d for d, n in districts.items() if n < k}
    hidden = total_units - sum(districts.values())  # units without a district: never shown apart
    hidden += sum(districts[d] for d in withheld)
    shown = sorted((n, d) for d, n in districts.items() if d not in withheld)
    while 0 < hidden < k and shown:
        n, d = shown.pop(0)
        withheld.add(d)
        hidden += n
    return withheld


def _round_columns(rnd):
    return {
        "round": rnd.name,
        "school_year": maturity.school_year(rnd.opens_on),
        "framework": rnd.framework.key,
        "framework_version": rnd.framework.version,
    }


def maturity_rows(organizer):
    """Rows (dicts) of the maturity table, in order: per closed round and area (the total last),
    the organiser first, then its districts by name."""
    k = min_units()
    rounds = closed_rounds(organizer)
    maturity.ensure_fresh(organizer=organizer, rounds=rounds)
    totals = maturity.figures(organizer=organizer, rounds=rounds, scope=Scope.ORGANIZER)
    by_district = maturity.figures(organizer=organizer, rounds=rounds, scope=Scope.DISTRICT)
    names = dict(District.objects.filter(organizer=organizer).values_list("pk", "name"))
    rows = []
    for rnd in rounds:
        areas = maturity.areas_of(rnd.framework)
        total = totals.get((rnd.pk, organizer.pk), {})
        districts = {d: f for (r, d), f in by_district.items() if r == rnd.pk}
        for key, name in [(a_key, area.name_sv) for a_key, area in areas] + [(maturity.TOTAL, "")]:
            if key not in total:
                continue
            value, count = total[key]
            base = {**_round_columns(rnd), "area_key": key, "area": name or "Totalt"}
            shown_total = count >= k
            rows.append(_figure_row(base, "organizer", "", value, count, shown_total))
            counts = {d: f[key][1] for d, f in districts.items() if key in f}
            withheld = withheld_districts(total_units=count, districts=counts, k=k) if shown_total else set(counts)
            for d in sorted(counts, key=lambda d: (names.get(d, ""), d)):
                value_d, count_d = districts[d][key]
                rows.append(_figure_row(base, "district", names.get(d, ""), value_d, count_d, d not in withheld))
    return rows


def _figure_row(base, level, district, value, count, shown):
    return {
        **base,
        "level": level,
        "district": district,
        "value": float(rounded(value, 1)) if shown else None,
        "units": count if shown else None,
        "suppressed": not shown,
    }


def level_rows(organizer):
    """Rows (dicts) of the levels table: per closed round and indicator, the units that answered
    it (level given, not "not relevant") and the share (percent) at each level 1..n; withheld
    when fewer than ``min_units()`` units answered."""
    k = min_units()
    rounds = closed_rounds(organizer)
    members = maturity.members_by_round(organizer, rounds)
    counts = defaultdict(lambda: defaultdict(int))
    for round_id, unit_id, indicator_id, level in PlanCell.objects.filter(
        organizer=organizer, round__in=rounds, level__isnull=False, not_relevant=False
    ).values_list("round_id", "unit_id", "indicator_id", "level"):
        if unit_id in members.get(round_id, {}):
            counts[(round_id, indicator_id)][level] += 1
    rows = []
    for rnd in rounds:
        top = rnd.framework.level_count
        for pk, code, title, area_key in (
            Indicator.objects.filter(framework_id=rnd.framework_id)
            .order_by("area__order", "order", "pk")
            .values_list("pk", "code", "title_sv", "area__key")
        ):
            per_level = counts.get((rnd.pk, pk), {})
            n = sum(per_level.values())
            if not n:
                continue
            shown = n >= k
            shares = {
                str(level): (float(rounded(per_level.get(level, 0) / n * 100, 1)) if shown else None)
                for level in range(1, top + 1)
            }
            rows.append(
                {
                    **_round_columns(rnd),
                    "area_key": area_key,
                    "indicator": code,
                    "indicator_title": title,
                    "units": n if shown else None,
                    "suppressed": not shown,
                    "shares": shares,
                }
            )
    return rows
