"""Local digital plans (lokal digital plan) of the units and the organiser's plan
(docs/digital-plans.md): drafting, editing, adopting, and the reads the lists and PDFs use.

A plan belongs to one school year: 1 July to 30 June, stored as the year it starts (2026 is
2026/27). A unit's plan has six sections after Halmstad's model: Ledning, Infrastruktur,
Kompetens, Användning, Olika, Tänkvärt. The draft is written from the unit's published
assessment (strengths and priorities per area of its framework), the chosen actions of its
action plan and its goals. Which section an area goes under is decided by ``section_for_area``:
the first section one of whose words begins a word of the area's key or names (Swedish or
English), else "Tänkvärt". So a framework of another shape still gives every area a place.

Plan texts are plain text with paragraphs, "- " bullet lists and **bold** (``render_text``
escapes everything else). An adopted version is read-only; ``new_unit_version`` starts the
next version of the same year from it.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from stegvis.assessments.models import Answer
from stegvis.core import numbers
from stegvis.core.i18n import pick, ui_language
from stegvis.core.models import record
from stegvis.organisations.access import people_of
from stegvis.overview import grid as overview
from stegvis.planning.models import Action, ActionPlan

from .models import CentralAction, DigitalPlan, Goal, OrganiserPlan, PlanStatus

MAX_GOALS = 5  # "a few clear, measurable goals"


class PlanError(ValueError):
    pass


class Conflict(PlanError):
    """The plan was saved by someone else since the form was opened."""


@dataclass(frozen=True)
class Section:
    field: str
    label: object  # lazy translation
    words: tuple  # word beginnings that put an area of a framework under this section


SECTIONS = (
    Section("leadership", gettext_lazy("Leadership"), ("ledning", "led", "lead", "styr", "govern", "strateg", "manag")),
    Section(
        "infrastructure",
        gettext_lazy("Infrastructure"),
        ("infra", "tekn", "tech", "utrust", "equip", "tillgång", "access", "nätverk", "network"),
    ),
    Section(
        "competence",
        gettext_lazy("Competence"),
        ("kompet", "compet", "fortbild", "professional", "skill", "färdighet", "kunnande"),
    ),
    Section(
        "use",
        pgettext_lazy("digital plan section", "Use"),
        ("användning", "anvandning", "use", "undervis", "teach", "learn", "lär", "pedagog"),
    ),
    Section("diversity", gettext_lazy("Diversity"), ("olik", "divers", "inklu", "inclus", "likvärd", "equit")),
    Section("food_for_thought", gettext_lazy("Food for thought"), ()),
)
SECTION_FIELDS = tuple(s.field for s in SECTIONS)
FALLBACK_SECTION = "food_for_thought"


def school_year(day):
    """The school year (läsår) a day belongs to, by the year it starts: 1 July 2026 to 30 June
    2027 is 2026."""
    return day.year if day.month >= 7 else day.year - 1


def year_label(year):
    """2026 -> "2026/27"."""
    return f"{year}/{(year + 1) % 100:02d}"


def current_year():
    return school_year(timezone.localdate())


def _words(*texts):
    return [w for text in texts for w in re.split(r"[^\w]+", (text or "").lower()) if w]


def section_for_area(key, name_sv, name_en):
    """The section an area of a framework goes under (see the module's docstring)."""
    words = _words(key, name_sv, name_en)
    for section in SECTIONS:
        if any(w.startswith(start) for w in words for start in section.words):
            return section.field
    return FALLBACK_SECTION


# -- the simple formatting ------------------------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text):
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def render_text(text):
    """Plain text as safe HTML: blank lines part paragraphs, lines that begin with "- " are a
    bullet list, **bold** is bold; everything else is escaped."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        # runs of bullet lines and of other lines: [(is_bullet, [line, ...]), ...]
        runs = []
        for line in block.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            bullet = stripped.startswith("- ") or stripped == "-"
            if not runs or runs[-1][0] != bullet:
                runs.append((bullet, []))
            runs[-1][1].append(stripped[2:].strip() if bullet else stripped)
        for bullet, lines in runs:
            if bullet:
                out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in lines) + "</ul>")
            else:
                out.append("<p>" + "<br>".join(_inline(p) for p in lines) + "</p>")
    return mark_safe("".join(out))


# -- reading plans --------------------------------------------------------------------------


def unit_plans(*, unit):
    """Every plan of a unit, newest year and version first."""
    return list(DigitalPlan.objects.filter(organizer=unit.organizer, unit=unit).select_related("adopted_by", "round"))


def latest_of_year(plans, year):
    """The newest version among ``plans`` of the school year, or None."""
    return next((p for p in plans if p.school_year == year), None)


def plan_statuses(*, organizer, unit_ids, year):
    """{unit_id: (status, plan_id, adopted_at)} of each unit's newest plan version in the year,
    where the unit has one; "adopted" when some version of the year is adopted (a new draft of an
    adopted plan leaves the unit with an adopted plan). Two queries' worth of rows, no objects."""
    rows = (
        DigitalPlan.objects.filter(organizer=organizer, school_year=year, unit_id__in=unit_ids)
        .order_by("unit_id", "-version")
        .values_list("unit_id", "pk", "status", "adopted_at")
    )
    result = {}
    for unit_id, pk, status, adopted_at in rows:
        if unit_id not in result:
            result[unit_id] = [status, pk, adopted_at]
        elif status == PlanStatus.ADOPTED and result[unit_id][0] != PlanStatus.ADOPTED:
            result[unit_id] = [status, result[unit_id][1], adopted_at]
    return {u: tuple(v) for u, v in result.items()}


def units_with_adopted_plan(*, organizer, rnd, unit_ids):
    """Certification's plan condition "adopted_plan": the units (of ``unit_ids``) with an adopted
    local digital plan for the school year the round opens in. One query."""
    return set(
        DigitalPlan.objects.filter(
            organizer=organizer,
            school_year=school_year(rnd.opens_on),
            status=PlanStatus.ADOPTED,
            unit_id__in=list(unit_ids),
        ).values_list("unit_id", flat=True)
    )


def adopted_plan_signature(*, organizer, rounds):
    """{round id: (adopted plans of its school year, their latest adoption)}: changes when a plan
    that certification counts is adopted or a new version replaces one. One query."""
    by_year = {
        year: (n, str(latest))
        for year, n, latest in DigitalPlan.objects.filter(organizer=organizer, status=PlanStatus.ADOPTED)
        .values("school_year")
        .annotate(n=Count("id"), latest=Max("adopted_at"))
        .values_list("school_year", "n", "latest")
    }
    return {rnd.pk: by_year.get(school_year(rnd.opens_on)) for rnd in rounds}


def adopted_count(*, organizer, unit_ids, year):
    """How many of the units have an adopted plan in the school year."""
    return (
        DigitalPlan.objects.filter(
            organizer=organizer, school_year=year, unit_id__in=unit_ids, status=PlanStatus.ADOPTED
        )
        .values("unit_id")
        .distinct()
        .count()
    )


def years_of(*, organizer):
    """The school years that have a unit plan or an organiser plan, newest first, with this year."""
    years = set(DigitalPlan.objects.filter(organizer=organizer).values_list("school_year", flat=True).distinct())
    years |= set(OrganiserPlan.objects.filter(organizer=organizer).values_list("school_year", flat=True).distinct())
    years.add(current_year())
    return sorted(years, reverse=True)


def unit_goal_choices(*, unit):
    """The goals a unit's plan may pick: the unit's own goals first, then its district's and the
    organiser's goals (which the unit contributes to), main goals before sub-goals."""
    goals = Goal.objects.filter(organizer=unit.organizer).select_related("unit", "district")
    own = [g for g in goals if g.scope == Goal.Scope.UNIT and g.unit_id == unit.pk]
    district = [g for g in goals if g.scope == Goal.Scope.DISTRICT and g.district_id == unit.district_id]
    shared = [g for g in goals if g.scope == Goal.Scope.ORGANIZER]
    return own + district + shared


def organiser_goal_choices(*, organizer):
    """The goals an organiser's plan may hold: the organiser's and its districts' goals."""
    return list(
        Goal.objects.filter(organizer=organizer, scope__in=[Goal.Scope.ORGANIZER, Goal.Scope.DISTRICT])
        .select_related("district")
        .order_by("scope", "target_date", "id")
    )


# -- drafting a unit's plan ------------------------------------------------------------------


def source_plan(*, unit, year):
    """The action plan (with its published assessment) a unit's plan for the school year is drafted
    from: the unit's plan in the newest round that opened in the school year or before it."""
    return (
        ActionPlan.objects.filter(
            organizer=unit.organizer, unit=unit, round__opens_on__lte=datetime.date(year + 1, 6, 30)
        )
        .select_related("round__framework", "assessment")
        .order_by("-round__opens_on", "-round_id")
        .first()
    )


def _level_text(framework, level):
    return framework.level_label(level) if 1 <= level <= framework.level_count else str(level)


def draft_texts(*, unit, year):
    """The draft's six section texts (in the UI language) and the round they rest on:
    ``({field: text}, round or None)``."""
    lang = ui_language()
    texts = dict.fromkeys(SECTION_FIELDS, "")
    plan = source_plan(unit=unit, year=year)
    if plan is None:
        texts["food_for_thought"] = _(
            "The unit has no published assessment yet: the sections are empty. Write what the unit will do, "
            "or publish the assessment and draft the plan again."
        )
        return texts, None
    framework = plan.round.framework
    top = framework.level_count
    answers = defaultdict(list)  # area id -> [(order, code, title, level)]
    areas = {}
    for area_id, area_order, key, name_sv, name_en, order, code, title_sv, title_en, level in (
        Answer.objects.filter(organizer=unit.organizer, assessment=plan.assessment, level__isnull=False)
        .order_by("indicator__area__order", "indicator__order")
        .values_list(
            "indicator__area_id",
            "indicator__area__order",
            "indicator__area__key",
            "indicator__area__name_sv",
            "indicator__area__name_en",
            "indicator__order",
            "indicator__code",
            "indicator__title_sv",
            "indicator__title_en",
            "level",
        )
    ):
        areas[area_id] = (area_order, key, name_sv, name_en)
        answers[area_id].append((order, code, pick(title_sv, title_en, lang), level))
    chosen = defaultdict(list)  # area id -> [(priority, title, code, due)]
    for area_id, area_order, key, name_sv, name_en, code, title, priority, due in (
        Action.objects.filter(organizer=unit.organizer, plan=plan)
        .exclude(status=Action.Status.DROPPED)
        .order_by("priority", "due_date", "id")
        .values_list(
            "indicator__area_id",
            "indicator__area__order",
            "indicator__area__key",
            "indicator__area__name_sv",
            "indicator__area__name_en",
            "indicator__code",
            "title",
            "priority",
            "due_date",
        )
    ):
        if area_id is not None:
            areas.setdefault(area_id, (area_order, key, name_sv, name_en))
        chosen[area_id].append((priority, title, code, due))
    strong_from = max(top - 1, 2) if top >= 3 else top
    parts = defaultdict(list)
    for area_id, (_order, key, name_sv, name_en) in sorted(areas.items(), key=lambda kv: kv[1][0]):
        rows = answers.get(area_id, [])
        lines = []
        head = f"**{pick(name_sv, name_en, lang)}**"
        if rows:
            mean = sum(r[3] for r in rows) / len(rows)
            head += " – " + _("mean level %(mean)s of %(top)s (%(n)s indicators assessed, %(round)s)") % {
                "mean": numbers.figure(mean, numbers.LEVEL_DIGITS),
                "top": top,
                "n": len(rows),
                "round": plan.round.name,
            }
        lines.append(head)
        strengths = [r for r in rows if r[3] >= strong_from]
        if strengths:
            lines.append("")
            lines.append(_("Strengths:"))
            lines += [
                "- "
                + _("%(code)s %(title)s (level %(level)s)")
                % {"code": code, "title": title, "level": _level_text(framework, level)}
                for _o, code, title, level in sorted(strengths, key=lambda r: (-r[3], r[0]))
            ]
        actions = chosen.get(area_id, [])
        if actions:
            lines.append("")
            lines.append(_("Priorities (the action plan's chosen actions):"))
            for priority, title, code, due in actions:
                extra = _("priority %(p)s") % {"p": priority}
                if due:
                    extra += ", " + _("by %(date)s") % {"date": due.isoformat()}
                lines.append(f"- {title} ({code}, {extra})" if code else f"- {title} ({extra})")
        elif rows:
            lines.append("")
            lines.append(_("No actions are chosen in this area."))
        parts[section_for_area(key, name_sv, name_en)].append("\n".join(lines))
    loose = chosen.get(None, [])
    if loose:
        lines = [_("Other chosen actions:")] + [
            "- " + title + " (" + _("priority %(p)s") % {"p": priority} + ")" for priority, title, _c, _d in loose
        ]
        parts[FALLBACK_SECTION].append("\n".join(lines))
    for field, blocks in parts.items():
        texts[field] = "\n\n".join(blocks)
    return texts, plan.round


def _default_goals(unit):
    return [g for g in unit_goal_choices(unit=unit) if g.scope == Goal.Scope.UNIT and g.parent_id is None][:MAX_GOALS]


def draft_unit_plan(*, unit, by, year=None):
    """Draft the unit's plan for the school year (this one by default) from its published
    assessment, chosen actions and goals. Where the year already has an adopted plan this starts
    its next version from it instead (``new_unit_version``); an existing draft is returned as it is.

    Side effects: a DigitalPlan row (with its goals), an audit event."""
    year = current_year() if year is None else year
    with transaction.atomic():
        plans = list(
            DigitalPlan.objects.select_for_update().filter(organizer=unit.organizer, unit=unit, school_year=year)
        )
        draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
        if draft:
            return draft
        if plans:
            return new_unit_version(plan=plans[0], by=by)
        texts, rnd = draft_texts(unit=unit, year=year)
        plan = DigitalPlan.objects.create(
            organizer=unit.organizer, unit=unit, school_year=year, round=rnd, created_by=by, **texts
        )
        plan.goals.set(_default_goals(unit))
    record(organizer=unit.organizer, actor=by, verb="digital_plan.drafted", obj=plan, summary=str(plan))
    return plan


def new_unit_version(*, plan, by):
    """Start the next version of an adopted plan's school year, a draft copy of it.

    Side effects: a DigitalPlan row (with the same goals), an audit event."""
    if not plan.is_adopted:
        raise PlanError(_("Only an adopted plan gets a new version."))
    with transaction.atomic():
        existing = DigitalPlan.objects.filter(
            organizer=plan.organizer, unit_id=plan.unit_id, school_year=plan.school_year, status=PlanStatus.DRAFT
        ).first()
        if existing:
            return existing
        newest = DigitalPlan.objects.filter(
            organizer=plan.organizer, unit_id=plan.unit_id, school_year=plan.school_year
        ).aggregate(v=Max("version"))["v"]
        copy = DigitalPlan.objects.create(
            organizer=plan.organizer,
            unit_id=plan.unit_id,
            school_year=plan.school_year,
            version=newest + 1,
            round=plan.round,
            created_by=by,
            **{f: getattr(plan, f) for f in SECTION_FIELDS},
        )
        copy.goals.set(plan.goals.all())
    record(organizer=plan.organizer, actor=by, verb="digital_plan.new_version", obj=copy, summary=str(copy))
    return copy


def _check_goals(goals, allowed):
    goals = list(goals)
    if len(goals) > MAX_GOALS:
        raise PlanError(_("Choose at most %(n)s goals: a few clear, measurable goals.") % {"n": MAX_GOALS})
    allowed_ids = {g.pk for g in allowed}
    if any(g.pk not in allowed_ids for g in goals):
        raise PlanError(_("A chosen goal does not belong to this plan."))
    return goals


def _bump(model, plan, expected_revision, **fields):
    """One conditional UPDATE: the plan's fields, only if it is still a draft of the expected
    revision. Raises Conflict (or PlanError for an adopted plan) otherwise."""
    updated = model.objects.filter(
        pk=plan.pk, organizer=plan.organizer, revision=expected_revision, status=PlanStatus.DRAFT
    ).update(revision=expected_revision + 1, updated_at=timezone.now(), **fields)
    if not updated:
        current = model.objects.filter(pk=plan.pk, organizer=plan.organizer).values_list("status", flat=True).first()
        if current == PlanStatus.ADOPTED:
            raise PlanError(_("The plan is adopted and can no longer be changed."))
        raise Conflict(
            _(
                "Someone else saved the plan while you were editing it. Your text is kept below: compare it with the saved plan and save again."
            )
        )
    for key, value in fields.items():
        setattr(plan, key, value)
    plan.revision = expected_revision + 1


def save_unit_plan(*, plan, by, expected_revision, texts, goals):
    """Save a draft's section texts and its goals (at most ``MAX_GOALS``, of the unit's choices).

    Side effects: updates the DigitalPlan and its goal links, an audit event. Raises PlanError
    for an adopted plan or a goal out of reach, Conflict when someone saved in between."""
    goals = _check_goals(goals, unit_goal_choices(unit=plan.unit))
    with transaction.atomic():
        _bump(DigitalPlan, plan, expected_revision, **{f: (texts.get(f) or "").strip() for f in SECTION_FIELDS})
        plan.goals.set(goals)
    record(organizer=plan.organizer, actor=by, verb="digital_plan.changed", obj=plan, summary=str(plan))
    return plan


def adopt_unit_plan(*, plan, by):
    """Adopt a draft: from now on it is read-only. Side effects: updates the DigitalPlan
    (status, adopted_at, adopted_by), an audit event."""
    now = timezone.now()
    updated = DigitalPlan.objects.filter(pk=plan.pk, organizer=plan.organizer, status=PlanStatus.DRAFT).update(
        status=PlanStatus.ADOPTED, adopted_at=now, adopted_by=by, revision=plan.revision + 1
    )
    if not updated:
        raise PlanError(_("The plan is already adopted."))
    plan.status, plan.adopted_at, plan.adopted_by = PlanStatus.ADOPTED, now, by
    record(organizer=plan.organizer, actor=by, verb="digital_plan.adopted", obj=plan, summary=str(plan))
    return plan


# -- the organiser's plan --------------------------------------------------------------------


def organiser_plans(*, organizer):
    return list(OrganiserPlan.objects.filter(organizer=organizer).select_related("adopted_by", "round"))


def todo_priority_one(*, organizer, access):
    """The overview's to-do list of the newest round, only the cells planned at priority 1:
    ``(round or None, [group])`` with the groups of ``overview.grid.todo`` (indicator, units, action
    titles), most units first."""
    sel = overview.select(organizer=organizer, access=access, params={"priority": "1"}, keep=("round", "priority"))
    if sel.round is None:
        return None, []
    return sel.round, overview.todo(sel)


def _central_action_texts(group):
    title = _("Support for %(code)s %(title)s") % {"code": group["code"], "title": group["title"]}
    lines = [
        _("%(n)s units plan this indicator at priority 1.") % {"n": group["count"]},
    ]
    if group["titles"]:
        lines.append(_("Their actions:"))
        lines += [f"- {t} ({n})" for t, n in group["titles"][:5]]
    return title[:300], "\n".join(lines)[:4000]


def start_organiser_plan(*, organizer, access, by, year=None):
    """Start the organiser's plan for the school year (this one by default): its organiser-wide
    goals, and one central action per indicator that units plan at priority 1 in the newest
    round's to-do list. Where the year has an adopted plan, its next version is started instead;
    an existing draft is returned as it is.

    Side effects: an OrganiserPlan row with goal links and CentralAction rows, an audit event."""
    year = current_year() if year is None else year
    with transaction.atomic():
        plans = list(OrganiserPlan.objects.select_for_update().filter(organizer=organizer, school_year=year))
        draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
        if draft:
            return draft
        if plans:
            return new_organiser_version(plan=plans[0], by=by)
        rnd, groups = todo_priority_one(organizer=organizer, access=access)
        plan = OrganiserPlan.objects.create(organizer=organizer, school_year=year, round=rnd, created_by=by)
        plan.goals.set([g for g in organiser_goal_choices(organizer=organizer) if g.parent_id is None])
        CentralAction.objects.bulk_create(
            [
                CentralAction(
                    organizer=organizer,
                    plan=plan,
                    indicator_id=group["ind_id"],
                    title=_central_action_texts(group)[0],
                    description=_central_action_texts(group)[1],
                    units_count=group["count"],
                )
                for group in groups
            ]
        )
    record(organizer=organizer, actor=by, verb="organiser_plan.started", obj=plan, summary=str(plan))
    return plan


def current_central_actions(*, organizer=None):
    """The central actions of each school year's newest organiser's plan (draft or adopted): the
    ones the plan page shows, the year wheel draws and the reminders are about. An older version's
    copies are left out. ``organizer`` None: every organiser's (the reminder pass, without scopes)."""
    newest = OrganiserPlan.objects.filter(
        organizer=OuterRef("plan__organizer"), school_year=OuterRef("plan__school_year")
    ).order_by("-version")
    rows = CentralAction.objects.all() if organizer is None else CentralAction.objects.filter(organizer=organizer)
    return rows.filter(plan_id=Subquery(newest.values("pk")[:1]))


def central_action_ref(*, pk, origin):
    """A central action's name that outlives a new version of its plan (which copies the action
    under a new id): the id of the first action it was copied from, else its own. The year
    wheel's UID and the reminders' dedupe keys use it."""
    return str(origin or pk)


def add_from_todo(*, plan, access, by):
    """Take into a draft the to-do list's priority-1 indicators it does not have yet (the list of
    the newest round). Side effects: CentralAction rows, an audit event. Returns how many."""
    if plan.is_adopted:
        raise PlanError(_("The plan is adopted and can no longer be changed."))
    rnd, groups = todo_priority_one(organizer=plan.organizer, access=access)
    have = set(CentralAction.objects.filter(plan=plan).values_list("indicator_id", flat=True))
    new = [g for g in groups if g["ind_id"] not in have]
    CentralAction.objects.bulk_create(
        [
            CentralAction(
                organizer=plan.organizer,
                plan=plan,
                indicator_id=g["ind_id"],
                title=_central_action_texts(g)[0],
                description=_central_action_texts(g)[1],
                units_count=g["count"],
            )
            for g in new
        ]
    )
    if rnd is not None and plan.round_id != rnd.pk:
        OrganiserPlan.objects.filter(pk=plan.pk, organizer=plan.organizer).update(round=rnd)
        plan.round = rnd
    record(organizer=plan.organizer, actor=by, verb="organiser_plan.changed", obj=plan, summary=str(plan))
    return len(new)


def new_organiser_version(*, plan, by):
    """Start the next version of an adopted organiser's plan, a draft copy (goals and central
    actions copied). Side effects: an OrganiserPlan row, goal links, CentralAction rows, an audit event."""
    if not plan.is_adopted:
        raise PlanError(_("Only an adopted plan gets a new version."))
    with transaction.atomic():
        existing = OrganiserPlan.objects.filter(
            organizer=plan.organizer, school_year=plan.school_year, status=PlanStatus.DRAFT
        ).first()
        if existing:
            return existing
        newest = OrganiserPlan.objects.filter(organizer=plan.organizer, school_year=plan.school_year).aggregate(
            v=Max("version")
        )["v"]
        copy = OrganiserPlan.objects.create(
            organizer=plan.organizer,
            school_year=plan.school_year,
            version=newest + 1,
            round=plan.round,
            introduction=plan.introduction,
            created_by=by,
        )
        copy.goals.set(plan.goals.all())
        CentralAction.objects.bulk_create(
            [
                CentralAction(
                    organizer=a.organizer,
                    plan=copy,
                    indicator_id=a.indicator_id,
                    title=a.title,
                    description=a.description,
                    owner_id=a.owner_id,
                    due_date=a.due_date,
                    status=a.status,
                    units_count=a.units_count,
                    origin=a.origin or a.pk,
                )
                for a in plan.actions.all()
            ]
        )
    record(organizer=plan.organizer, actor=by, verb="organiser_plan.new_version", obj=copy, summary=str(copy))
    return copy


def save_organiser_plan(*, plan, by, expected_revision, introduction, goals):
    """Save a draft's introduction and goals (the organiser's and its districts' goals).

    Side effects: updates the OrganiserPlan and its goal links, an audit event."""
    goals = list(goals)
    allowed = {g.pk for g in organiser_goal_choices(organizer=plan.organizer)}
    if any(g.pk not in allowed for g in goals):
        raise PlanError(_("A chosen goal does not belong to this plan."))
    with transaction.atomic():
        _bump(OrganiserPlan, plan, expected_revision, introduction=(introduction or "").strip())
        plan.goals.set(goals)
    record(organizer=plan.organizer, actor=by, verb="organiser_plan.changed", obj=plan, summary=str(plan))
    return plan


def save_central_action(*, action, by, **fields):
    """Change a central action: in a draft everything (title, description, owner, due date,
    status); in an adopted plan only its status (the year's follow-up). The owner must be a
    member of the organiser. Side effects: updates the CentralAction, an audit event."""
    owner = fields.get("owner")
    if owner is not None and not people_of(action.organizer).filter(pk=owner.pk).exists():
        raise PlanError(_("The owner must be a user of the organiser."))
    allowed = ("status",) if action.plan.is_adopted else ("title", "description", "owner", "due_date", "status")
    for key in allowed:
        if key in fields:
            setattr(action, key, fields[key])
    action.save()
    record(organizer=action.organizer, actor=by, verb="central_action.changed", obj=action, summary=action.title)
    return action


def delete_central_action(*, action, by):
    """Remove a central action from a draft. Side effects: deletes the row, an audit event."""
    if action.plan.is_adopted:
        raise PlanError(_("The plan is adopted and can no longer be changed."))
    record(organizer=action.organizer, actor=by, verb="central_action.deleted", obj=action, summary=action.title)
    action.delete()


def adopt_organiser_plan(*, plan, by):
    """Adopt the organiser's draft plan: from now on read-only (but for its actions' status).
    Side effects: updates the OrganiserPlan, an audit event."""
    now = timezone.now()
    updated = OrganiserPlan.objects.filter(pk=plan.pk, organizer=plan.organizer, status=PlanStatus.DRAFT).update(
        status=PlanStatus.ADOPTED, adopted_at=now, adopted_by=by, revision=plan.revision + 1
    )
    if not updated:
        raise PlanError(_("The plan is already adopted."))
    plan.status, plan.adopted_at, plan.adopted_by = PlanStatus.ADOPTED, now, by
    record(organizer=plan.organizer, actor=by, verb="organiser_plan.adopted", obj=plan, summary=str(plan))
    return plan


# -- the compiled summary of the units' plans ------------------------------------------------


def units_summary(*, organizer, unit_ids, year, top=3):
    """What the units' plans of the school year add up to, for the organiser's plan:

    ``units``      how many units are in view (n), ``adopted``/``draft``/``none`` how many have an
                   adopted plan, only a draft, or none
    ``sections``   [(label, n)]: how many adopted plans wrote something in each section
    ``areas``      [{"name", "units", "titles": [(title, n)]}]: per area of the frameworks the
                   adopted plans were drafted from, how many of those units chose priority-1
                   actions there, and the most common such actions (the common priorities)
    """
    unit_ids = list(unit_ids)
    statuses = plan_statuses(organizer=organizer, unit_ids=unit_ids, year=year)
    adopted = {u for u, (s, _p, _a) in statuses.items() if s == PlanStatus.ADOPTED}
    drafts = {u for u, (s, _p, _a) in statuses.items() if s == PlanStatus.DRAFT}
    adopted_plans = DigitalPlan.objects.filter(
        organizer=organizer, school_year=year, unit_id__in=list(adopted), status=PlanStatus.ADOPTED
    )
    # per section, the units whose adopted plan wrote in it: one aggregate, no texts fetched
    written = adopted_plans.aggregate(
        **{f: Count("unit_id", distinct=True, filter=~Q(**{f: ""})) for f in SECTION_FIELDS}
    )
    sections = [(s.label, written[s.field] or 0) for s in SECTIONS]
    newest = {}
    for unit_id, round_id in adopted_plans.order_by("unit_id", "-version").values_list("unit_id", "round_id"):
        newest.setdefault(unit_id, round_id)
    wanted = {(u, r) for u, r in newest.items() if r}
    lang = ui_language()
    area_units = defaultdict(set)
    area_titles = defaultdict(Counter)
    area_names = {}
    for unit_id, round_id, key, order, name_sv, name_en, title in (
        Action.objects.filter(
            organizer=organizer,
            plan__round_id__in={r for _u, r in wanted},
            unit_id__in=[u for u, _r in wanted],
            priority=1,
            indicator__isnull=False,
        )
        .exclude(status=Action.Status.DROPPED)
        .values_list(
            "unit_id",
            "plan__round_id",
            "indicator__area__key",
            "indicator__area__order",
            "indicator__area__name_sv",
            "indicator__area__name_en",
            "title",
        )
    ):
        if (unit_id, round_id) not in wanted:
            continue
        area_names[key] = (order, pick(name_sv, name_en, lang))
        area_units[key].add(unit_id)
        area_titles[key][title] += 1
    areas = [
        {"name": area_names[key][1], "units": len(area_units[key]), "titles": area_titles[key].most_common(top)}
        for key in sorted(area_names, key=lambda k: area_names[k])
    ]
    return {
        "units": len(unit_ids),
        "adopted": len(adopted),
        "draft": len(drafts),
        "none": len(unit_ids) - len(adopted) - len(drafts),
        "sections": sections,
        "areas": areas,
    }


def adopted_this_year(*, organizer, access):
    """For the goals page: ``{"adopted", "units", "year_label"}``, how many of the active units the
    user reads have an adopted plan this school year."""
    from stegvis.organisations.models import Unit

    unit_ids = list(
        access.visible_units(Unit.objects.filter(organizer=organizer, active=True)).values_list("pk", flat=True)
    )
    year = current_year()
    return {
        "adopted": adopted_count(organizer=organizer, unit_ids=unit_ids, year=year),
        "units": len(unit_ids),
        "year_label": year_label(year),
    }
