"""The survey results read from the pre-aggregated figures (``SurveyFigure``, ``SurveyTally``),
with the anonymity rules applied before anything leaves this module (docs/anonymity.md).

- ``unit_results``: one unit in one round, every survey beside the principal's levels (and the
  other perspectives' where they are published), per indicator and per area, gaps marked.
- ``organiser_results``: one survey, per unit, district and organiser, with complementary
  suppression at every level.
- ``organiser_indicator_results``: the same per indicator (and per area, a summary), with the
  principals' levels beside, the organiser, a district's units or everything as columns.
- ``flags``: the indicators where staff or pupils see the unit much lower than the principal
  (the action plan shows them).
- ``response_rates``: responses and expected respondents per unit (reminders, the survey page).
- ``rates_of_surveys``: the same for many surveys at once (the weekly digest).

A figure is a share of positive answers (the upper half of the scale; "don't know" left out).
Its base is the number of answers it rests on (for several questions, the smallest number);
below k it is hidden.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from stegvis.assessments.models import Answer as AssessmentAnswer
from stegvis.assessments.models import Assessment, Perspective
from stegvis.core import numbers
from stegvis.core.i18n import pick
from stegvis.frameworks.models import Indicator, SurveyQuestion, survey_group, survey_group_name
from stegvis.organisations.models import Unit

from . import anonymity
from .models import Response, Survey, SurveyFigure, SurveyLink, SurveyTally, SurveyUnit

# A gap is marked where the principal's level, as a position on its scale (lowest 0, top 1),
# is this much above the share of positive answers: level 4 of 4 beside fewer than 65 %
# positive, level 3 of 4 beside fewer than 32 %.
GAP = 0.35
_round = round  # ``round`` is a parameter name below (a cycles.Round)


@dataclass
class Figure:
    """A share of positive answers over ``answered`` answers, resting on ``base`` (for several
    questions the smallest question's count); hidden below k."""

    base: int = 0
    answered: int = 0
    positive: int = 0
    hidden: bool = False

    @property
    def share(self):
        if self.hidden or not self.answered:
            return None
        return self.positive / self.answered


def _pooled(parts):
    """One figure from several questions' (answered, positive)."""
    parts = list(parts)
    if not parts:
        return Figure()
    return Figure(
        base=min(a for a, _p in parts), answered=sum(a for a, _p in parts), positive=sum(p for _a, p in parts)
    )


def _share(fig):
    return fig.share


def _apply_k(fig, k, hide=False, responses=0):
    """Hide a figure below k (a pooled figure whose smallest question has no answer on the
    scale rests on none), where the reader's tree hides it (``hide``), and where there are
    ``responses`` but no answer on the scale (a dash would say they all chose "don't know")."""
    if (fig.answered and (hide or not anonymity.shown(fig.base, k))) or (responses and not fig.answered):
        fig.hidden = True
    return fig


def percent(fig):
    share = fig.share
    return None if share is None else round(100 * share)


# --- response rates -------------------------------------------------------------------------


def expected_per_unit(survey):
    """{unit_id: expected respondents or None}: personal links sent, else the expected numbers
    given for the unit's links (None when none is given)."""
    found = defaultdict(lambda: None)
    for unit_id, personal, expected, n in (
        SurveyLink.objects.filter(survey=survey)
        .values_list("unit_id", "personal", "expected")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add = n if personal else (expected * n if expected else None)
        if add is not None:
            found[unit_id] = (found[unit_id] or 0) + add
        else:
            found.setdefault(unit_id, None)
    return found


def response_rates(survey, units):
    """{unit: rate (0..1) or None} and {unit: responses} for the given units, counted live
    (one grouped query)."""
    counts = dict(
        Response.objects.filter(survey=survey, unit__in=units).values_list("unit_id").annotate(n=Count("id")).order_by()
    )
    expected = expected_per_unit(survey)
    rates = {}
    for unit in units:
        exp = expected.get(unit.pk)
        rates[unit] = (counts.get(unit.pk, 0) / exp) if exp else None
    return rates, {unit: counts.get(unit.pk, 0) for unit in units}


def rates_of_surveys(survey_ids):
    """{survey id: {unit id: (responses, rate 0..1 or None)}} for every unit the surveys ask,
    counted live as the survey page does (``response_rates``), in three queries whatever the
    number of surveys and units (the weekly digest, notifications)."""
    found = {}
    for survey_id, unit_id in SurveyUnit.objects.filter(survey_id__in=survey_ids).values_list("survey_id", "unit_id"):
        found.setdefault(survey_id, {})[unit_id] = None
    counts = {
        (s, u): n
        for s, u, n in Response.objects.filter(survey_id__in=survey_ids)
        .values_list("survey_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    expected = {}
    for survey_id, unit_id, personal, exp, n in (
        SurveyLink.objects.filter(survey_id__in=survey_ids)
        .values_list("survey_id", "unit_id", "personal", "expected")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add = n if personal else (exp * n if exp else None)
        if add is not None:
            expected[(survey_id, unit_id)] = (expected.get((survey_id, unit_id)) or 0) + add
    for survey_id, units in found.items():
        for unit_id in units:
            n, exp = counts.get((survey_id, unit_id), 0), expected.get((survey_id, unit_id))
            units[unit_id] = (n, n / exp if exp else None)
    return found


# --- the principal's levels -----------------------------------------------------------------


def perspective_levels(*, unit, round):
    """{perspective: {indicator_id: level}} of the latest published assessment per perspective."""
    latest = {}
    for pk, perspective, version in Assessment.objects.filter(
        unit=unit, round=round, status=Assessment.Status.PUBLISHED
    ).values_list("pk", "perspective", "version"):
        if perspective not in latest or version > latest[perspective][1]:
            latest[perspective] = (pk, version)
    found = {p: {} for p in latest}
    by_pk = {pk: p for p, (pk, _v) in latest.items()}
    for assessment_id, indicator_id, level in AssessmentAnswer.objects.filter(
        assessment_id__in=list(by_pk), level__isnull=False
    ).values_list("assessment_id", "indicator_id", "level"):
        found[by_pk[assessment_id]][indicator_id] = level
    return found


def position(level, count):
    """A level as a position on its scale: the lowest 0, the top 1."""
    if level is None or count < 2:
        return None
    return (level - 1) / (count - 1)


# --- one unit -------------------------------------------------------------------------------


@dataclass
class GroupResult:
    survey: Survey
    key: str
    name: str
    audience: str
    responses: int
    expected: int | None
    k: int
    codes: list = field(default_factory=list)  # [(code, responses, percent or None, hidden)]
    free_text: list | None = None  # texts, when shown

    @property
    def rate(self):
        return round(100 * self.responses / self.expected) if self.expected else None


def unit_results(*, unit, round, lang, access, with_free_text=False):
    """Everything the unit's result page shows to the reader ``access`` (see the module
    docstring): a figure is hidden below k, and also where the reader is shown district or
    organiser totals of the survey that the figure would give away (``reader_hidden_units``);
    a unit hidden so in any column hides its group codes' figures too."""
    framework = round.framework
    surveys = list(
        Survey.objects.filter(organizer_id=unit.organizer_id, round=round, survey_units__unit=unit)
        .distinct()
        .order_by("respondent_group")
    )
    survey_ids = [s.pk for s in surveys]
    tallies = defaultdict(dict)
    for survey_id, code, n in SurveyTally.objects.filter(survey_id__in=survey_ids, unit=unit).values_list(
        "survey_id", "code", "responses"
    ):
        tallies[survey_id][code] = tallies[survey_id].get(code, 0) + n
    cells = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # survey -> question -> [answered, positive]
    code_cells = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # survey -> code -> [answered, positive]
    for survey_id, code, qid, answered, positive in SurveyFigure.objects.filter(
        survey_id__in=survey_ids, unit=unit
    ).values_list("survey_id", "code", "question_id", "answered", "positive"):
        cells[survey_id][qid][0] += answered
        cells[survey_id][qid][1] += positive
        code_cells[survey_id][code][0] += answered
        code_cells[survey_id][code][1] += positive
    groups = [s.respondent_group for s in surveys]
    questions = list(
        SurveyQuestion.objects.filter(framework=framework, respondent_group__in=groups).values_list(
            "pk", "respondent_group", "indicator_id", "area_id", "kind"
        )
    )
    expected = {s.pk: expected_per_unit(s).get(unit.pk) for s in surveys}
    levels = perspective_levels(unit=unit, round=round)
    level_count = framework.level_count

    group_results, hidden_here = [], {}
    for s in surveys:
        info = survey_group(framework, s.respondent_group) or {"audience": "", "name": {}}
        k = anonymity.effective_k(s.k)
        by_code = tallies[s.pk]
        s.round = round  # the same round: read once
        tree_hidden = reader_hidden_units(survey=s, access=access)
        hidden_here[s.pk] = (
            set() if tree_hidden is None else {column for column, ids in tree_hidden.items() if unit.pk in ids}
        )
        result = GroupResult(
            survey=s,
            key=s.respondent_group,
            name=survey_group_name(framework, s.respondent_group, lang),
            audience=info.get("audience", ""),
            responses=sum(by_code.values()),
            expected=expected[s.pk],
            k=k,
        )
        if len(by_code) >= 2:  # responses came through more than one link: a row per group code
            # a unit hidden by the reader's tree hides its codes: together they give its figure
            hidden = set(by_code) if hidden_here[s.pk] else anonymity.hidden_cells(by_code, k=k)
            for code in sorted(by_code):
                answered, positive = code_cells[s.pk][code]
                pct = _round(100 * positive / answered) if answered and code not in hidden else None
                result.codes.append((code, by_code[code], pct, code in hidden))
        if with_free_text and anonymity.free_text_shown(result.responses):
            text_ids = [pk for pk, g, _i, _a, kind in questions if g == s.respondent_group and kind == "text"]
            result.free_text = _free_texts(s, unit, text_ids)
        group_results.append(result)

    # per indicator and per area, for every group
    by_indicator = defaultdict(lambda: defaultdict(list))  # indicator -> survey -> [(answered, positive)]
    by_area = defaultdict(lambda: defaultdict(list))
    survey_of_group = {s.respondent_group: s for s in surveys}
    for pk, group, indicator_id, area_id, kind in questions:
        if kind != SurveyQuestion.Kind.SCALE:
            continue
        s = survey_of_group[group]
        part = tuple(cells[s.pk][pk]) if pk in cells[s.pk] else (0, 0)
        if indicator_id:
            by_indicator[indicator_id][s.pk].append(part)
        by_area[area_id][s.pk].append(part)

    indicators = list(
        Indicator.objects.filter(framework=framework)
        .select_related("area")
        .order_by("area__order", "order")
        .only(
            "pk",
            "area_id",
            "code",
            "title_sv",
            "title_en",
            "area__id",
            "area__key",
            "area__name_sv",
            "area__name_en",
            "area__order",
        )
    )
    principal = levels.get(Perspective.PRINCIPAL, {})
    others = [(p, Perspective(p).label) for p in levels if p != Perspective.PRINCIPAL]
    rows = []
    for ind in indicators:
        if ind.pk not in by_indicator:
            continue
        figs = []
        for result in group_results:
            fig = (
                _apply_k(
                    _pooled(by_indicator[ind.pk][result.survey.pk]),
                    result.k,
                    ("indicator", ind.pk) in hidden_here[result.survey.pk],
                    result.responses,
                )
                if by_indicator[ind.pk].get(result.survey.pk)
                else None
            )
            figs.append(fig)
        level = principal.get(ind.pk)
        pos = position(level, level_count)
        gaps = [
            fig is not None and pos is not None and _share(fig) is not None and pos - _share(fig) >= GAP for fig in figs
        ]
        rows.append(
            {
                "indicator": ind,
                "area": pick(ind.area.name_sv, ind.area.name_en, lang),
                "title": pick(ind.title_sv, ind.title_en, lang),
                "level": framework.level_label(level) if level else None,
                "others": [
                    framework.level_label(levels[p][ind.pk]) if ind.pk in levels[p] else None for p, _l in others
                ],
                "cells": [
                    {
                        "percent": percent(fig) if fig else None,
                        "hidden": bool(fig and fig.hidden),
                        "base": fig.base if fig else 0,
                        "gap": gap,
                        "asked": fig is not None,
                    }
                    for fig, gap in zip(figs, gaps, strict=True)
                ],
                "gap": any(gaps),
            }
        )

    areas = []
    for area in framework.areas.all():
        if area.pk not in by_area:
            continue
        area_levels = [principal[i.pk] for i in indicators if i.area_id == area.pk and i.pk in principal]
        mean = sum(area_levels) / len(area_levels) if area_levels else None
        cells_ = []
        for result in group_results:
            parts = by_area[area.pk].get(result.survey.pk)
            hide = ("area", area.pk) in hidden_here[result.survey.pk]
            fig = _apply_k(_pooled(parts), result.k, hide, result.responses) if parts else None
            cells_.append(
                {
                    "percent": percent(fig) if fig else None,
                    "hidden": bool(fig and fig.hidden),
                    "base": fig.base if fig else 0,
                    "asked": fig is not None,
                }
            )
        areas.append(
            {
                "area": area,
                "name": pick(area.name_sv, area.name_en, lang),
                "principal_percent": _round(100 * position(mean, level_count)) if mean is not None else None,
                "principal_mean": framework.mean_text(mean) if mean is not None else None,
                "cells": cells_,
            }
        )
    return {
        "groups": group_results,
        "rows": rows,
        "areas": areas,
        "others": others,
        "has_principal": bool(principal),
    }


def _free_texts(survey, unit, question_ids):
    from .models import Answer

    texts = list(
        Answer.objects.filter(response__survey=survey, response__unit=unit, question_id__in=question_ids)
        .exclude(text="")
        .values_list("text", flat=True)
    )
    return sorted(texts)  # sorted by text: never in the order they came


def flags(*, unit, round, access):
    """{indicator_id: [group name, ...]}: where staff or pupils see the unit much lower than the
    principal (a gap on a figure shown to ``access``; a hidden figure never flags)."""
    data = unit_results(unit=unit, round=round, lang="sv", access=access)
    found = {}
    for row in data["rows"]:
        names = [
            g.name
            for g, cell in zip(data["groups"], row["cells"], strict=True)
            if cell["gap"] and g.audience in ("staff", "pupils")
        ]
        if names:
            found[row["indicator"].pk] = names
    return found


# --- the organiser --------------------------------------------------------------------------


def suppressed(tree, *, k, with_total):
    """``(hidden (district, unit) pairs, hidden districts)`` of one column of figures, ``tree``
    being ``{district: {unit: base}}``: ``anonymity.hidden_tree`` when the organiser's total is
    shown; for a reader without it (a district lead) each district's units within their shown
    district total, and a district resting on fewer than k answers hidden with its units."""
    if with_total:
        return anonymity.hidden_tree(tree, k=k)
    hidden_units = set()
    for d, children in tree.items():
        hidden_units |= {(d, c) for c in anonymity.hidden_cells(children, k=k)}
    hidden_districts = {d for d, children in tree.items() if anonymity.total_hidden(children, k=k)}
    for d in hidden_districts:
        hidden_units |= {(d, c) for c in tree[d]}
    return hidden_units, hidden_districts


def column_tree(unit_figures, district_units):
    """``{district: {unit: base}}`` of one column (an area or an indicator), ``unit_figures``
    being ``{unit: _counts(...) or None}`` and ``district_units`` ``{district: [unit ids]}``:
    what ``suppressed`` decides over, the same on every page."""
    return {d: {uid: (unit_figures[uid] or (0,))[0] for uid in ids} for d, ids in district_units.items()}


def reader_hidden_units(*, survey, access):
    """The unit-level figures of ``survey`` that must be hidden from this reader, decided over
    everything the reader may see (docs/anonymity.md, "Per reader"): ``{("area", area id) or
    ("indicator", indicator id): {unit id, ...}}``, or ``None`` when the reader is shown no
    district or organiser total of the survey (then a unit's own rules suffice).

    A reader who may read the survey's results per district (``can_read_survey_organiser_results``:
    admins, viewers, district leads, an API token) sees district totals (and the organiser's,
    with ``can_read_all_units``) over the units ``organiser_units`` gives; any unit figure shown
    to them elsewhere (the unit's results page, its API, the action plan's flags) is hidden
    exactly where the organiser's pages hide it (``suppressed`` over the same tree), so a total
    minus a unit page reveals nothing the totals page hides. Three queries, none per unit.
    """
    if access is None or not access.can_read_survey_organiser_results(survey):
        return None
    k = anonymity.effective_k(survey.k)
    district_units = {}
    for uid, d in (
        access.organiser_units(Unit.objects.filter(organizer_id=survey.organizer_id))
        .filter(pk__in=SurveyUnit.objects.filter(survey=survey).values("unit_id"))
        .values_list("pk", "district_id")
    ):
        district_units.setdefault(d, []).append(uid)
    unit_ids = {uid for ids in district_units.values() for uid in ids}
    columns = defaultdict(list)
    for pk, indicator_id, area_id in SurveyQuestion.objects.filter(
        framework_id=survey.round.framework_id, respondent_group=survey.respondent_group, kind=SurveyQuestion.Kind.SCALE
    ).values_list("pk", "indicator_id", "area_id"):
        columns[("area", area_id)].append(pk)
        if indicator_id:
            columns[("indicator", indicator_id)].append(pk)
    cells = defaultdict(dict)
    for unit_id, qid, answered, positive in SurveyFigure.objects.filter(survey=survey).values_list(
        "unit_id", "question_id", "answered", "positive"
    ):
        if unit_id in unit_ids:
            cell = cells[unit_id].get(qid)
            if cell is None:
                cells[unit_id][qid] = [answered, positive]
            else:
                cell[0] += answered
                cell[1] += positive
    with_total = access.can_read_all_units
    found = {}
    for column, qids in columns.items():
        figures = {uid: _counts(cells[uid], qids) for uid in unit_ids}
        hidden_pairs, _districts = suppressed(column_tree(figures, district_units), k=k, with_total=with_total)
        found[column] = {uid for _d, uid in hidden_pairs}
    return found


def organiser_results(*, survey, access, lang):
    """One survey per district and unit (the units ``access.organiser_units`` shows), with the
    organiser's total for those who read every unit. Per area a share of positive answers;
    complementary suppression per area column at every level (``anonymity.hidden_tree``)."""
    framework = survey.round.framework
    k = anonymity.effective_k(survey.k)
    units = list(
        access.organiser_units(Unit.objects.filter(organizer_id=survey.organizer_id))
        .filter(pk__in=SurveyUnit.objects.filter(survey=survey).values("unit_id"))
        .select_related("district")
        .order_by("district__name", "name")
    )
    unit_ids = {u.pk for u in units}
    tallies = defaultdict(int)
    for unit_id, n in SurveyTally.objects.filter(survey=survey).values_list("unit_id", "responses"):
        if unit_id in unit_ids:
            tallies[unit_id] += n
    questions = dict(
        SurveyQuestion.objects.filter(
            framework=framework, respondent_group=survey.respondent_group, kind=SurveyQuestion.Kind.SCALE
        ).values_list("pk", "area_id")
    )
    areas = [a for a in framework.areas.all() if a.pk in set(questions.values())]
    # unit -> area -> question -> [answered, positive]
    cells = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0])))
    for unit_id, qid, answered, positive in SurveyFigure.objects.filter(survey=survey).values_list(
        "unit_id", "question_id", "answered", "positive"
    ):
        if unit_id in unit_ids and qid in questions:
            cell = cells[unit_id][questions[qid]][qid]
            cell[0] += answered
            cell[1] += positive
    expected = expected_per_unit(survey)
    districts = {}
    for u in units:
        districts.setdefault(u.district_id, (u.district, []))[1].append(u)
    with_total = access.can_read_all_units
    area_ids = [area.pk for area in areas]

    def summed(unit_ids_):
        """{area: {question: [answered, positive]}} summed over units."""
        found = {area_id: defaultdict(lambda: [0, 0]) for area_id in area_ids}
        for uid in unit_ids_:
            for area_id, by_question in cells[uid].items():
                target = found[area_id]
                for qid, (a, p) in by_question.items():
                    cell = target[qid]
                    cell[0] += a
                    cell[1] += p
        return found

    def pooled(by_area):
        """{area: Figure or None}: several questions' counts pooled per area."""
        return {
            area_id: _pooled(tuple(v) for v in by_area[area_id].values()) if by_area.get(area_id) else None
            for area_id in area_ids
        }

    # each unit's figures once; the districts' and the organiser's from the summed questions
    unit_figures = {u.id: pooled(cells[u.id]) for u in units}
    district_figures = {d: pooled(summed([u.pk for u in us])) for d, (_district, us) in districts.items()}

    # suppression per area column: the tree every page of this reader decides over
    district_units = {d: [u.pk for u in us] for d, (_district, us) in districts.items()}
    area_questions = defaultdict(list)
    for qid, area_id in questions.items():
        area_questions[area_id].append(qid)
    hidden = {}
    for area in areas:
        figures = {uid: _counts(cells[uid][area.pk], area_questions[area.pk]) for uid in unit_ids}
        hidden[area.pk] = suppressed(column_tree(figures, district_units), k=k, with_total=with_total)

    def figure_cells(figures, hide, responses):
        found = []
        for area in areas:
            fig = figures[area.pk]
            if fig is None or not fig.answered:
                # with responses but no answer on the scale, hidden like a figure below k: a
                # dash would say what the few who answered chose ("don't know")
                found.append({"percent": None, "hidden": bool(responses), "base": 0})
                continue
            fig = Figure(base=fig.base, answered=fig.answered, positive=fig.positive)
            fig.hidden = hide(area) or not anonymity.shown(fig.base, k)
            found.append({"percent": percent(fig), "hidden": fig.hidden, "base": fig.base})
        return found

    def rate(responses, exp):
        return round(100 * responses / exp) if exp else None

    rows = []
    for d, (district, us) in districts.items():
        for u in us:
            rows.append(
                {
                    "kind": "unit",
                    "name": u.name,
                    "unit": u,
                    "district_id": d,
                    "district": district.name if district else "",
                    "responses": tallies[u.pk],
                    "expected": expected.get(u.pk),
                    "rate": rate(tallies[u.pk], expected.get(u.pk)),
                    "cells": figure_cells(
                        unit_figures[u.pk], lambda area, u=u, d=d: (d, u.pk) in hidden[area.pk][0], tallies[u.pk]
                    ),
                }
            )
        ids = [u.pk for u in us]
        exp = [expected.get(u.pk) for u in us]
        exp_total = sum(e for e in exp if e) if all(e for e in exp) else None
        responses = sum(tallies[i] for i in ids)
        rows.append(
            {
                "kind": "district",
                "name": district.name if district else "",
                "district_id": d,
                "district": district.name if district else "",
                "responses": responses,
                "expected": exp_total,
                "rate": rate(responses, exp_total),
                "cells": figure_cells(district_figures[d], lambda area, d=d: d in hidden[area.pk][1], responses),
            }
        )
    total = None
    if with_total and units:
        ids = [u.pk for u in units]
        exp = [expected.get(i) for i in ids]
        exp_total = sum(exp) if all(exp) else None
        responses = sum(tallies[i] for i in ids)
        total = {
            "kind": "organiser",
            "name": survey.organizer.name,
            "district": "",
            "responses": responses,
            "expected": exp_total,
            "rate": rate(responses, exp_total),
            "cells": figure_cells(pooled(summed(ids)), lambda area: False, responses),
        }
    return {
        "survey": survey,
        "group_name": survey_group_name(framework, survey.respondent_group, lang),
        "areas": [pick(a.name_sv, a.name_en, lang) for a in areas],
        "area_keys": [a.key for a in areas],
        "rows": rows,
        "total": total,
        "k": k,
    }


# --- the organiser, per indicator --------------------------------------------------------------


def principal_levels_of_units(*, round, unit_ids):
    """{unit_id: {indicator_id: level}} from each unit's latest published principal assessment
    in ``round`` (two queries, whatever the number of units)."""
    latest = {}
    for pk, unit_id, version in Assessment.objects.filter(
        round=round, unit_id__in=unit_ids, perspective=Perspective.PRINCIPAL, status=Assessment.Status.PUBLISHED
    ).values_list("pk", "unit_id", "version"):
        if unit_id not in latest or version > latest[unit_id][1]:
            latest[unit_id] = (pk, version)
    unit_of = {pk: unit_id for unit_id, (pk, _v) in latest.items()}
    found = {unit_id: {} for unit_id in latest}
    answers = AssessmentAnswer.objects.filter(assessment_id__in=list(unit_of), level__isnull=False)
    for assessment_id, indicator_id, level in answers.values_list("assessment_id", "indicator_id", "level"):
        found[unit_of[assessment_id]][indicator_id] = level
    return found


def _counts(by_question, qids):
    """``(base, answered, positive)`` of several questions pooled (``_pooled`` without the
    Figure: it runs for every unit and row), or None when none of them has a count."""
    base, answered, positive = None, 0, 0
    for qid in qids:
        cell = by_question.get(qid)
        if cell is not None:
            answered += cell[0]
            positive += cell[1]
            if base is None or cell[0] < base:
                base = cell[0]
    return None if base is None else (base, answered, positive)


ALL_DISTRICTS = "all"  # the columns: the organiser's total and every district
EVERYTHING = "everything"  # the export: the organiser, every district and every unit


def organiser_indicator_results(*, survey, access, lang, columns=ALL_DISTRICTS):
    """One survey per indicator (rows, grouped by area, each area with a summary row) and per
    organiser, district and unit (columns): the share of positive answers, what it rests on
    (n), the responses and response rate of each column, and the principals' levels beside it.

    ``columns``: ``ALL_DISTRICTS`` (the organiser's total, for those who read every unit, and
    each district), a district id or ``None`` for the units without a district (the district's
    total and each of its units) or ``EVERYTHING`` (all of them, for the export). Suppression is
    decided per row over the whole tree the reader may see (``suppressed``: k, the survey's k,
    complementary suppression at every level), whatever the columns shown, so the district
    view and the totals view hide the same figures.

    The principals' level: a unit's level from its latest published principal assessment of the
    survey's round; a district's or the organiser's the mean level of the units that have one
    (``level_units`` says how many). An area row holds the mean of the area's indicators' levels.
    A gap is marked where the level as a position on the scale is ``GAP`` above a shown share;
    for a district or the organiser only when every one of its units has a level.
    """
    framework = survey.round.framework
    k = anonymity.effective_k(survey.k)
    units = list(
        access.organiser_units(Unit.objects.filter(organizer_id=survey.organizer_id))
        .filter(pk__in=SurveyUnit.objects.filter(survey=survey).values("unit_id"))
        .select_related("district")
        .order_by("district__name", "name")
    )
    unit_ids = {u.pk for u in units}
    tallies = defaultdict(int)
    for unit_id, n in SurveyTally.objects.filter(survey=survey).values_list("unit_id", "responses"):
        if unit_id in unit_ids:
            tallies[unit_id] += n
    questions = {
        pk: (indicator_id, area_id)
        for pk, indicator_id, area_id in SurveyQuestion.objects.filter(
            framework=framework, respondent_group=survey.respondent_group, kind=SurveyQuestion.Kind.SCALE
        ).values_list("pk", "indicator_id", "area_id")
    }
    # unit -> question -> [answered, positive], summed over the group codes
    cells = defaultdict(dict)
    for unit_id, qid, answered, positive in SurveyFigure.objects.filter(survey=survey).values_list(
        "unit_id", "question_id", "answered", "positive"
    ):
        if unit_id in unit_ids and qid in questions:
            cell = cells[unit_id].get(qid)
            if cell is None:
                cells[unit_id][qid] = [answered, positive]
            else:
                cell[0] += answered
                cell[1] += positive
    expected = expected_per_unit(survey)
    levels = principal_levels_of_units(round=survey.round, unit_ids=unit_ids)
    level_count = framework.level_count
    with_total = access.can_read_all_units

    districts = {}
    for u in units:
        districts.setdefault(u.district_id, (u.district, []))[1].append(u)

    # the rows: per area its summary, then its indicators that have questions
    indicators = list(
        Indicator.objects.filter(framework=framework)
        .select_related("area")
        .order_by("area__order", "order")
        .only("pk", "area_id", "code", "title_sv", "title_en", "area__order", "order")
    )
    by_indicator, by_area = defaultdict(list), defaultdict(list)
    for qid, (indicator_id, area_id) in questions.items():
        if indicator_id:
            by_indicator[indicator_id].append(qid)
        by_area[area_id].append(qid)
    area_indicators = defaultdict(list)
    for ind in indicators:
        area_indicators[ind.area_id].append(ind.pk)
    areas = [a for a in framework.areas.all() if a.pk in by_area]
    specs = []  # (kind, area, indicator or None, question ids, indicator ids for the level)
    for area in areas:  # an area's level: the mean over all its indicators, as on the unit page
        specs.append(("area", area, None, sorted(by_area[area.pk]), area_indicators[area.pk]))
        for ind in indicators:
            if ind.area_id == area.pk and ind.pk in by_indicator:
                specs.append(("indicator", area, ind, sorted(by_indicator[ind.pk]), [ind.pk]))

    # the column's question counts: each unit's, each district's and the organiser's sums
    def summed(ids):
        found = {}
        for uid in ids:
            for qid, (a, p) in cells[uid].items():
                cell = found.get(qid)
                if cell is None:
                    found[qid] = [a, p]
                else:
                    cell[0] += a
                    cell[1] += p
        return found

    if columns == ALL_DISTRICTS:
        chosen = [("organiser", None)] if with_total and units else []
        chosen += [("district", d) for d in districts]
    elif columns == EVERYTHING:
        chosen = [("organiser", None)] if with_total and units else []
        for d, (_district, us) in districts.items():
            chosen += [("district", d)] + [("unit", u) for u in us]
    elif columns in districts:
        chosen = [("district", columns)] + [("unit", u) for u in districts[columns][1]]
    else:
        chosen = []

    def rate(responses, exp):
        return _round(100 * responses / exp) if exp else None

    cols = []
    for kind, what in chosen:
        if kind == "unit":
            ids, name, district = [what.pk], what.name, what.district
            district_id = what.district_id
        elif kind == "district":
            ids, district = [u.pk for u in districts[what][1]], districts[what][0]
            name, district_id = (district.name if district else ""), what
        else:
            ids, name, district, district_id = [u.pk for u in units], survey.organizer.name, None, None
        exp = [expected.get(i) for i in ids]
        exp_total = sum(exp) if exp and all(exp) else None
        responses = sum(tallies[i] for i in ids)
        cols.append(
            {
                "kind": kind,
                "name": name,
                "unit": what if kind == "unit" else None,
                "district_id": district_id,
                "district": district.name if district else "",
                "responses": responses,
                "expected": exp_total,
                "rate": rate(responses, exp_total),
                "counts": cells[what.pk] if kind == "unit" else summed(ids),
                "ids": ids,
            }
        )

    # plain ids and tuples from here: this runs for every row and every unit (600 x 25)
    unit_district = {u.pk: u.district_id for u in units}
    district_ids = {d: [u.pk for u in us] for d, (_district, us) in districts.items()}
    for col in cols:
        col["n_units"] = len(col["ids"])
    rows = []
    for kind, area, ind, qids, level_indicators in specs:
        unit_figures = {uid: _counts(cells[uid], qids) for uid in unit_district}
        hidden_units, hidden_districts = suppressed(column_tree(unit_figures, district_ids), k=k, with_total=with_total)
        # each unit's level (the indicator's, or the mean of the area's indicators' levels),
        # summed per district and for the organiser: {key: [sum, units]}
        unit_levels, level_sums = {}, defaultdict(lambda: [0, 0])
        for uid, by_indicator_ in levels.items():
            if len(level_indicators) == 1:
                value = by_indicator_.get(level_indicators[0])
            else:
                found = [by_indicator_[i] for i in level_indicators if i in by_indicator_]
                value = sum(found) / len(found) if found else None
            if value is None:
                continue
            unit_levels[uid] = value
            for key in (("district", unit_district[uid]), ("organiser", None)):
                level_sums[key][0] += value
                level_sums[key][1] += 1
        row_cells = []
        for col in cols:
            if col["kind"] == "unit":
                uid = col["ids"][0]
                counts = unit_figures[uid]
                hide = (col["district_id"], uid) in hidden_units
                mean, with_level = unit_levels.get(uid), None
            else:
                counts = _counts(col["counts"], qids)
                hide = col["kind"] == "district" and col["district_id"] in hidden_districts
                total, with_level = level_sums.get((col["kind"], col["district_id"]), (0, 0))
                mean = total / with_level if with_level else None
            cell = {"asked": bool(col["responses"]) or counts is not None, "hidden": False, "percent": None, "base": 0}
            share = None
            if counts is not None and counts[1]:
                base, answered, positive = counts
                if hide or not anonymity.shown(base, k):
                    cell["hidden"] = True
                else:
                    share = positive / answered
                    cell.update(percent=_round(100 * share), base=base)
            elif col["responses"]:
                # responses but no answer on the scale ("don't know" or none): hidden like a
                # figure below k, else a dash would say what the few who answered chose
                cell["hidden"] = True
            if mean is None:
                cell["level"] = None
            elif col["kind"] == "unit" and kind == "indicator":
                cell["level"] = framework.level_label(mean)
            else:
                cell["level"] = framework.mean_text(mean) or numbers.figure(mean, numbers.LEVEL_DIGITS)
            cell["level_units"] = with_level  # what a district's or the organiser's mean rests on
            pos = position(mean, level_count)
            # a total's gap only where every unit has a level: else the mean and the share would
            # rest on different units
            whole = with_level is None or with_level == col["n_units"]
            cell["gap"] = whole and pos is not None and share is not None and pos - share >= GAP
            row_cells.append(cell)
        rows.append(
            {
                "kind": kind,
                "area_key": area.key,
                "code": ind.code if ind else "",
                "title": pick(ind.title_sv, ind.title_en, lang) if ind else pick(area.name_sv, area.name_en, lang),
                "area": pick(area.name_sv, area.name_en, lang),
                "cells": row_cells,
                "gap": any(c["gap"] for c in row_cells),
            }
        )
    for col in cols:
        del col["counts"], col["ids"], col["n_units"]
    return {
        "survey": survey,
        "group_name": survey_group_name(framework, survey.respondent_group, lang),
        "columns": cols,
        "rows": rows,
        "districts": [(d, district.name if district else "") for d, (district, _us) in districts.items()],
        "with_total": with_total,
        "has_principal": bool(levels),
        "k": k,
    }
