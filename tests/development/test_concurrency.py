"""Two people taking the last place of a track at the same moment: one gets it, the other is
told the track is full (``select_for_update`` on the track rows; PostgreSQL only, SQLite
serialises writers anyway)."""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from stegvis.development import domain
from stegvis.development.models import TrackChoice

from .helpers import make_initiative

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_the_last_place_goes_to_one_of_two_at_once(world):
    initiative = make_initiative(world, tracks=1, capacity=1)
    track = initiative.tracks.get()
    enrolments = [domain.enrol(initiative=initiative, user=u, by=u)[0] for u in (world.bob, world.carol)]
    barrier = threading.Barrier(2)
    outcomes = []

    def take(enrolment):
        try:
            with scopes_disabled():
                barrier.wait()
                domain.choose_tracks(enrolment=enrolment, tracks=[track], by=enrolment.user)
            outcomes.append("taken")
        except domain.DevelopmentError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(e,)) for e in enrolments]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full", "taken"]
    assert TrackChoice.objects.filter(track=track).count() == 1
