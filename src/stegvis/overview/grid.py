"""The organiser's overview (sammanställning): the grid of units x indicators for a round, the
to-do list of planned actions and the publication status.

Everything here reads the ``PlanCell`` read model and a few small tables with ``values_list``;
no model object is built per cell, and the number of queries does not depend on the number of
units. The grid's body is joined as one string in Python (escaped by hand: the only text that
comes from users is the unit name), since a template loop over 24,000 cells is too slow.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape as html_escape  # Django's escape without its lazy-string wrapper

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from stegvis.assessments import status as publication
from stegvis.core import forms as core_forms
from stegvis.core import numbers, schoolforms, slots
from stegvis.core.i18n import bilingual, pick, ui_language
from stegvis.cycles.models import Round
from stegvis.cycles.queries import choose_round, round_units
from stegvis.frameworks.outline import outline, structure
from stegvis.organisations.access import principal_names
from stegvis.organisations.models import District, Unit
from stegvis.planning.models import Action, ActionPlan

from .models import PlanCell
from .readmodel import NOT_RELEVANT, decode
from .reminded import last_reminded

State = PlanCell.State

MODES = [("level", gettext_lazy("Level reached")), ("plan", gettext_lazy("Action plan status"))]
PUBLICATION_STATUSES = publication.STATUSES  # decided in one place: assessments.status


class OverviewFilters(core_forms.Form):
    """The GET form shared by the overview pages; ``keep`` names the fields a page uses."""

    round = forms.TypedChoiceField(label=gettext_lazy("Round"), coerce=int, required=False)
    mode = forms.ChoiceField(label=gettext_lazy("Show"), choices=MODES, required=False)
    district = forms.TypedChoiceField(label=gettext_lazy("District"), coerce=int, required=False, empty_value=None)
    form = forms.ChoiceField(label=gettext_lazy("School form"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Indicator tag"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("Plan status"), required=False)
    priority = forms.TypedChoiceField(label=gettext_lazy("Priority"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=gettext_lazy("Publication"), required=False)

    def __init__(self, data, *, rounds, districts, areas, tags, levels, keep, all_districts):
        super().__init__(data)
        every = [("", _("All"))]
        f = self.fields
        f["round"].choices = [(r.pk, r.name) for r in rounds]
        f["district"].choices = (every if all_districts or len(districts) > 1 else []) + list(districts)
        f["form"].choices = every + schoolforms.choices()
        f["area"].choices = every + list(areas)
        f["tag"].choices = every + list(tags)  # (key, readable name)
        f["level"].choices = (
            every + [(str(n), label) for n, label in levels] + [("nr", _("Not relevant")), ("none", _("Not assessed"))]
        )
        f["state"].choices = every + [(value, label) for value, label in State.choices]
        f["priority"].choices = every + [(n, str(n)) for n in (1, 2, 3)]
        f["status"].choices = every + PUBLICATION_STATUSES
        for name in list(f):
            if name not in keep:
                del f[name]

    def controls(self):
        """The visible fields as (id, name, label, options html) for a plain <select> each: the
        widget templates render one template per option, which costs more than the grid's head."""
        result = []
        for bound in self.visible_fields():
            current = "" if bound.value() is None else str(bound.value())
            options = "".join(
                f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>{escape(label)}</option>'
                for value, label in bound.field.choices
            )
            result.append(
                {"id": bound.id_for_label, "name": bound.html_name, "label": bound.label, "options": mark_safe(options)}
            )
        return result

    def values(self):
        """The valid values; an invalid one is ignored (treated as "all")."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if name not in self.errors}


@dataclass
class Selection:
    """What a page of the overview shows: the round, the filters and the units in view."""

    organizer: object
    rounds: list
    round: object
    form: OverviewFilters
    values: dict
    units: object = None  # a Unit queryset (the round's units, filtered, visible)
    unit_rows: list = field(default_factory=list)  # [(id, name, district_id)] of those units, by name
    unit_ids: list = field(default_factory=list)
    all_units: bool = False  # every unit of the round is in view

    @property
    def in_view(self):
        """Filter keywords for rows of the units in view: none when all the round's units are in
        view (rows of other units are then skipped in Python), else the ids as a list, not a
        subquery, which keeps the database on the (organizer, round, unit) index whatever its
        statistics."""
        return {} if self.all_units else {"unit_id__in": self.unit_ids}

    top: int = 0
    framework: object = None  # the round's framework
    groups: dict = field(default_factory=dict)  # {group_id: name}: strands, sub-elements (if any)
    group_of: dict = field(default_factory=dict)  # {indicator_id: group_id}
    group_term: str = ""  # what the framework calls its groups ("Strand"), if it says
    optional: set = field(default_factory=set)  # ids of optional indicators
    areas: list = field(default_factory=list)  # [(area_id, key, name)]
    indicators: list = field(default_factory=list)  # [(id, code, title, area_id)] after area/tag filters
    district_names: dict = field(default_factory=dict)

    def get(self, name, default=None):
        value = self.values.get(name)
        return default if value in (None, "") else value

    @property
    def cell_filters(self):
        return bool(self.get("level") or self.get("state") or self.get("priority"))


def _group_term(framework, lang):
    return bilingual(framework, "group_term", lang)


def visible_districts(*, organizer, access):
    districts = access.visible_districts(District.objects.filter(organizer=organizer))
    return list(districts.values_list("pk", "name"))


def scoped_units(*, organizer, access, round):
    """The round's units (``cycles.RoundUnit``: a closed round keeps the units it had) that the
    user reads on organiser-wide pages: all, or a district lead's districts."""
    if round is None:
        return Unit.objects.none()
    return access.organiser_units(round_units(round=round))


