"""Publication status for a round: published (date), draft, not started, last activity."""

from stegvis.assessments import domain as assessments
from tests import factories as f


def _status_rows(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [part.split("</a></th>", 1)[0].rsplit(">", 1)[1] for part in body.split('<th scope="row">')[1:]]


def test_status_counts_published_draft_and_not_started(client, world):
    a, _plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    assessments.start_assessment(unit=world.other_unit, round=world.rnd, by=world.eve)
    f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/status/").content.decode()
    counts = html.split('class="counts"', 1)[1].split("</ul>", 1)[0]
    assert [c.split("<strong>")[1].split("<")[0] for c in counts.split("<li>")[1:]] == ["1", "1", "1", "3"]
    assert a.published_at.astimezone().strftime("%Y-%m-%d") in html
    assert _status_rows(html) == ["Aspskolan", "Björkskolan", "Ekskolan"]


def test_status_filters_by_status_and_district(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    assert _status_rows(client.get("/mittkoping/overview/status/?status=not_started").content.decode()) == [
        "Björkskolan"
    ]
    assert _status_rows(client.get("/mittkoping/overview/status/?status=published").content.decode()) == ["Ekskolan"]
    html = client.get(f"/mittkoping/overview/status/?district={world.district.pk}").content.decode()
    assert _status_rows(html) == ["Ekskolan"]


def test_status_shows_a_new_draft_after_publishing(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    assessments.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/status/?status=published").content.decode()
    assert _status_rows(html) == ["Ekskolan"] and "a new version is in draft" in html


def test_status_for_district_lead_never_lists_other_districts(client, world):
    client.force_login(world.dave)
    html = client.get(f"/mittkoping/overview/status/?district={world.other_unit.district_id}").content.decode()
    assert _status_rows(html) == ["Ekskolan"] and "Björkskolan" not in html


def test_status_is_403_for_principals(client, world):
    client.force_login(world.eve)
    assert client.get("/mittkoping/overview/status/").status_code == 403


def test_status_last_activity_counts_action_plan_work(client, world):
    import datetime

    from django.utils import timezone

    from stegvis.assessments.models import Assessment
    from stegvis.planning import domain as planning
    from stegvis.planning.models import Action

    a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Assessment.objects.filter(pk=a.pk).update(updated_at=long_ago, published_at=long_ago)
    action = planning.add_action(plan=plan, by=world.bob, title="Åtgärd")
    Action.objects.filter(pk=action.pk).update(updated_at=long_ago + datetime.timedelta(days=10))
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/status/?status=published").content.decode()
    row = html.split("<tbody>", 1)[1]
    assert timezone.localtime(long_ago).strftime("%Y-%m-%d") in row  # published
    assert timezone.localtime(long_ago + datetime.timedelta(days=10)).strftime("%Y-%m-%d") in row  # last activity
