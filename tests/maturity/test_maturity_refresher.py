import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stegvis.maturity import figures as maturity
from stegvis.maturity.models import MaturityFigure
from tests import factories as f


def test_refresher_pass_picks_up_a_publish_for_organiser_and_national_figures(world):
    world.org.share_national = True
    world.org.save()
    maturity.refresh_changed()  # the first pass computes everything once
    assert maturity.refresh_changed() == 0
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    assert maturity.refresh_changed() == 1
    national = MaturityFigure.unscoped.get(scope="national", area_key="")
    assert national.value == 100.0  # every indicator at the top level
    assert maturity.national(rounds=[world.rnd], organizer=world.org).values == {}  # its own figure only
    assert maturity.refresh_changed() == 0  # nothing new: nothing recomputed


def test_refresh_maturity_command_stores_figures(world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    out = io.StringIO()
    call_command("refresh_maturity", stdout=out)
    assert "maturity figures stored" in out.getvalue()
    assert MaturityFigure.unscoped.filter(scope="organizer", organizer=world.org, area_key="").get().value == 0.0


def test_refresh_maturity_every_is_gone_and_points_to_the_scheduler():
    with pytest.raises(CommandError, match="run_scheduler"):
        call_command("refresh_maturity", "--every", "30")