def select(*, organizer, access, params, keep):
    """Read the GET parameters into a ``Selection``: round (the newest that has opened by default;
    an upcoming round only when asked for), the round's units in view, visible
    districts (a district lead only ever gets their own), the framework's areas and indicators."""
    rounds = list(Round.objects.filter(organizer=organizer).select_related("framework").order_by("-opens_on", "-id"))
    rnd = choose_round(rounds, params.get("round"))
    lang = ui_language()
    districts = visible_districts(organizer=organizer, access=access)
    areas, indicators, tags, top = [], [], set(), 0
    shape = {"groups": {}, "group_of": {}, "optional": set()}
    if rnd is not None:
        top = rnd.framework.level_count
        area_rows, indicator_rows = outline(rnd.framework)
        shape = structure(rnd.framework)
        areas = [(pk, key, pick(sv, en, lang)) for pk, key, sv, en in area_rows]
        for pk, code, sv, en, area_id, ind_tags in indicator_rows:
            indicators.append((pk, code, pick(sv, en, lang), area_id, ind_tags or []))
            tags.update(ind_tags or [])
    data = params.copy() if hasattr(params, "copy") else dict(params)
    if rnd is not None:
        data["round"] = str(rnd.pk)
    form = OverviewFilters(
        data,
        rounds=rounds,
        districts=districts,
        areas=[(key, name) for _pk, key, name in areas],
        tags=sorted(((t, rnd.framework.tag_name(t, lang)) for t in tags), key=lambda tag: tag[1].lower()),
        levels=[(n, label) for n, label, _name, _css in rnd.framework.levels(lang)] if rnd is not None else [],
        keep=keep,
        all_districts=access.can_read_all_units,
    )
    values = form.values()
    sel = Selection(
        organizer=organizer,
        rounds=rounds,
        round=rnd,
        form=form,
        values=values,
        top=top,
        framework=rnd.framework if rnd is not None else None,
        groups={pk: pick(sv, en, lang) for pk, (_key, sv, en) in shape["groups"].items()},
        group_of=shape["group_of"],
        group_term=_group_term(rnd.framework, lang) if rnd is not None else "",
        optional=shape["optional"],
        areas=areas,
        district_names=dict(districts),
    )
    area_key = sel.get("area")
    area_ids = {pk for pk, key, _n in areas if key == area_key} if area_key else None
    tag = sel.get("tag")
    sel.indicators = [
        (pk, code, title, area_id)
        for pk, code, title, area_id, ind_tags in indicators
        if (area_ids is None or area_id in area_ids) and (not tag or tag in ind_tags)
    ]
    units = scoped_units(organizer=organizer, access=access, round=rnd)
    sel.all_units = access.can_read_all_units and not sel.get("district") and not sel.get("form")
    if sel.get("district"):
        units = units.filter(district_id=sel.get("district"))
    elif not access.can_read_all_units and len(districts) == 1:
        sel.values["district"] = districts[0][0]
    if sel.get("form"):
        bit = schoolforms.SCHOOL_FORMS[sel.get("form")][0]
        units = units.annotate(form_bit=F("school_forms").bitand(bit)).filter(form_bit__gt=0)
    sel.units = units.order_by("name", "pk")
    # Fetched once; later queries use ``sel.in_view``.
    sel.unit_rows = list(sel.units.values_list("pk", "name", "district_id"))
    sel.unit_ids = [pk for pk, _name, _district in sel.unit_rows]
    return sel


