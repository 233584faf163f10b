"""Survey figures for goals and certification, read from surveys' pre-aggregated tables
(``SurveyTally``, ``SurveyFigure``) with the anonymity rules (docs/anonymity.md, docs/goals.md).

A unit's figure counts only when it rests on at least the survey's k answers (``anonymity.shown``):
the unit's responses, and the answers on the scale of each question it pools ("don't know" does
not count; for an area, the smallest question's number, as in ``surveys.results``). A district's or the organiser's figure is pooled from such units only,
and is itself hidden below k. Because every pooled figure is a sum of whole units that each
reach k, subtracting one goal's value from another's (the organiser's minus a district's)
reveals only units that reach k too: no complementary suppression is needed across goals.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Sum

from stegvis.organisations.models import Unit
from stegvis.surveys import anonymity
from stegvis.surveys.models import Survey, SurveyFigure, SurveyTally


@dataclass
class UnitFigure:
    responses: int = 0
    answered: int = 0
    positive: int = 0
    smallest: int = 0  # the fewest answers on the scale of one of its questions
    k: int = anonymity.K_DEFAULT

    @property
    def shown(self):
        return anonymity.shown(self.responses, self.k) and anonymity.shown(self.smallest, self.k)

    @property
    def share(self):
        """Per cent positive of the answers on the scale, or None (hidden or nothing answered)."""
        if not self.shown or not self.answered:
            return None
        return 100 * self.positive / self.answered


def by_unit(*, organizer, rnd, group, area_key="", question_key=""):
    """{unit_id: UnitFigure} of the round's surveys of ``group`` on one question (by key) or on
    an area's questions (by key; neither: every scale question). Three queries."""
    surveys = list(Survey.objects.filter(organizer=organizer, round=rnd, respondent_group=group).values_list("pk", "k"))
    if not surveys:
        return {}
    ids = [pk for pk, _k in surveys]
    k = max(anonymity.effective_k(k) for _pk, k in surveys)
    result = defaultdict(lambda: UnitFigure(k=k))
    for unit_id, n in (
        SurveyTally.objects.filter(organizer=organizer, survey_id__in=ids)
        .values("unit_id")
        .annotate(n=Sum("responses"))
        .values_list("unit_id", "n")
    ):
        result[unit_id].responses = n
    figures = SurveyFigure.objects.filter(organizer=organizer, survey_id__in=ids)
    if question_key:
        figures = figures.filter(question__key=question_key)
    elif area_key:
        figures = figures.filter(question__area__key=area_key)
    smallest = {}
    for unit_id, _question, answered, positive in (
        figures.values("unit_id", "question_id")
        .annotate(a=Sum("answered"), p=Sum("positive"))
        .values_list("unit_id", "question_id", "a", "p")
    ):
        figure = result[unit_id]
        figure.answered += answered
        figure.positive += positive
        smallest[unit_id] = min(smallest.get(unit_id, answered), answered)
    for unit_id, n in smallest.items():
        result[unit_id].smallest = n
    return dict(result)


def tree_hidden(figures):
    """The units whose figures the organiser's survey pages hide (``anonymity.hidden_tree`` over
    every unit by district, each resting on its smallest question's answers): a unit below k
    and its complements. A goal leaves them out, else the results page's district total minus
    a goal's value (a unit's, or a district's pooled from the rest) gives a hidden unit away
    (docs/anonymity.md, "Per reader"). One query (the units' districts)."""
    tree = {}
    for unit_id, district_id in Unit.objects.filter(pk__in=list(figures)).values_list("pk", "district_id"):
        figure = figures[unit_id]
        tree.setdefault(district_id, {})[unit_id] = figure.smallest if figure.responses else 0
    k = max((f.k for f in figures.values()), default=anonymity.K_DEFAULT)
    hidden_children, _parents = anonymity.hidden_tree(tree, k=k)
    return frozenset(unit_id for _d, unit_id in hidden_children)


def pooled(figures, unit_ids, hidden=frozenset()):
    """(per cent positive or None, responses it rests on, units it rests on) over the units that
    reach k and are not ``hidden`` (``tree_hidden``); None also when the pool itself rests on
    fewer than k responses."""
    counted = [figures[u] for u in unit_ids if u in figures and figures[u].shown and u not in hidden]
    responses = sum(f.responses for f in counted)
    answered = sum(f.answered for f in counted)
    k = max((f.k for f in counted), default=anonymity.K_DEFAULT)
    if not counted or not anonymity.shown(responses, k) or not answered:
        return None, 0, 0
    return 100 * sum(f.positive for f in counted) / answered, responses, len(counted)


def signature(*, organizer, rounds):
    """{round_id: (surveys, newest refresh, responses counted)} in one grouped query."""
    return {
        rnd: (n, t, c)
        for rnd, n, t, c in Survey.objects.filter(organizer=organizer, round__in=rounds)
        .values("round_id")
        .annotate(n=Count("id"), t=Max("refreshed_at"), c=Sum("refreshed_count"))
        .values_list("round_id", "n", "t", "c")
    }
