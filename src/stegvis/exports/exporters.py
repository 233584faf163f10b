"""Exports: exporters only yield rows; one renderer writes them as Excel (xlsx) or CSV.

An exporter is built for one organiser, one user's access and (usually) one round, and only
ever reads the units that user may see (``access.visible_units``): a district lead gets their
district. It yields plain tuples, read with ``values_list`` in batches, never a model object
per row, so the answers of a 600-unit organiser (about 120,000 rows) stream through in
constant memory. A cell that should be coloured in Excel is a ``Styled(value, style)``; the CSV
writes only the value. See docs/exports.md.

    exporter = EXPORTERS["answers"](organizer=org, access=access, round=rnd, lang="sv")
    render_xlsx(exporter, path, progress=callback)     # or render_csv(exporter, text_file)

The cells, styles and the renderers themselves are in ``sheets``.
"""

import re
import unicodedata
from itertools import islice

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from stegvis.assessments import status as publication
from stegvis.assessments.models import Answer, Assessment, Perspective
from stegvis.core.i18n import pick, ui_language
from stegvis.cycles.models import Round
from stegvis.cycles.queries import round_units
from stegvis.frameworks.models import Framework, Indicator
from stegvis.organisations.models import Unit
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action

from .sheets import Sheet, Styled, level_style, level_value

# --- exporters ----------------------------------------------------------------------------


class Exporter:
    """Base class. Subclasses set ``key``, ``verbose_name`` and implement ``headers``/``rows``
    (or ``sheets`` for more than one table) and ``count`` (rows to write, for progress)."""

    key = ""
    verbose_name = ""
    batch_size = 500  # assessments (or units) per query

    def __init__(self, *, organizer, access, round=None, lang="sv"):
        self.organizer = organizer
        self.access = access
        self.round = round
        self.lang = ui_language(lang or "sv")

    # what subclasses provide
    def headers(self):
        raise NotImplementedError

    def rows(self):
        raise NotImplementedError

    def count(self):
        raise NotImplementedError

    def sheets(self):
        return [Sheet(str(self.verbose_name), self.headers(), self.rows(), self.widths())]

    def widths(self):
        return ()

    def legend(self):
        """Rows for the legend sheet: (Styled or text, meaning), or None for no legend."""
        return None

    # shared helpers
    def units(self, *, active_only=False):
        units = self.access.visible_units(Unit.objects.filter(organizer=self.organizer))
        return units.filter(active=True) if active_only else units

    def rounds(self):
        rounds = Round.objects.filter(organizer=self.organizer)
        if self.round is not None:
            rounds = rounds.filter(pk=self.round.pk)
        return rounds

    def unit_lookup(self, units):
        """{unit_id: (district name, code, name)} for the visible units."""
        return {
            pk: (district or "", code, name)
            for pk, district, code, name in units.values_list("pk", "district__name", "code", "name")
        }

    def text(self, sv, en):
        return pick(sv, en, self.lang)

    def level_labels(self, frameworks):
        """{framework_id: {level number: the level's label as a cell value}} for ``{pk: framework}``."""
        return {
            pk: {n: level_value(label) for n, label, _name, _css in fw.levels(self.lang)}
            for pk, fw in frameworks.items()
        }

    def indicator_lookup(self, framework_ids):
        """{indicator_id: (sort key, area name, code, title)}."""
        rows = Indicator.objects.filter(framework_id__in=framework_ids).values_list(
            "pk",
            "framework_id",
            "area__order",
            "order",
            "area__name_sv",
            "area__name_en",
            "code",
            "title_sv",
            "title_en",
        )
        return {
            pk: ((fw, area_order, order), self.text(a_sv, a_en), code, self.text(t_sv, t_en))
            for pk, fw, area_order, order, a_sv, a_en, code, t_sv, t_en in rows
        }

    def filename(self, ext):
        stamp = timezone.localdate().isoformat()
        round_part = f"-{file_slug(self.round.name)}" if self.round is not None else ""
        return f"{self.key}-{self.organizer.slug}{round_part}-{stamp}.{ext}"