# -- the grid ------------------------------------------------------------------------------


def _level_key(cell):
    if cell is None:
        return "none"
    level, state, _prio = cell
    if state == NOT_RELEVANT:
        return "nr"
    return "none" if level is None else str(level)


def _matcher(sel):
    level, state, priority = sel.get("level"), sel.get("state"), sel.get("priority")

    def matches(cell):
        if level and _level_key(cell) != level:
            return False
        if state and (cell[1] if cell else State.NA) not in (state, NOT_RELEVANT if state == State.NA else None):
            return False
        return not (priority and (cell is None or cell[2] != priority))

    return matches


def _cell_codes(sel, **extra):
    """{unit_id: {indicator_id: code}} in one query: the read model stores each cell as one small
    integer (``planning.readmodel.cell_code``, read back with ``decode``)."""
    cells = defaultdict(dict)
    qs = PlanCell.objects.filter(organizer=sel.organizer, round=sel.round, **sel.in_view, **extra).values_list(
        "unit_id", "indicator_id", "code"
    )
    try:
        sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:  # no unit in view
        return cells
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, ind_id, code in cursor.fetchall():
            cells[unit_id][ind_id] = code
    return cells


def _plans(sel):
    """{unit_id: (plan_id, assessment_id)} for the round."""
    return {
        unit_id: (plan_id, assessment_id)
        for unit_id, plan_id, assessment_id in ActionPlan.objects.filter(
            organizer=sel.organizer, round=sel.round, **sel.in_view
        )
        .order_by()
        .values_list("unit_id", "pk", "assessment_id")
    }


