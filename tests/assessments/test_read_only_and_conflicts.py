"""Read-only roles see read-only pages; a conflicting save without JavaScript keeps what the
user chose and typed."""

import re

from stegvis.assessments import domain
from stegvis.assessments.models import Answer
from stegvis.planning import domain as planning
from tests import factories as f


def main(response):
    return response.content.decode().split("<main", 1)[1]


def test_a_viewer_reads_the_assessment_without_form_controls(client, world):
    draft, _ = domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    domain.save_answer(assessment=draft, indicator=ind, level=3, comment="Bra läge", expected_revision=0, by=world.bob)
    client.force_login(world.vera)
    page = main(client.get(f"/mittkoping/assessments/{draft.pk}/areas/area-1/"))
    assert "<input" not in page and "<textarea" not in page and "<select" not in page
    assert 'class="req"' not in page and "disabled" not in page
    assert "Steg 3" in page and "A1.1 nivå 3" in page and "Bra läge" in page
    assert "Inte besvarad" in page  # the other indicators


def test_a_viewer_reads_an_action_without_form_controls_or_required_marks(client, world):
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    action = planning.add_action(plan=plan, by=world.bob, title="Fortbildning", owner="Ali", priority=1)
    client.force_login(world.vera)
    page = main(client.get(f"/mittkoping/actions/{action.pk}/"))
    assert "<input" not in page and "<textarea" not in page and "<select" not in page
    assert 'class="req"' not in page
    assert "Ali" in page and "Fortbildning" in page
    # the principal gets the form
    client.force_login(world.bob)
    page = main(client.get(f"/mittkoping/actions/{action.pk}/"))
    assert 'name="title"' in page and 'class="req"' in page


def test_a_published_assessment_reads_as_text_for_its_principal_too(client, world):
    assessment, _plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    client.force_login(world.bob)
    page = main(client.get(f"/mittkoping/assessments/{assessment.pk}/areas/area-1/"))
    assert 'type="radio"' not in page and "<textarea" not in page and "Steg 2" in page


def test_without_javascript_a_conflicting_answer_keeps_what_was_chosen_and_typed(client, world):
    draft, _ = domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    # carol saves first, while bob has the page open at revision 0
    domain.save_answer(assessment=draft, indicator=ind, level=1, comment="Carols", expected_revision=0, by=world.carol)
    client.force_login(world.bob)
    url = f"/mittkoping/assessments/{draft.pk}/indicators/{ind.pk}/"
    response = client.post(url, {"choice": "3", "comment": "Mitt långa resonemang", "revision": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Carol" in page and 'role="alert"' in page
    assert "Mitt långa resonemang</textarea>" in page
    assert re.search(rf'value="3" id="ind-{ind.pk}-level-3"\s+checked', page)
    assert f'id="ind-{ind.pk}-level-1" checked' not in page
    assert 'name="revision" value="1"' in page  # saving again replaces Carol's answer knowingly
    assert Answer.objects.get(assessment=draft, indicator=ind).comment == "Carols"
    response = client.post(url, {"choice": "3", "comment": "Mitt långa resonemang", "revision": "1"})
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=draft, indicator=ind)
    assert (answer.level, answer.comment) == (3, "Mitt långa resonemang")


def test_without_javascript_a_conflicting_action_save_keeps_the_typing_and_can_be_saved_again(client, world):
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    action = planning.add_action(plan=plan, by=world.bob, title="Fortbildning")
    seen = action.revision  # bob opens the action; carol saves it first
    saved = planning.update_action(action=action, by=world.carol, expected_revision=seen, owner="Carol").revision
    client.force_login(world.bob)
    data = {"title": "Fortbildning i AI", "priority": "1", "status": "planned", "owner": "Bob", "revision": seen}
    response = client.post(f"/mittkoping/actions/{action.pk}/", data)
    page = response.content.decode()
    assert 'role="alert"' in page and 'value="Fortbildning i AI"' in page and 'value="Bob"' in page
    assert f'name="revision" value="{saved}"' in page
    action.refresh_from_db()
    assert action.owner == "Carol"
    response = client.post(f"/mittkoping/actions/{action.pk}/", {**data, "revision": saved})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Fortbildning i AI", "Bob")
