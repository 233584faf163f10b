import pytest

from stegvis.assessments import domain
from stegvis.assessments.models import Answer, Assessment
from stegvis.core import schoolforms
from stegvis.cycles import domain as cycles
from stegvis.cycles.models import Round
from stegvis.planning.models import ActionPlan
from tests import factories as f

HX = {"HTTP_HX_REQUEST": "true"}


def start(client, world):
    client.force_login(world.bob)
    response = client.post(f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/start/")
    assessment = Assessment.objects.get(unit=world.unit, round=world.rnd)
    return response, assessment


def test_principal_starts_assessment_and_lands_on_first_area(client, world):
    response, assessment = start(client, world)
    assert response.status_code == 302
    assert response["Location"] == f"/mittkoping/assessments/{assessment.pk}/areas/area-1/"
    page = client.get(response["Location"]).content.decode()
    assert "Indikator A1.1" in page and "Indikator A1.3" in page
    assert "0 av 6 besvarade" in page or "0 of 6 answered" in page


def test_start_twice_gives_the_same_draft(client, world):
    start(client, world)
    start(client, world)
    assert Assessment.objects.filter(unit=world.unit, round=world.rnd).count() == 1


def test_only_indicators_for_the_units_school_forms_are_shown(client, world):
    framework = f.make_framework(key="forms", forms={"A1.2": ["forskola"], "A2.1": ["gymnasieskola", "grundskola"]})
    rnd = f.make_round(world.org, framework, name="Formrunda")
    draft, _ = domain.start_assessment(unit=world.unit, round=rnd, by=world.bob)  # unit is grundskola
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/assessments/{draft.pk}/areas/area-1/").content.decode()
    assert "Indikator A1.1" in page and "Indikator A1.2" not in page
    assert domain.progress(assessment=draft) == (0, 5)


def test_preschool_unit_sees_preschool_wording(client, world):
    world.unit.school_forms = schoolforms.to_mask(["forskola"])
    world.unit.save()
    _, assessment = start(client, world)
    page = client.get(f"/mittkoping/assessments/{assessment.pk}/areas/area-1/").content.decode()
    assert "A1.1 förskola nivå 1" in page


def test_answer_is_saved_at_once_and_progress_updates(client, world):
    _, assessment = start(client, world)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/",
        {"choice": "3", "comment": "Vi har en plan", "revision": "0"},
        **HX,
    )
    assert response.status_code == 200
    assert response["X-Stegvis-Outcome"] == "saved"
    html = response.content.decode()
    assert 'hx-swap-oob="true"' in html and ("1 av 6" in html or "1 of 6" in html)
    answer = Answer.objects.get(assessment=assessment, indicator=ind)
    assert (answer.level, answer.comment, answer.updated_by) == (3, "Vi har en plan", world.bob)


def test_answer_without_javascript_redirects_back_to_the_indicator(client, world):
    _, assessment = start(client, world)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/", {"choice": "nr", "revision": "0"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#ind-{ind.pk}")
    assert Answer.objects.get(assessment=assessment, indicator=ind).not_relevant


def test_level_out_of_range_is_refused_with_a_message(client, world):
    _, assessment = start(client, world)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/", {"choice": "7", "revision": "0"}, **HX
    )
    assert response["X-Stegvis-Outcome"] == "error"
    assert "7" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exists()
    with pytest.raises(domain.AssessmentError):
        domain.save_answer(assessment=assessment, indicator=ind, level=0, expected_revision=0, by=world.bob)


def test_double_submit_is_not_a_conflict(client, world):
    _, assessment = start(client, world)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    url = f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/"
    client.post(url, {"choice": "2", "revision": "0"}, **HX)
    again = client.post(url, {"choice": "2", "revision": "0"}, **HX)
    assert again["X-Stegvis-Outcome"] == "saved"
    assert Answer.objects.get(assessment=assessment, indicator=ind).revision == 1


def test_two_tabs_later_save_gets_a_conflict_and_keeps_typed_comment(client, world):
    _, assessment = start(client, world)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    url = f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/"
    client.post(url, {"choice": "2", "revision": "0"}, **HX)  # both tabs now show revision 1
    client.post(url, {"choice": "3", "revision": "1"}, **HX)  # tab one
    response = client.post(url, {"choice": "1", "comment": "min text", "revision": "1"}, **HX)  # tab two
    assert response["X-Stegvis-Outcome"] == "conflict"
    html = response.content.decode()
    assert "min text" in html
    assert Answer.objects.get(assessment=assessment, indicator=ind).level == 3


def test_expired_session_autosave_says_so_instead_of_showing_login(client, world):
    _, assessment = start(client, world)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    client.logout()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/", {"choice": "2", "revision": "0"}, **HX
    )
    assert response.status_code == 401


def test_publish_needs_every_indicator_answered(client, world):
    _, assessment = start(client, world)
    response = client.post(f"/mittkoping/assessments/{assessment.pk}/publish/", follow=True)
    assert "6 of 6" in response.content.decode() or "6 av 6" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.is_draft