def file_slug(text):
    """A file-name-safe ASCII version of a name: "Läsår 2026/27" -> "lasar-2026-27"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "export"


def _local(dt):
    """A naive local datetime (Excel has no time zones), or None."""
    return timezone.localtime(dt).replace(tzinfo=None) if dt is not None else None


def _batches(iterable, size):
    it = iter(iterable)
    while batch := list(islice(it, size)):
        yield batch


class AnswersExporter(Exporter):
    """Every answer of every assessment (all perspectives and versions) in long format."""

    key = "answers"
    verbose_name = gettext_lazy("Answers")

    def headers(self):
        return [
            _("Round"),
            _("District"),
            _("Unit code"),
            _("Unit"),
            _("Perspective"),
            _("Version"),
            _("Status"),
            _("Published"),
            _("Area"),
            _("Indicator code"),
            _("Indicator"),
            _("Level"),
            _("Level name"),
            _("Not relevant"),
            _("Comment"),
            _("Assessor group"),
        ]

    def widths(self):
        return (14, 16, 11, 28, 14, 8, 11, 12, 18, 10, 40, 7, 22, 10, 40, 18)

    def assessments(self):
        """The assessments of the units and rounds; another perspective's drafts stay private to
        its group (docs/perspectives.md), the principal's are exported as ever."""
        return Assessment.objects.filter(
            organizer=self.organizer, unit__in=self.units(), round__in=self.rounds()
        ).exclude(group__isnull=False, status=Assessment.Status.DRAFT)

    def count(self):
        return Answer.objects.filter(organizer=self.organizer, assessment__in=self.assessments()).count()

    def rows(self):
        units = self.unit_lookup(self.units())
        rounds = dict(self.rounds().values_list("pk", "name"))
        framework_ids = set(self.rounds().values_list("framework_id", flat=True))
        indicators = self.indicator_lookup(framework_ids)
        frameworks = Framework.objects.in_bulk(list(framework_ids))
        labels = self.level_labels(frameworks)
        level_names = {
            (fw_id, n): fw.level_name(n, self.lang)
            for fw_id, fw in frameworks.items()
            for n in range(1, fw.level_count + 1)
        }
        round_framework = dict(self.rounds().values_list("pk", "framework_id"))
        perspectives = {k: str(v) for k, v in Perspective.choices}
        statuses = {k: str(v) for k, v in Assessment.Status.choices}
        yes, no = _("yes"), ""
        assessments = (
            self.assessments()
            .order_by("round__opens_on", "round_id", "unit__name", "unit_id", "perspective", "group_id", "version")
            .values_list("pk", "round_id", "unit_id", "perspective", "version", "status", "published_at", "group__name")
        )
        for batch in _batches(assessments.iterator(chunk_size=self.batch_size), self.batch_size):
            answers = {}
            for a_id, ind_id, level, nr, comment in (
                Answer.objects.filter(assessment_id__in=[a[0] for a in batch])
                .values_list("assessment_id", "indicator_id", "level", "not_relevant", "comment")
                .iterator(chunk_size=5000)
            ):
                answers.setdefault(a_id, []).append((ind_id, level, nr, comment))
            for a_id, round_id, unit_id, perspective, version, status, published_at, group_name in batch:
                district, code, name = units[unit_id]
                head = (
                    rounds[round_id],
                    district,
                    code,
                    name,
                    perspectives.get(perspective, perspective),
                    version,
                    statuses.get(status, status),
                    published_at and timezone.localtime(published_at).date(),
                )
                rows = answers.get(a_id, ())
                fw_id = round_framework[round_id]
                for ind_id, level, nr, comment in sorted(rows, key=lambda r: indicators[r[0]][0]):
                    _sort, area, ind_code, title = indicators[ind_id]
                    label = labels[fw_id].get(level, level) if level is not None else None
                    name = level_names.get((fw_id, level), "") if level else ""
                    yield (*head, area, ind_code, title, label, name, yes if nr else no, comment, group_name or "")


