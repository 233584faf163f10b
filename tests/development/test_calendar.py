"""Initiatives' tracks and sessions in the year wheel, for whom they concern."""

import datetime

from django.utils import timezone

from stegvis.calendar import sources
from stegvis.calendar.sources import Reader

from .helpers import make_initiative


def titles(world, reader):
    today = timezone.localdate()
    found = sources.events(organizer=world.org, reader=reader, start=today, end=today + datetime.timedelta(days=60))
    return [e.title for e in found if e.kind == "development"]


def test_sessions_appear_for_the_organiser_and_the_target_units(world):
    make_initiative(world, title="För alla", tracks=1)
    make_initiative(world, title="För Ekskolan", target_units=[world.unit], tracks=1)
    assert titles(world, Reader(all=True)) == ["Spår 1 (För alla)", "Spår 1 (För Ekskolan)"]
    assert titles(world, Reader(units=frozenset({world.other_unit.pk}))) == ["Spår 1 (För alla)"]
    assert titles(world, Reader(units=frozenset({world.unit.pk}))) == ["Spår 1 (För alla)", "Spår 1 (För Ekskolan)"]


def test_the_wheel_page_lists_a_session(client, world):
    make_initiative(world, title="Ledarskap", tracks=1)
    client.force_login(world.bob)
    assert "Spår 1 (Ledarskap)" in client.get("/mittkoping/calendar/").content.decode()
