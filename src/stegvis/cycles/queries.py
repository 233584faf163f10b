"""Reading rounds: small helpers shared by the pages that show one round of several."""

from stegvis.organisations.models import Unit

from .models import RoundUnit


def choose_round(rounds, wanted):
    """The round whose id the parameter names, else the newest round that has opened
    (``rounds`` newest first). An upcoming round is shown only when asked for by id; it is
    never the default, so None when every round is still upcoming."""
    try:
        wanted = int(wanted or 0)
    except ValueError:
        wanted = 0
    chosen = next((r for r in rounds if r.pk == wanted), None)
    return chosen or default_round(rounds)


def default_round(rounds):
    """The newest round that has opened (open or closed), or None."""
    return next((r for r in rounds if not r.is_upcoming), None)


def started(rounds):
    """The rounds that have opened (open or closed), in the order given."""
    return [r for r in rounds if not r.is_upcoming]


def round_unit_ids(*, round):
    """The ids of the round's units (``RoundUnit``): the units its totals count."""
    return RoundUnit.objects.filter(organizer_id=round.organizer_id, round=round).values_list("unit_id", flat=True)


def round_units(*, round):
    """The round's units as a Unit queryset (inactive ones included when a closed round had them)."""
    return Unit.objects.filter(organizer_id=round.organizer_id, round_memberships__round=round)


def members(*, organizer, rounds):
    """{round_id: set of unit ids} for several rounds, in one query."""
    result = {r.pk: set() for r in rounds}
    for round_id, unit_id in RoundUnit.objects.filter(organizer=organizer, round__in=list(rounds)).values_list(
        "round_id", "unit_id"
    ):
        result.setdefault(round_id, set()).add(unit_id)
    return result