class ActionsExporter(Exporter):
    """Every action in the units' action plans, with its follow-up."""

    key = "actions"
    verbose_name = gettext_lazy("Actions")

    def headers(self):
        return [
            _("Round"),
            _("District"),
            _("Unit code"),
            _("Unit"),
            _("Priority"),
            _("Action"),
            _("Description"),
            _("Indicator code"),
            _("Indicator"),
            _("Owner"),
            _("Due date"),
            _("Status"),
            _("Carried over"),
            _("Notes"),
            _("Latest note"),
            _("Changed"),
        ]

    def widths(self):
        return (14, 16, 11, 28, 8, 36, 40, 10, 36, 18, 11, 12, 10, 7, 11, 16)

    def actions(self):
        return Action.objects.filter(organizer=self.organizer, unit__in=self.units(), plan__round__in=self.rounds())

    def count(self):
        return self.actions().count()

    def legend(self):
        return [(Styled(str(label), f"state-{_ACTION_STATE[value]}"), "") for value, label in Action.Status.choices]

    def rows(self):
        units = self.unit_lookup(self.units())
        rounds = dict(self.rounds().values_list("pk", "name"))
        indicators = self.indicator_lookup(set(self.rounds().values_list("framework_id", flat=True)))
        statuses = {k: str(v) for k, v in Action.Status.choices}
        yes = _("yes")
        actions = (
            self.actions()
            .annotate(note_count=Count("notes"), latest_note=Max("notes__date"))
            .order_by("plan__round__opens_on", "plan__round_id", "unit__name", "unit_id", "priority", "due_date", "id")
            .values_list(
                "plan__round_id",
                "unit_id",
                "priority",
                "title",
                "description",
                "indicator_id",
                "owner",
                "due_date",
                "status",
                "carried_from_id",
                "note_count",
                "latest_note",
                "updated_at",
            )
        )
        for (
            round_id,
            unit_id,
            priority,
            title,
            description,
            ind_id,
            owner,
            due,
            status,
            carried,
            notes,
            latest,
            updated,
        ) in actions.iterator(chunk_size=2000):
            district, code, name = units[unit_id]
            _sort, _area, ind_code, ind_title = indicators.get(ind_id, (None, "", "", ""))
            yield (
                rounds[round_id],
                district,
                code,
                name,
                priority,
                title,
                description,
                ind_code,
                ind_title,
                owner,
                due,
                Styled(statuses.get(status, status), f"state-{_ACTION_STATE.get(status, 'none')}"),
                yes if carried else "",
                notes,
                latest,
                _local(updated),
            )


_ACTION_STATE = {
    Action.Status.PLANNED: PlanCell.State.PLANNED,
    Action.Status.IN_PROGRESS: PlanCell.State.PLANNED,
    Action.Status.DONE: PlanCell.State.DONE,
    Action.Status.DROPPED: PlanCell.State.NA,
}