def _url(name, slug, *args):
    """A URL builder that reverses once: ``_url("plan", slug)(42)`` -> "/slug/plans/42/"."""
    marker = 2147483647
    pattern = reverse(name, args=[slug, *args, marker])
    head, tail = pattern.split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def build_grid(sel, request=None):
    """The grid for the selection: header data, the body as one safe string, per-column totals.

    Level mode prints the level (shaded), "n/r" for not relevant (hatched) and "–" for not
    assessed (grey). Plan mode prints ✓ for reached or done (green), the priority for a planned
    action (yellow), "·" for nothing planned and "–" for not assessed or not relevant (grey).
    Cells a filter leaves out stay empty; units with no matching cell are left out.
    The symbols are written as character references, so the body stays a compact one-byte string.
    """
    slug = sel.organizer.slug
    plan_mode = sel.get("mode") == "plan"
    units = sel.unit_rows
    cells = _cell_codes(sel)
    plans = _plans(sel)
    unit_url, assessment_url, plan_url = _url("unit", slug), _url("assessment", slug), _url("plan", slug)
    matches = _matcher(sel) if sel.cell_filters else None
    ind_ids = [i[0] for i in sel.indicators]
    n_a = escape(pgettext("grid cell, short for not relevant", "n/r"))
    not_published = escape(_("Not published in this round"))
    levels = sel.framework.levels(ui_language()) if sel.framework is not None else []
    css = {n: c for n, _label, _name, c in levels}
    labels = {n: escape(label) for n, label, _name, _c in levels}

    def shape(code):
        """(html before the href's indicator id, html after it, add to total, add to count)."""
        cell = decode(code)
        if cell is None:
            return '<td class="na"><a href="', '">&ndash;</a></td>', 0, 0
        level, state, prio = cell
        if plan_mode:
            if state == State.PLANNED:
                return '<td class="s-planned"><a href="', f'">{prio}</a></td>', 1, 1
            if state == State.DONE:
                return '<td class="s-done"><a href="', '">&#10003;</a></td>', 0, 0
            if state == State.NONE:
                return '<td class="s-none"><a href="', '">&middot;</a></td>', 0, 0
            return '<td class="na"><a href="', '">&ndash;</a></td>', 0, 0
        if state == NOT_RELEVANT:
            return '<td class="nr"><a href="', f'">{n_a}</a></td>', 0, 0
        if level is None:
            return '<td class="na"><a href="', '">&ndash;</a></td>', 0, 0
        return f'<td class="{css.get(level, "")}"><a href="', f'">{labels.get(level, level)}</a></td>', level, 1

    tails = [str(ind) for ind in ind_ids]
    width = len(ind_ids)
    # Each distinct code (a few dozen) is shaped and matched once; the loop below only joins.
    codes = {None} | {code for row in cells.values() for code in row.values()}
    shapes = {code: shape(code) for code in codes}
    pre = {code: found[0] for code, found in shapes.items()}
    post = {code: found[1] for code, found in shapes.items()}
    shown = {code: matches(decode(code)) for code in codes} if matches is not None else None
    seen = Counter()  # (indicator, code) -> units, for the footer
    # what higher rooms mark a unit with (core.slots "grid_units": certification, say)
    marks, legends = {}, []
    for found, legend in slots.fill(
        "grid_units", request=request, organizer=sel.organizer, round=sel.round, unit_ids=[u[0] for u in units]
    ):
        for unit_id, mark in found.items():
            marks[unit_id] = marks.get(unit_id, "") + str(mark)
        if legend:
            legends.append(legend)
    body = []
    for unit_id, name, _district_id in units:
        row_cells = cells.get(unit_id)
        fallback = unit_url(unit_id)
        head = f'<tr><th scope="row"><a href="{fallback}">{html_escape(name)}</a>{marks.get(unit_id, "")}</th>'
        if not row_cells:
            # Nothing published in the round: one cell across the row, to the unit page.
            if shown is None or shown[None]:
                body.append(
                    f'{head}<td class="na unpublished" colspan="{width}"><a href="{fallback}">{not_published}</a></td></tr>'
                )
            continue
        plan = plans.get(unit_id)
        if plan:
            base = f"{plan_url(plan[0])}#sug-" if plan_mode else f"{assessment_url(plan[1])}#ind-"
        else:
            base = f"{fallback}#ind-"
        row = list(map(row_cells.get, ind_ids))
        if shown is None:
            seen.update(zip(ind_ids, row, strict=False))
            body.append(
                head + "".join([f"{pre[c]}{base}{t}{post[c]}" for c, t in zip(row, tails, strict=False)]) + "</tr>"
            )
            continue
        if not any(shown[c] for c in row):
            continue
        seen.update((i, c) for i, c in zip(ind_ids, row, strict=False) if shown[c])
        body.append(
            head
            + "".join(
                [
                    pre[c] + base + t + post[c] if shown[c] else '<td class="off"></td>'
                    for c, t in zip(row, tails, strict=False)
                ]
            )
            + "</tr>"
        )
    totals = {i: [0, 0] for i in ind_ids}  # level mode: sum and count of levels; plan mode: units planning
    spread = defaultdict(Counter)  # level mode: {indicator: {level: units}}, for a median
    for (ind, code), n in seen.items():
        _pre, _post, add, count = shapes[code]
        if count:
            totals[ind][0] += add * n
            totals[ind][1] += count * n
            if not plan_mode:
                spread[ind][add] += n
    return {
        "head": _grid_head(sel),
        "body": "".join(body),  # escaped above; the view splices it into the page (not marked safe: no copy)
        "foot": _grid_foot(totals, spread, ind_ids, plan_mode, sel.framework),
        "rows": len(body),
        "units": len(units),
        "plan_mode": plan_mode,
        "levels": levels,  # [(number, label, name, css class)] for the legend
        "level_class": f"lv{sel.top}" if sel.top else "",
        "grouped": bool(sel.groups),
        "slot_legends": legends,
    }


def _spans(keys):
    """``[[key, span]]`` for runs of equal keys."""
    runs = []
    for key in keys:
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            runs.append([key, 1])
    return runs


