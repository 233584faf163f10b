"""The demo's "what works" figures (docs/what-works.md): computed at once from the demo's three
school years of plans and published levels, as the scheduler's job would within its interval,
so the action plans' suggestions and the report show them from the start. Nothing is made up
here: the figures are whatever the demo's units did and how their levels went."""

from stegvis.goals import whatworks
from stegvis.planning import outcomes


def build(*, organizer, stdout=None):
    """Side effects: the organiser's ActivityOutcome rows and its WhatWorksSnapshot. Returns how
    many activities have a figure that may be shown (at least k units that did it)."""
    whatworks.refresh_organizer(organizer)
    shown = sum(1 for figure in outcomes.read(organizer=organizer).own.values() if figure.shown)
    if stdout is not None:
        stdout.write(f"What works: {shown} suggested activities with figures to show\n")
    return shown
