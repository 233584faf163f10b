"""The weekly digest names the organiser's open surveys with units below the response rate."""

import datetime
import uuid

import pytest

from stegvis.core.models import SentMail
from stegvis.notifications import domain, kinds
from stegvis.surveys import domain as surveys
from stegvis.surveys.models import Response
from tests import factories as f

from .test_reminders import D, _pass_queries, at, run


@pytest.fixture
def framework():
    return f.add_survey_questions(f.make_framework())


def survey(world, rnd, units, *, group="personal", opens=-1, closes=7, expected=10):
    """A survey of ``units`` opened ``opens`` days from now and closing ``closes`` days from now,
    each unit with a group code expecting ``expected`` respondents."""
    from django.utils import timezone

    now = timezone.now()
    s = surveys.open_survey(
        organizer=rnd.organizer,
        round=rnd,
        respondent_group=group,
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
        units=units,
        distribution="links",
        k=5,
        by=None,
    )
    for unit in units:
        surveys.add_group_code(survey=s, unit=unit, code="7A", expected=expected, by=None)
    return s


def answered(s, unit, n):
    """``n`` responses from ``unit`` (the rows a submit stores; their answers play no part here)."""
    Response.objects.bulk_create(
        Response(organizer=s.organizer, survey=s, unit=unit, code="7A", day=D(12, 1), submit_key=uuid.uuid4().hex)
        for _ in range(n)
    )


def digest_of(email):
    return SentMail.objects.get(kind=kinds.DIGEST, to_email=email).body_text


def test_the_digest_lists_open_surveys_below_the_rate_with_their_units(world, framework):
    w = world
    almskolan = f.UnitFactory(organizer=w.org, district=w.district, name="Almskolan")
    with at(D(12, 1)):
        staff = survey(w, w.rnd, [w.unit, w.other_unit, almskolan])
        answered(staff, w.unit, 2)  # 20 %
        answered(staff, w.other_unit, 7)  # 35 % (of 20)
        answered(staff, almskolan, 6)  # 60 %: above the rate
        pupils = survey(w, w.rnd, [w.unit], group="elever")
        answered(pupils, w.unit, 8)  # 80 %: no unit below, so not listed
        closed = survey(w, w.rnd, [almskolan], group="elever", opens=-10, closes=-1)
        other_round = f.make_round(w.other_org, framework, name="Annan runda")
        annanskolan = f.UnitFactory(organizer=w.other_org, name="Annanskolan")
        other = survey(w, other_round, [annanskolan])
    from stegvis.surveys.models import SurveyLink

    SurveyLink.objects.filter(survey=staff, unit=w.other_unit, code="7A").update(expected=20)
    assert closed.pk and other.pk
    run(D(12, 1))
    text = digest_of("alice@example.se").split("under 50 % svarsfrekvens:", 1)[1]  # the surveys part
    assert "Enkät Personal, Läsår 2026/27: Ekskolan 20 %, Björkskolan 35 %" in text
    assert f"/mittkoping/surveys/{staff.pk}/" in text
    assert "Almskolan" not in text  # above the rate here, and its survey below the rate is closed
    assert text.count("Enkät ") == 1
    assert "Elever" not in text and "Annanskolan" not in text
    assert f"/surveys/{pupils.pk}/" not in text


def test_the_digest_in_english_for_an_english_reader(world, framework):
    w = world
    w.alice.language = "en"
    w.alice.save()
    with at(D(12, 1)):
        staff = survey(w, w.rnd, [w.unit])
    run(D(12, 1))
    text = digest_of("alice@example.se")
    assert "Survey Personal, Läsår 2026/27: Ekskolan 0 %" in text and staff.pk


def test_the_digest_makes_as_many_queries_for_many_surveys_and_units(world, framework, settings):
    from django.contrib.contenttypes.models import ContentType

    from stegvis.notifications.models import Preference

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    w = world
    domain.rules_for(w.rnd)
    ContentType.objects.get_for_model(Preference)
    with at(D(12, 1)):
        survey(w, w.rnd, [w.unit])
    _pass_queries(D(12, 1))  # the first pass also makes preferences and tokens
    SentMail.objects.all().delete()
    few = _pass_queries(D(12, 1))
    SentMail.objects.all().delete()
    with at(D(12, 1)):
        extra = [f.UnitFactory(organizer=w.org, district=w.district, name=f"Skola {n}") for n in range(4)]
        for group in ("personal", "elever"):
            s = survey(w, w.rnd, [w.unit, w.other_unit, *extra], group=group)
            answered(s, w.other_unit, 3)
    many = _pass_queries(D(12, 1))
    text = digest_of("alice@example.se")
    assert "Björkskolan 30 %, Ekskolan 0 %" not in text and "Ekskolan 0 %, Skola 0 0 %" in text
    assert "Skola 3 0 %" in text and "Enkät Elever" in text
    assert many == few  # the new units have no principals: the same mails, a longer digest


def test_the_organiser_sets_the_digests_survey_rate_per_round(world, framework):
    w = world
    with at(D(12, 1)):
        staff = survey(w, w.rnd, [w.unit, w.other_unit])
        answered(staff, w.unit, 2)  # 20 %
        answered(staff, w.other_unit, 4)  # 40 %
    rules = domain.rules_for(w.rnd)
    rules_args = {
        "days_before": [],
        "days_after": None,
        "action_days_before": None,
        "action_overdue": False,
        "follow_up": False,
    }
    domain.change_rules(rules=rules, by=w.alice, digest=True, digest_survey_rate=30, **rules_args)
    run(D(12, 1))
    text = digest_of("alice@example.se").split("under 30 % svarsfrekvens:", 1)[1]
    assert "Ekskolan 20 %" in text and "Björkskolan" not in text
    for bad in (0, 101, "50"):
        with pytest.raises(domain.NotificationError):
            domain.change_rules(rules=rules, by=w.alice, digest=True, digest_survey_rate=bad, **rules_args)
    assert domain.rules_for(w.rnd).digest_survey_rate == 30
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():  # and the database refuses it too
        type(rules).objects.filter(pk=rules.pk).update(digest_survey_rate=0)