class OverviewExporter(Exporter):
    """The overview grid of a round: one row per unit, one column per indicator, two sheets
    (levels, and the plan state with priorities) coloured like the grid, and a legend."""

    key = "overview"
    verbose_name = gettext_lazy("Overview")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.round is None:
            raise ValueError("The overview export needs a round.")
        self.framework = Framework.objects.get(pk=self.round.framework_id)
        self.top = self.framework.level_count
        self.labels = {n: level_value(label) for n, label, _name, _css in self.framework.levels(self.lang)}
        self.indicators = list(
            Indicator.objects.filter(framework=self.framework)
            .order_by("area__order", "order")
            .values_list(
                "pk",
                "code",
                "title_sv",
                "title_en",
                "area__name_sv",
                "area__name_en",
                "group__name_sv",
                "group__name_en",
                "optional",
            )
        )

    def round_units(self):
        """The round's units (a closed round keeps the units it had) that the user may see."""
        return self.access.visible_units(round_units(round=self.round))

    def count(self):
        return 2 * self.round_units().count()

    def headers(self):
        return [_("District"), _("Unit code"), _("Unit"), _("Assessment")] + [
            code for _pk, code, *_rest in self.indicators
        ]

    def widths(self):
        return (16, 11, 28, 12) + (7,) * len(self.indicators)

    def _unit_rows(self):
        """(district, code, name, status label, {indicator_id: (level, not_relevant, state, priority)})."""
        units = self.round_units()
        cells = {}
        for unit_id, ind_id, level, nr, state, priority in (
            PlanCell.objects.filter(organizer=self.organizer, round=self.round, unit__in=units)
            .values_list("unit_id", "indicator_id", "level", "not_relevant", "state", "priority")
            .iterator(chunk_size=5000)
        ):
            cells.setdefault(unit_id, {})[ind_id] = (level, nr, state, priority)
        statuses = publication.unit_statuses(
            organizer=self.organizer,
            round=self.round,
            unit_ids=None if self.access.can_read_all_units else units.values_list("pk", flat=True),
        )
        for pk, district, code, name in units.order_by("district__name", "name", "pk").values_list(
            "pk", "district__name", "code", "name"
        ):
            yield district or "", code, name, str(publication.LABELS[statuses[pk].status]), cells.get(pk, {})

    def level_rows(self):
        """As the grid in level mode: the level (shaded), "n/r" (hatched), "–" not assessed (grey)."""
        n_r, dash = pgettext("grid cell, short for not relevant", "n/r"), "–"
        for district, code, name, status, cells in self._unit_rows():
            row = [district, code, name, status]
            for ind_id, *_rest in self.indicators:
                cell = cells.get(ind_id)
                if cell is not None and cell[1]:
                    row.append(Styled(n_r, "nr"))
                elif cell is None or cell[0] is None:
                    row.append(Styled(dash, "na"))
                else:
                    row.append(Styled(self.labels.get(cell[0], cell[0]), level_style(cell[0], self.top)))
            yield tuple(row)

    def plan_rows(self):
        """As the grid in plan mode: ✓ reached or done (green), the priority of a planned action
        (yellow), "·" nothing planned, "–" not assessed or not relevant (grey)."""
        marks = {PlanCell.State.NA: "–", PlanCell.State.NONE: "·", PlanCell.State.DONE: "✓"}
        for district, code, name, status, cells in self._unit_rows():
            row = [district, code, name, status]
            for ind_id, *_rest in self.indicators:
                cell = cells.get(ind_id)
                if cell is None:
                    row.append(Styled("–", f"state-{PlanCell.State.NA}"))
                    continue
                state, priority = cell[2], cell[3]
                value = priority if state == PlanCell.State.PLANNED else marks[state]
                row.append(Styled(value, f"state-{state}"))
            yield tuple(row)

    def rows(self):
        return self.level_rows()

    def sheets(self):
        headers = self.headers()
        return [
            Sheet(_("Levels"), headers, self.level_rows(), self.widths(), freeze_cols=4),
            Sheet(_("Action plans"), headers, self.plan_rows(), self.widths(), freeze_cols=4),
        ]

    def legend(self):
        rows = [(Styled(_("Levels"), "bold"), "")]
        for number, label, name, _css in self.framework.levels(self.lang):
            rows.append((Styled(level_value(label), level_style(number, self.top)), name))
        rows.append((Styled(pgettext("grid cell, short for not relevant", "n/r"), "nr"), _("Not relevant")))
        rows.append((Styled("–", "na"), _("Not assessed")))
        rows.append(("", ""))
        rows.append((Styled(_("Action plans"), "bold"), ""))
        rows.append((Styled("✓", f"state-{PlanCell.State.DONE}"), _("Step reached or its action done")))
        rows.append(
            (
                Styled(1, f"state-{PlanCell.State.PLANNED}"),
                _("Action planned or in progress; the number is its priority (1 most urgent)"),
            )
        )
        rows.append((Styled("·", f"state-{PlanCell.State.NONE}"), _("Nothing planned")))
        rows.append((Styled("–", f"state-{PlanCell.State.NA}"), _("Not assessed or not relevant")))
        rows.append(("", ""))
        rows.append((Styled(_("Indicator code"), "bold"), Styled(_("Indicator"), "bold")))
        optional = _("optional")
        for _pk, code, t_sv, t_en, a_sv, a_en, g_sv, g_en, is_optional in self.indicators:
            where = self.text(a_sv, a_en) + (f" – {self.text(g_sv, g_en)}" if g_sv else "")
            rows.append((code, f"{where}: {self.text(t_sv, t_en)}" + (f" ({optional})" if is_optional else "")))
        return rows


EXPORTERS = {cls.key: cls for cls in (OverviewExporter, AnswersExporter, ActionsExporter)}


# --- survey results (issue 12) --------------------------------------------------------------


class SurveyResultsExporter(Exporter):
    """One survey's results per unit, district and organiser, with the anonymity rules applied
    (``surveys.results.organiser_results``): a hidden figure is the word "hidden", never a
    number. Small (one row per unit), so it is served directly, not as a job."""

    key = "survey"
    verbose_name = gettext_lazy("Survey results")

    def __init__(self, *, survey, **kwargs):
        super().__init__(round=survey.round, **kwargs)
        self.survey = survey
        from stegvis.surveys import results

        self.data = results.organiser_results(survey=survey, access=self.access, lang=self.lang)

    def headers(self):
        return [_("Level"), _("District"), _("Unit"), _("Responses"), _("Expected"), _("Response rate (%)")] + [
            _("%(area)s: positive (%%)") % {"area": area} for area in self.data["areas"]
        ]

    def count(self):
        return len(self.data["rows"]) + (1 if self.data["total"] else 0)

    def rows(self):
        kinds = {"unit": _("Unit"), "district": _("District"), "organiser": _("Organiser")}
        rows = list(self.data["rows"]) + ([self.data["total"]] if self.data["total"] else [])
        for row in rows:
            yield (
                kinds[row["kind"]],
                row["district"],
                row["name"] if row["kind"] != "district" else "",
                row["responses"],
                row["expected"],
                row["rate"],
                *(_("hidden") if c["hidden"] else c["percent"] for c in row["cells"]),
            )

    def widths(self):
        return (12, 24, 30, 11, 11, 14) + (16,) * len(self.data["areas"])

    def filename(self, ext):
        stamp = timezone.localdate().isoformat()
        return f"survey-{file_slug(self.survey.respondent_group)}-{self.organizer.slug}-{stamp}.{ext}"