def test_publishing_asks_first_and_says_what_follows(client, world):
    _, assessment = start(client, world)
    f.answer_all(assessment, level=2, by=world.bob)
    response = client.post(f"/mittkoping/assessments/{assessment.pk}/publish/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "skrivskyddad" in page and "handlingsplan" in page and "förs över" in page
    assert 'name="confirmed" value="yes"' in page
    assessment.refresh_from_db()
    assert assessment.is_draft and not ActionPlan.objects.exists()
    client.post(f"/mittkoping/assessments/{assessment.pk}/publish/", {"confirmed": "yes"})
    assessment.refresh_from_db()
    assert not assessment.is_draft


def test_the_last_area_page_offers_publishing_once_everything_is_answered(client, world):
    _, assessment = start(client, world)
    last = f"/mittkoping/assessments/{assessment.pk}/areas/area-2/"
    assert f"/assessments/{assessment.pk}/publish/" not in client.get(last).content.decode()
    f.answer_all(assessment, level=2, by=world.bob)
    assert f"/assessments/{assessment.pk}/publish/" in client.get(last).content.decode()
    first = f"/mittkoping/assessments/{assessment.pk}/areas/area-1/"
    assert f"/assessments/{assessment.pk}/publish/" not in client.get(first).content.decode()


def test_the_last_answer_saved_on_the_last_area_brings_the_publish_offer(client, world):
    _, assessment = start(client, world)
    f.answer_all(assessment, level=2, by=world.bob)
    answer = assessment.answers.filter(indicator__area__key="area-2").first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{answer.indicator_id}/",
        {"choice": "3", "revision": str(answer.revision)},
        **HX,
    )
    page = response.content.decode()
    assert 'id="publish-offer" hx-swap-oob="true"' in page and "/publish/" in page


def test_publish_makes_read_only_and_gives_a_plan(client, world):
    _, assessment = start(client, world)
    f.answer_all(assessment, level=2, by=world.bob)
    response = client.post(f"/mittkoping/assessments/{assessment.pk}/publish/", {"confirmed": "yes"})
    plan = ActionPlan.objects.get(unit=world.unit, round=world.rnd)
    assert response["Location"] == f"/mittkoping/plans/{plan.pk}/"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.PUBLISHED and assessment.published_by == world.bob
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/", {"choice": "4", "revision": "1"}, **HX
    )
    assert response["X-Stegvis-Outcome"] == "error"
    assert Answer.objects.get(assessment=assessment, indicator=ind).level == 2
    # Publishing twice is harmless.
    client.post(f"/mittkoping/assessments/{assessment.pk}/publish/", {"confirmed": "yes"})
    assert ActionPlan.objects.count() == 1


def test_new_version_starts_from_published_answers_and_old_stays_readable(client, world):
    v1, _plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    client.force_login(world.bob)
    client.post(f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/start/")
    v2 = Assessment.objects.get(unit=world.unit, round=world.rnd, version=2)
    assert v2.is_draft and v2.answers.count() == v1.answers.count()
    f.answer_all(v2, level=3, by=world.bob)
    client.post(f"/mittkoping/assessments/{v2.pk}/publish/", {"confirmed": "yes"})
    page = client.get(f"/mittkoping/assessments/{v1.pk}/").content.decode()
    assert "Version 2" in page
    assert set(v1.answers.values_list("level", flat=True)) == {2}
    plan = ActionPlan.objects.get(unit=world.unit, round=world.rnd)
    assert plan.assessment_id == v2.pk


def test_closed_round_refuses_changes_with_a_clear_message(client, world):
    _, assessment = start(client, world)
    cycles.set_round_status(round=world.rnd, status=Round.Status.CLOSED, by=world.alice)
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/", {"choice": "2", "revision": "0"}, **HX
    )
    assert response["X-Stegvis-Outcome"] == "error"
    assert "Läsår 2026/27" in response.content.decode()
    response = client.post(f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/start/", follow=True)
    assert "Läsår 2026/27" in response.content.decode()


def test_unknown_assessment_or_area_is_404(client, world):
    _, assessment = start(client, world)
    assert client.get("/mittkoping/assessments/999999/").status_code == 404
    assert client.get(f"/mittkoping/assessments/{assessment.pk}/areas/no-such-area/").status_code == 404


def test_contributor_reads_but_cannot_answer(client, world):
    _, assessment = start(client, world)
    client.force_login(world.carol)
    assert client.get(f"/mittkoping/assessments/{assessment.pk}/areas/area-1/").status_code == 200
    ind = domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    response = client.post(
        f"/mittkoping/assessments/{assessment.pk}/indicators/{ind.pk}/", {"choice": "2", "revision": "0"}
    )
    assert response.status_code == 403


def test_audit_records_who_published(world):
    assessment, _plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    from stegvis.core.models import history

    verbs = [e.verb for e in history(organizer=world.org, obj=assessment)]
    assert "assessment.published" in verbs and "assessment.started" in verbs
