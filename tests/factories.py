"""Factories for tests: build exactly the data a test needs."""

import datetime
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from stegvis.assessments import domain as assessments
from stegvis.core import schoolforms
from stegvis.cycles import domain as cycles
from stegvis.cycles.models import Round
from stegvis.frameworks.models import DEFAULT_SURVEY_SCALE, Activity, Area, Framework, Indicator, Level, SurveyQuestion
from stegvis.organisations.models import District, Membership, Organizer, Role, Unit
from stegvis.planning import domain as planning

PASSWORD = "correct horse battery"


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    organizer = factory.SubFactory(OrganizerFactory)
    name = factory.Sequence(lambda n: f"Område {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    organizer = factory.SubFactory(OrganizerFactory)
    district = factory.LazyAttribute(lambda o: DistrictFactory(organizer=o.organizer))
    name = factory.Sequence(lambda n: f"Skola {n}")
    code = factory.Sequence(lambda n: f"{10000000 + n}")
    school_forms = schoolforms.to_mask(["grundskola"])

    @factory.post_generation
    def join_open_rounds(obj, create, extracted, **kwargs):
        """As ``organisations.domain.create_unit`` does: an active unit joins the open rounds
        (``UnitFactory(join_open_rounds=False)`` leaves it out)."""
        if create and extracted is not False:
            cycles.add_units_to_open_rounds(organizer=obj.organizer, unit_ids=[obj.pk])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    full_name = factory.Sequence(lambda n: f"Förnamn{n} Efternamn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(user, organizer, role, *, district=None, unit=None):
    return Membership.objects.create(user=user, organizer=organizer, role=role, district=district, unit=unit)


def make_framework(*, key="test", version="1", areas=2, indicators=3, levels=4, organizer=None, forms=None):
    """A small framework: ``areas`` x ``indicators``, ``levels`` levels, one activity per step.

    ``forms`` maps an indicator code to the school form codes it applies to (default all).
    """
    forms = forms or {}
    fw = Framework.objects.create(
        organizer=organizer,
        key=key,
        version=version,
        name_sv=f"Ramverk {key}",
        name_en=f"Framework {key}",
        level_names=[{"sv": f"Steg {n}", "en": f"Step {n}"} for n in range(1, levels + 1)],
        checksum="x",
    )
    for a in range(1, areas + 1):
        area = Area.objects.create(framework=fw, key=f"area-{a}", order=a, name_sv=f"Område {a}", name_en=f"Area {a}")
        for i in range(1, indicators + 1):
            code = f"A{a}.{i}"
            ind = Indicator.objects.create(
                framework=fw,
                area=area,
                key=f"ind-{a}-{i}",
                code=code,
                order=i,
                title_sv=f"Indikator {code}",
                title_en=f"Indicator {code}",
                school_forms=schoolforms.to_mask(forms.get(code, schoolforms.SCHOOL_FORMS)),
                tags=["tag"],
            )
            for n in range(1, levels + 1):
                Level.objects.create(
                    indicator=ind,
                    number=n,
                    text_sv=f"{code} nivå {n}",
                    text_en=f"{code} level {n}",
                    preschool_sv=f"{code} förskola nivå {n}" if n == 1 else "",
                )
            for n in range(2, levels + 1):
                Activity.objects.create(
                    indicator=ind,
                    to_level=n,
                    order=1,
                    title_sv=f"Aktivitet {code} till {n}",
                    title_en=f"Activity {code} to {n}",
                    description_sv="Gör så här.",
                    description_en="Do this.",
                )
    return fw


def add_survey_questions(fw, *, groups=(("personal", "staff"), ("elever", "pupils")), per_area=2, text=True):
    """Survey questions for a test framework: per group, ``per_area`` scale questions per area
    (on its first indicators) and one free-text question on the last area."""
    fw.survey_groups = [
        {"key": key, "audience": audience, "name": {"sv": key.title(), "en": key.title()}} for key, audience in groups
    ]
    fw.save(update_fields=["survey_groups"])
    areas = list(fw.areas.order_by("order"))
    for key, _audience in groups:
        order = 0
        for area in areas:
            for ind in list(area.indicators.order_by("order"))[:per_area]:
                order += 1
                SurveyQuestion.objects.create(
                    framework=fw,
                    respondent_group=key,
                    key=f"{key}-{ind.key}",
                    order=order,
                    area=area,
                    indicator=ind,
                    text_sv=f"Fråga om {ind.code}",
                    text_en=f"Question on {ind.code}",
                    scale=DEFAULT_SURVEY_SCALE,
                )
        if text:
            SurveyQuestion.objects.create(
                framework=fw,
                respondent_group=key,
                key=f"{key}-text",
                order=order + 1,
                area=areas[-1],
                kind=SurveyQuestion.Kind.TEXT,
                text_sv="Något mer?",
                text_en="Anything else?",
            )
    return fw


def make_round(organizer, framework, *, name=None, opens_on=None, status=Round.Status.OPEN):
    """A round with the organiser's active units as its units (as ``cycles.domain.open_round``)."""
    rnd = Round.objects.create(
        organizer=organizer,
        framework=framework,
        name=name or f"Läsår {Round.objects.count() + 1}",
        opens_on=opens_on or datetime.date(2026, 8, 15),
        deadline=datetime.date(2026, 12, 15),
        status=status,
    )
    cycles.enrol_active_units(round=rnd)
    return rnd


def answer_all(assessment, *, level=2, by=None, levels=None):
    """Answer every applicable indicator (``levels`` maps indicator code -> level or None for N/A)."""
    levels = levels or {}
    for ind in assessments.applicable_indicators(framework=assessment.round.framework, unit=assessment.unit):
        chosen = levels.get(ind.code, level)
        assessments.save_answer(
            assessment=assessment,
            indicator=ind,
            level=chosen,
            not_relevant=chosen is None,
            expected_revision=None,
            by=by,
        )


def published_assessment(unit, rnd, *, by, level=2, levels=None):
    draft, _ = assessments.start_assessment(unit=unit, round=rnd, by=by)
    answer_all(draft, level=level, by=by, levels=levels)
    _published, plan = planning.publish(assessment=draft, by=by)
    draft.refresh_from_db()
    return draft, plan


@dataclass
class World:
    org: Organizer
    district: District
    unit: Unit
    other_unit: Unit
    rnd: Round
    alice: object  # organiser admin
    bob: object  # principal of unit
    carol: object  # contributor of unit
    dave: object  # district lead of district
    vera: object  # organiser viewer
    eve: object  # principal of other_unit (same organiser)
    other_org: Organizer
    charlie: object  # admin of other_org

    @classmethod
    def build(cls, *, framework):
        org = OrganizerFactory(name="Mittköpings kommun", slug="mittkoping")
        district = DistrictFactory(organizer=org, name="Norra")
        other_district = DistrictFactory(organizer=org, name="Södra")
        unit = UnitFactory(organizer=org, district=district, name="Ekskolan")
        other_unit = UnitFactory(organizer=org, district=other_district, name="Björkskolan")
        rnd = make_round(org, framework, name="Läsår 2026/27")
        users = {
            n: UserFactory(email=f"{n}@example.se", full_name=n.title())
            for n in ["alice", "bob", "carol", "dave", "vera", "eve", "charlie"]
        }
        member(users["alice"], org, Role.ADMIN)
        member(users["bob"], org, Role.PRINCIPAL, unit=unit)
        member(users["carol"], org, Role.CONTRIBUTOR, unit=unit)
        member(users["dave"], org, Role.DISTRICT_LEAD, district=district)
        member(users["vera"], org, Role.VIEWER)
        member(users["eve"], org, Role.PRINCIPAL, unit=other_unit)
        other_org = OrganizerFactory(name="Annanstad", slug="annanstad")
        member(users["charlie"], other_org, Role.ADMIN)
        return cls(org=org, district=district, unit=unit, other_unit=other_unit, rnd=rnd, other_org=other_org, **users)


def deactivate(unit, *, by=None):
    """Deactivate a unit as the unit page does (``organisations.domain.update_unit``): it leaves
    the open rounds; closed rounds keep it."""
    from stegvis.organisations import domain as organisations

    return organisations.update_unit(
        unit=unit,
        by=by,
        name=unit.name,
        code=unit.code,
        school_forms=unit.school_forms,
        district=unit.district,
        active=False,
    )