class SurveyIndicatorResultsExporter(Exporter):
    """One survey's results per indicator (and per area) at every level the reader may see: one
    row per indicator and organiser, district or unit, from
    ``surveys.results.organiser_indicator_results`` with its suppression, so a hidden figure is
    the word "hidden", never a number, and its n is left empty. Each row says what it rests on
    (n answers, k, the units with a principal's level); a legend sheet says the same in words.
    ``columns`` as for the page: ``EVERYTHING`` by default, or a district id (``None`` for the
    units without one) for that district and its units. Served directly, like the per-area file."""

    key = "survey-indicators"
    verbose_name = gettext_lazy("Survey results per indicator")

    def __init__(self, *, survey, columns=None, everything=True, **kwargs):
        super().__init__(round=survey.round, **kwargs)
        self.survey = survey
        from stegvis.surveys import results

        self.data = results.organiser_indicator_results(
            survey=survey, access=self.access, lang=self.lang, columns=results.EVERYTHING if everything else columns
        )

    def headers(self):
        return [
            _("Area"),
            _("Code"),
            _("Indicator"),
            _("Level"),
            _("District"),
            _("Unit"),
            _("Responses"),
            _("Expected"),
            _("Response rate (%)"),
            _("Answers the figure rests on (n)"),
            _("Positive (%)"),
            _("k"),
            _("Principal's level"),
            _("Units with a principal's level"),
            _("Gap"),
        ]

    def count(self):
        return len(self.data["rows"]) * len(self.data["columns"])

    def rows(self):
        kinds = {"unit": _("Unit"), "district": _("District"), "organiser": _("Organiser")}
        hidden, gap, k = _("hidden"), _("gap"), self.data["k"]
        summary = _("(the area as a whole)")
        for row in self.data["rows"]:
            for col, cell in zip(self.data["columns"], row["cells"], strict=True):
                if not cell["asked"]:
                    figure, base = None, None
                elif cell["hidden"]:
                    figure, base = hidden, None
                else:
                    figure, base = cell["percent"], cell["base"] or None
                yield (
                    row["area"],
                    row["code"],
                    row["title"] if row["kind"] == "indicator" else summary,
                    kinds[col["kind"]],
                    col["district"],
                    col["name"] if col["kind"] == "unit" else "",
                    col["responses"],
                    col["expected"],
                    col["rate"],
                    base,
                    figure,
                    k,
                    level_value(cell["level"]) if cell["level"] is not None else None,
                    cell["level_units"],
                    gap if cell["gap"] else "",
                )

    def widths(self):
        return (24, 8, 40, 12, 20, 26, 11, 11, 12, 14, 12, 5, 14, 14, 8)

    def legend(self):
        k = self.data["k"]
        return [
            (
                _("hidden"),
                _(
                    "The figure rests on fewer than %(k)s answers, or could be worked out from a total and the figures shown beside it (complementary suppression)."
                )
                % {"k": k},
            ),
            (
                _("Positive (%)"),
                _('The share of positive answers (the upper half of the scale; "don\'t know" left out).'),
            ),
            (
                _("Answers the figure rests on (n)"),
                _(
                    "The answers on the scale the figure rests on; for several questions the smallest number. Empty where the figure is hidden."
                ),
            ),
            (
                _("Principal's level"),
                _(
                    "A unit's level from its latest published principal assessment of the round (for an area the mean of its indicators); for a district and the organiser the principals' mean level."
                ),
            ),
            (_("Units with a principal's level"), _("The number of units the mean level rests on.")),
            (
                _("Gap"),
                _(
                    "The principal's level, as a position on its scale, is much higher than the share of positive answers."
                ),
            ),
            (
                _("Refreshed"),
                _local(self.survey.refreshed_at).strftime("%Y-%m-%d %H:%M") if self.survey.refreshed_at else "–",
            ),
        ]

    def filename(self, ext):
        stamp = timezone.localdate().isoformat()
        return f"survey-indicators-{file_slug(self.survey.respondent_group)}-{self.organizer.slug}-{stamp}.{ext}"