def _grid_head(sel):
    """The header rows: areas (spanning their indicators), the framework's groups (strands,
    sub-elements) when it has them, and indicator codes (optional ones say so in their title)."""
    area_names = {pk: name for pk, _key, name in sel.areas}
    areas = "".join(
        f'<th scope="colgroup" colspan="{span}">{escape(area_names.get(a, ""))}</th>'
        for a, span in _spans(area_id for _id, _code, _title, area_id in sel.indicators)
    )
    rows = [f'<tr class="areas"><td class="corner"></td>{areas}</tr>']
    if sel.groups:
        cells = "".join(
            f'<th scope="colgroup" colspan="{span}">{escape(sel.groups[g])}</th>'
            if g in sel.groups
            else f'<td colspan="{span}"></td>'
            for (_area, g), span in _spans(
                (area_id, sel.group_of.get(pk)) for pk, _code, _title, area_id in sel.indicators
            )
        )
        rows.append(f'<tr class="groups"><td class="corner">{escape(sel.group_term)}</td>{cells}</tr>')
    optional = _("optional")
    codes = "".join(
        f'<th scope="col"><abbr title="{escape(title)}{f" ({optional})" if pk in sel.optional else ""}">'
        f"{escape(code)}</abbr></th>"
        for pk, code, title, _a in sel.indicators
    )
    rows.append(f'<tr class="inds"><th scope="col" class="corner">{escape(_("Unit"))}</th>{codes}</tr>')
    return mark_safe("".join(rows))


def _median(counts):
    """The median of ``{value: times}`` (the lower one of the middle two)."""
    total, seen = sum(counts.values()), 0
    for value in sorted(counts):
        seen += counts[value]
        if 2 * seen >= total:
            return value
    return None


