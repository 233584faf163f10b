"""Reading rounds: small helpers shared by the pages that show one round of several."""


def choose_round(rounds, wanted):
    """The round whose id the parameter names, else the newest (``rounds`` newest first)."""
    try:
        wanted = int(wanted or 0)
    except ValueError:
        wanted = 0
    return next((r for r in rounds if r.pk == wanted), rounds[0] if rounds else None)
