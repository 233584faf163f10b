"""Demo surveys (issue 12): staff and pupils answered in the last closed round and are answering
in the open one, with realistic response rates and answers that mostly follow the principal's
levels, some units seeing it lower. Called with one line from ``demo.build_demo``.

Responses are written in bulk (the demo's history is made, not clicked), with the same fields
the answer pages write; figures are then refreshed as the scheduler would.
"""

import datetime

from stegvis.core import schoolforms
from stegvis.cycles.models import Round
from stegvis.surveys import aggregate
from stegvis.surveys import domain as surveys
from stegvis.surveys.models import Answer, Response, SurveyLink
from stegvis.surveys.results import perspective_levels, position

STAFF_COMMENTS = [
    "Mer tid att prova nya verktyg tillsammans i arbetslaget.",
    "Wifi:t i matsalen och idrottshallen behöver bli bättre.",
    "Tydligare rutiner för vem man kontaktar när tekniken krånglar.",
    "Fler kurser om hur AI kan användas i undervisningen.",
    "Det vore bra med gemensamma mallar i lärplattformen.",
    "Att elevernas datorer är laddade när lektionen börjar.",
    "Studiebesök på en skola som kommit längre.",
    "Mer stöd i hur vi anpassar med digitala hjälpmedel.",
]
PUPIL_COMMENTS = [
    "Bäst är när vi får göra filmer.",
    "Datorerna är ofta urladdade.",
    "Jag gillar att programmera robotar.",
    "Internet är segt ibland.",
    "Det är bra att man kan lyssna på texter.",
    "Vi borde få använda surfplattor oftare.",
]
PUPIL_CODES = ["4A", "4B", "5A", "5B", "6A"]


def build_surveys(builder):
    """Surveys in the last closed round and the open one. Side effects: Surveys, links,
    responses, answers, figures; one line of output."""
    fw = builder.framework
    groups = fw.survey_groups or []
    staff = next((g["key"] for g in groups if g.get("audience") == "staff"), None)
    pupils = next((g["key"] for g in groups if g.get("audience") == "pupils"), None)
    if staff is None:
        return
    rounds = list(Round.objects.filter(organizer=builder.org).order_by("opens_on"))
    closed = [r for r in rounds if r.is_closed][-1:]
    current = [r for r in rounds if r.is_open][-1:]
    rng = builder.rng
    units = [s.unit for s in builder.states if s.unit.active]
    school = schoolforms.to_mask(["grundskola"])
    made = 0
    for rnd in closed + current:
        if rnd in closed:
            start = rnd.survey_opens_on or (rnd.opens_on + datetime.timedelta(days=35))
            opens = datetime.datetime.combine(start, datetime.time(8), builder.tz)
            closes = opens + datetime.timedelta(days=21)
        else:
            opens = builder.now - datetime.timedelta(days=9)
            closes = builder.now + datetime.timedelta(days=12)
        plans = [(staff, units)]
        if pupils:
            plans.append((pupils, [u for u in units if u.school_forms & school]))
        for group, group_units in plans:
            if not group_units:
                continue
            survey = surveys.open_survey(
                organizer=builder.org,
                round=rnd,
                respondent_group=group,
                opens_at=opens,
                closes_at=closes,
                units=group_units,
                distribution="links",
                k=5,
                by=builder.admin,
            )
            screens = surveys.questions(fw, group)
            questions = surveys.all_questions(screens)
            responses, answers = [], []
            for unit in group_units:
                links = _links(builder, survey, unit, pupils=group == pupils)
                levels = perspective_levels(unit=unit, round=rnd).get("principal", {})
                bias = rng.uniform(-0.3, 0.1)  # some units see it lower than the principal
                for code, expected in links:
                    share = rng.uniform(0.35, 0.95) if rnd in closed else rng.uniform(0.15, 0.7)
                    for _n in range(round(expected * share)):
                        response = Response(
                            organizer=builder.org,
                            survey=survey,
                            unit=unit,
                            code=code,
                            day=builder.day_between(opens.date(), min(closes.date(), builder.today)),
                            submit_key=f"demo-{rng.getrandbits(128):032x}",
                        )
                        responses.append(response)
                        answers.extend(_answers(rng, builder, response, questions, levels, bias, group == pupils))
            Response.objects.bulk_create(responses, batch_size=1000)
            Answer.objects.bulk_create(answers, batch_size=2000)
            aggregate.refresh(survey=survey)
            made += len(responses)
    from .demo import _write

    _write(builder.stdout, f"Surveys: {made} anonymous responses in {len(closed + current)} round(s)")


def _links(builder, survey, unit, *, pupils):
    """[(code, expected)]: staff answer through the unit's link; pupils through class codes."""
    rng = builder.rng
    if not pupils:
        expected = rng.randint(4, 30)
        SurveyLink.objects.filter(survey=survey, unit=unit, code="").update(expected=expected)
        return [("", expected)]
    found = []
    for code in rng.sample(PUPIL_CODES, rng.randint(2, 3)):
        expected = rng.randint(18, 28)
        surveys.add_group_code(survey=survey, unit=unit, code=code, expected=expected, by=builder.admin)
        found.append((code, expected))
    return found


def _answers(rng, builder, response, questions, levels, bias, pupils):
    """The response's free-text Answer rows; its scale answers go into ``response.scale_answers``."""
    found = []
    for q in questions:
        if q.kind == "text":
            if rng.random() < 0.25:
                text = rng.choice(PUPIL_COMMENTS if pupils else STAFF_COMMENTS)
                found.append(Answer(organizer=builder.org, response=response, question=q, text=text))
            continue
        if rng.random() < 0.04:  # skipped
            continue
        if q.scale.get("dont_know") and rng.random() < 0.07:
            response.scale_answers[str(q.pk)] = Response.DONT_KNOW
            continue
        pos = position(levels.get(q.indicator_id), builder.level_count)
        p = min(0.95, max(0.05, (0.3 + 0.55 * pos if pos is not None else 0.55) + bias))
        positive = rng.random() < p
        value = rng.randint(q.positive_from, q.step_count) if positive else rng.randint(1, q.positive_from - 1)
        response.scale_answers[str(q.pk)] = value
    return found
