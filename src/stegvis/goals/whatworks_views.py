"""The organiser's "what works" report (docs/what-works.md): per suggested activity, how many of
the units that completed it rose by the next round against those that did not, the organiser's
own figures and the national ones, filtered by area, indicator and school form, and as CSV.

The figures are computed by the scheduler (``whatworks.refresh``) and read from planning's read
model through ``planning.outcomes``, which also decides what may be shown (a handful of queries
whatever the number of units or rounds)."""

import csv

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core import forms as core_forms
from stegvis.core import numbers, schoolforms
from stegvis.core.csvutil import safe_cell
from stegvis.core.i18n import bilingual, pick, ui_language
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Activity, Framework
from stegvis.planning import outcomes

from . import whatworks


class WhatWorksFilterForm(core_forms.Form):
    """The report's filters, read from the query string; a value that is not a choice is ignored."""

    framework = forms.ChoiceField(label=gettext_lazy("Framework"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"), required=False)
    school_form = forms.ChoiceField(label=gettext_lazy("School form"), required=False)

    def __init__(self, *args, frameworks, lang, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = frameworks
        self.fields["framework"].choices = [(str(fw.pk), bilingual(fw, "name", lang)) for fw in frameworks]
        if len(frameworks) < 2:  # nothing to choose
            del self.fields["framework"]
        self.fields["school_form"].choices = [("", _("All school forms")), *schoolforms.choices()]
        framework = self.chosen_framework()
        areas = list(framework.areas.order_by("order")) if framework else []
        self.fields["area"].choices = [("", _("All areas"))] + [(a.key, bilingual(a, "name", lang)) for a in areas]
        indicators = framework.indicators.order_by("area__order", "order") if framework else []
        self.fields["indicator"].choices = [("", _("All indicators"))] + [
            (i.code, f"{i.code} {bilingual(i, 'title', lang)}") for i in indicators
        ]

    def _value(self, name):
        if name not in self.fields:
            return ""
        value = self.data.get(name, "") if self.is_bound else ""
        return value if value in {str(k) for k, _label in self.fields[name].choices} else ""

    def chosen_framework(self):
        wanted = self._value("framework")
        by_pk = {str(fw.pk): fw for fw in self.frameworks}
        return by_pk.get(wanted) or (self.frameworks[0] if self.frameworks else None)

    def selection(self):
        """(framework, area key, indicator code, school-form bit or 0) from the valid values."""
        form = self._value("school_form")
        return (
            self.chosen_framework(),
            self._value("area"),
            self._value("indicator"),
            schoolforms.to_mask([form]) if form else outcomes.ALL_FORMS,
        )


def _frameworks(organizer):
    """The frameworks of the organiser's started rounds, newest round's first."""
    seen = {}
    today = timezone.localdate()
    for fw_id, opens_on in (
        Round.objects.filter(organizer=organizer).order_by("-opens_on", "-pk").values_list("framework_id", "opens_on")
    ):
        if opens_on <= today:
            seen.setdefault(fw_id, None)
    by_pk = Framework.objects.in_bulk(list(seen))
    return [by_pk[pk] for pk in seen if pk in by_pk]


def _report(request):
    """(form, framework, outcomes read, rows, activities in the selection). Rows are plain dicts
    built from tuples: a handful of queries and no model object per activity."""
    lang = ui_language()
    form = WhatWorksFilterForm(request.GET or None, frameworks=_frameworks(request.organizer), lang=lang)
    framework, area_key, indicator_code, school_form = form.selection()
    activities = []
    if framework:
        qs = Activity.objects.filter(indicator__framework=framework)
        if area_key:
            qs = qs.filter(indicator__area__key=area_key)
        if indicator_code:
            qs = qs.filter(indicator__code=indicator_code)
        activities = list(
            qs.order_by("indicator__area__order", "indicator__order", "to_level", "order").values_list(
                "pk",
                "title_sv",
                "title_en",
                "to_level",
                "indicator__code",
                "indicator__area__name_sv",
                "indicator__area__name_en",
            )
        )
    found = outcomes.read(organizer=request.organizer, activity_ids=[a[0] for a in activities], school_form=school_form)
    rows = []
    for pk, title_sv, title_en, to_level, code, area_sv, area_en in activities:
        own = found.own.get(pk)
        national = found.national.get(pk) if found.national_allowed else None
        groups = [own.did if own else None, own.others if own else None]
        if found.national_allowed:
            groups += [national.did if national else None, national.others if national else None]
        if not any(group is not None and group.shown for group in groups):
            continue  # nothing that may be shown: counted as "without figures yet"
        rows.append(
            {
                "title": pick(title_sv, title_en, lang),
                "code": code,
                "area": pick(area_sv, area_en, lang),
                "from_label": framework.level_label(to_level - 1),
                "to_label": framework.level_label(to_level),
                "groups": groups,
                "cells": [_cell(group) for group in groups],
            }
        )
    return form, framework, found, rows, len(activities)


def _cell(group):
    """(text, hidden) of one figure on the page: "12 av 18 (67 %)"; hidden below k; "–" for none."""
    if group is None:
        return ("–", False)
    if not group.shown:
        return ("–", True)
    return (
        _("%(rose)s of %(units)s (%(share)s)") % {"rose": group.rose, "units": group.units, "share": group.share_text},
        False,
    )


def what_works(request):
    request.access.require(request.access.can_read_what_works)
    form, framework, found, rows, activity_count = _report(request)
    return render(
        request,
        "goals/whatworks/report.html",
        {
            "filter_form": form,
            "framework": framework,
            "rows": rows,
            "without": activity_count - len(rows),
            "k": found.k,
            "hidden_label": _("Fewer than %(k)s units: not shown") % {"k": found.k},
            "min_organizers": found.min_organizers,
            "national_allowed": found.national_allowed,
            "computed_at": whatworks.last_computed(request.organizer),
            "query": request.GET.urlencode(),
        },
    )


def _cells(group):
    """CSV cells of one group: units, risen, per cent; empty where the figure may not be shown."""
    if group is None:
        return ["", "", ""]
    if not group.shown:
        return [_("fewer than the minimum"), "", ""]
    return [group.units, group.rose, numbers.rounded(group.share, numbers.INDEX_DIGITS)]


def what_works_export(request):
    """The report with its filters as CSV: one row per activity, each figure with its n."""
    request.access.require(request.access.can_read_what_works)
    form, framework, found, rows, _count = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="what-works-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    header = [
        _("Area"),
        _("Indicator"),
        _("Activity"),
        _("From step"),
        _("To step"),
        _("Units that did it"),
        _("of them rose"),
        _("Per cent that rose"),
        _("Units that did not"),
        _("of them rose"),
        _("Per cent that rose"),
    ]
    if found.national_allowed:
        header += [
            _("National: units that did it"),
            _("of them rose"),
            _("Per cent that rose"),
            _("National: units that did not"),
            _("of them rose"),
            _("Per cent that rose"),
        ]
    writer.writerow(header)
    for r in rows:
        line = [
            safe_cell(r["area"]),
            safe_cell(r["code"]),
            safe_cell(r["title"]),
            safe_cell(r["from_label"]),
            safe_cell(r["to_label"]),
        ]
        for group in r["groups"]:
            line += _cells(group)
        writer.writerow(line)
    return response
