import datetime

import pytest

from stegvis.networks import domain


@pytest.fixture
def net(world):
    """The world's network "IKT-nätverket": bob coordinates it, carol is a member; eve and dave
    (of the same organiser) are not in it; vera (viewer) reads every network."""
    network = domain.create_network(
        organizer=world.org, by=world.alice, name="IKT-nätverket", default_agenda="Incheckning\nTema\nTill nästa gång"
    )
    domain.add_member(network=network, user=world.bob, coordinator=True, by=world.alice)
    domain.add_member(network=network, user=world.carol, by=world.bob)
    return network


@pytest.fixture
def meeting(world, net):
    return domain.create_meeting(
        network=net,
        by=world.bob,
        date=datetime.date.today() + datetime.timedelta(days=10),
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(16, 0),
        theme="AI i undervisningen",
        place="Stadshuset",
    )