def _grid_foot(totals, spread, ind_ids, plan_mode, framework):
    """Per indicator: the number of units planning it (plan mode) or the mean level, read in
    the framework's labels (5..1 for a framework that numbers its levels downwards); the
    median level's label when the labels are not evenly spaced numbers."""
    if plan_mode:
        label = _("Units planning")
        values = [str(totals[i][0]) for i in ind_ids]
    elif framework is not None and framework.level_scale() is None:
        label = _("Median level")
        values = [escape(framework.level_label(_median(spread[i]))) if spread[i] else "–" for i in ind_ids]
    else:
        label = _("Mean level")
        values = [
            numbers.figure(framework.mean_label(totals[i][0] / totals[i][1]), numbers.LEVEL_DIGITS)
            if totals[i][1]
            else numbers.MISSING
            for i in ind_ids
        ]
    cells = "".join(f"<td>{v}</td>" for v in values)
    return mark_safe(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')


# -- the to-do list ------------------------------------------------------------------------


def todo(sel):
    """Planned cells (an action planned or in progress) grouped by indicator, most units first.

    Each group: the indicator, the units that plan it (with their priority and plan link) and
    the action titles with how many units use each, so central support can go where many
    units need the same thing.
    """
    ind = {pk: (code, title) for pk, code, title, _a in sel.indicators}
    order = {pk: n for n, pk in enumerate(ind)}
    matches = _matcher(sel)
    names = {pk: name for pk, name, _d in sel.unit_rows}
    plans = {u: p for u, (p, _a) in _plans(sel).items()}
    plan_url, unit_url = _url("plan", sel.organizer.slug), _url("unit", sel.organizer.slug)
    texts = {}

    def priority_text(p):  # translated once per priority, not once per unit (thousands on a large organiser)
        if p not in texts:
            texts[p] = _("priority %(p)s") % {"p": p}
        return texts[p]

    groups = defaultdict(list)
    for unit_id, row in _cell_codes(sel, state=State.PLANNED, indicator_id__in=list(ind)).items():
        if unit_id not in names:
            continue
        for ind_id, code in row.items():
            cell = decode(code)
            if matches(cell):
                groups[ind_id].append((unit_id, cell[2]))
    titles = defaultdict(Counter)
    owners = defaultdict(list)  # (unit, indicator) -> [(owner, due date)] of its open actions
    wanted = {(u, i) for i, members in groups.items() for u, _p in members}
    priority = sel.get("priority")
    for ind_id, unit_id, title, prio, owner, due in (
        Action.objects.filter(
            organizer=sel.organizer,
            plan__round=sel.round,
            status__in=Action.OPEN_STATUSES,
            indicator_id__in=list(groups),
            **sel.in_view,
        )
        .order_by("priority", "due_date", "id")
        .values_list("indicator_id", "unit_id", "title", "priority", "owner", "due_date")
    ):
        if (unit_id, ind_id) in wanted and (not priority or prio == priority):
            titles[ind_id][title] += 1
            owners[(unit_id, ind_id)].append((owner, due))
    result = []
    for ind_id, members in groups.items():
        members.sort(key=lambda m: (m[1] or 9, names.get(m[0], "")))
        result.append(
            {
                "ind_id": ind_id,
                "code": ind[ind_id][0],
                "title": ind[ind_id][1],
                "count": len(members),
                "priorities": sorted(Counter(p for _u, p in members).items()),
                "units": [
                    {
                        "name": names.get(u, "?"),
                        "priority": p,
                        "priority_text": priority_text(p),
                        "url": plan_url(plans[u]) if u in plans else unit_url(u),
                        "actions": owners.get((u, ind_id), []),  # [(owner, due date)]
                        # [(owner or "–", due date as text or "–")], written once here, not per row by the template
                        "action_lines": [
                            (owner or "–", due.strftime("%Y-%m-%d") if due else "–")
                            for owner, due in owners.get((u, ind_id), [])
                        ],
                    }
                    for u, p in members
                ],
                "titles": titles[ind_id].most_common(),
            }
        )
    result.sort(key=lambda g: (-g["count"], order[g["ind_id"]]))
    return result


# -- publication status --------------------------------------------------------------------


def _local(moment, fmt):
    """A moment in the site's time zone as text, or "–"."""
    return timezone.localtime(moment).strftime(fmt) if moment else "–"


def publication_status(sel):
    """Every unit in view with its principal assessment's state in the round (decided by
    ``assessments.status``): published (with the date), draft or not started, and the date of
    the last activity (an assessment saved or published, an action changed); plus counts per state."""
    statuses = publication.unit_statuses(
        organizer=sel.organizer, round=sel.round, unit_ids=None if sel.all_units else sel.unit_ids
    )
    last = {unit_id: info.last for unit_id, info in statuses.items()}
    # Work on the action plan counts as activity too.
    for unit_id, changed in (
        Action.objects.filter(organizer=sel.organizer, plan__round=sel.round, **sel.in_view)
        .order_by()
        .values("unit_id")
        .annotate(changed=Max("updated_at"))
        .values_list("unit_id", "changed")
    ):
        last[unit_id] = max(filter(None, [last.get(unit_id), changed]))
    counts = Counter()
    rows = []
    wanted = sel.get("status")
    unit_url = _url("unit", sel.organizer.slug)  # reversed once, not once per row (600 rows)
    labels = {value: str(label) for value, label in PUBLICATION_STATUSES}  # translated once, not per row
    # whom a reminder reaches, and when one was last sent (notifications, issue 9): two queries
    principals = principal_names(sel.organizer)
    reminded = last_reminded(organizer=sel.organizer, round=sel.round)
    for unit_id, name, district_id in sel.unit_rows:
        info = statuses.get(unit_id) or publication.UnitStatus()
        counts[info.status] += 1
        if wanted and info.status != wanted:
            continue
        rows.append(
            {
                "unit_id": unit_id,
                "name": name,
                "district": sel.district_names.get(district_id, ""),
                "status": info.status,
                "status_label": labels.get(info.status, info.label),
                "published_at": info.published_at,
                "new_draft": info.new_draft,
                "last": last.get(unit_id),
                "url": unit_url(unit_id),
                # written here, not by the template's date filter per row
                "published_on": _local(info.published_at, "%Y-%m-%d"),
                "last_text": _local(last.get(unit_id), "%Y-%m-%d %H:%M"),
                "principals": principals.get(unit_id, []),
                "reminded": reminded.get(unit_id),
            }
        )
    return {
        "rows": rows,
        "counts": [(value, label, counts[value]) for value, label in PUBLICATION_STATUSES],
        "total": sum(counts.values()),
    }
