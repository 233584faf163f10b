"""The member side of the self-reflection: aggregates per unit and organiser (suppressed below
k), and the start links with their QR codes. docs/reflection.md."""

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stegvis.core import charts, numbers
from stegvis.core.i18n import ui_language
from stegvis.frameworks.models import Framework
from stegvis.organisations.models import Unit

from . import aggregates, domain
from .forms import MinGroupForm, StartLinkForm
from .models import Questionnaire, StartLink, school_year_label


def questionnaires(organizer):
    """The questionnaires of the frameworks the organiser may use, newest first."""
    return list(
        Questionnaire.objects.filter(framework__in=Framework.objects.available_to(organizer))
        .select_related("framework")
        .order_by("-framework__loaded_at", "-pk")
    )


def _choose(request):
    """(questionnaire or None, every questionnaire, year or None, years) from ?q= and ?year=."""
    found = questionnaires(request.organizer)
    chosen = next((q for q in found if str(q.pk) == request.GET.get("q", "")), found[0] if found else None)
    years = aggregates.years(organizer=request.organizer, questionnaire=chosen) if chosen else []
    year = next((y for y in years if str(y) == request.GET.get("year", "")), years[0] if years else None)
    return chosen, found, year, years


def _area_cells(questionnaire, group, lang):
    return [
        {"key": area["key"], "mean": group.mean(area["key"]) if group else None} for area in questionnaire.areas(lang)
    ]


@require_GET
def home(request):
    access = request.access
    questionnaire, found, year, years = _choose(request)
    lang = ui_language()
    ctx = {"questionnaire": questionnaire, "questionnaires": found, "year": year, "years": years}
    ctx["year_labels"] = [(y, school_year_label(y)) for y in years]
    ctx["year_label"] = school_year_label(year) if year is not None else ""
    ctx["level_count"] = questionnaire.level_count if questionnaire else 0
    all_units = list(Unit.objects.filter(organizer=request.organizer).select_related("district").order_by("name"))
    if access.can_read_reflection_organiser:
        visible = set(
            access.organiser_units(Unit.objects.filter(organizer=request.organizer)).values_list("pk", flat=True)
        )
    else:
        visible = set(access.my_unit_ids)
    if questionnaire:
        ctx["areas"] = questionnaire.areas(lang)
        if year is not None:
            pic = aggregates.picture(organizer=request.organizer, questionnaire=questionnaire, year=year)
            ctx["k"] = pic["k"]
            rows = []
            for unit in all_units:
                if unit.pk not in visible or (not unit.active and unit.pk not in pic["groups"]):
                    continue
                group, reason = aggregates.shown(pic, unit.pk)
                rows.append(
                    {"unit": unit, "group": group, "reason": reason, "cells": _area_cells(questionnaire, group, lang)}
                )
            ctx["rows"] = rows
            totals = []
            if access.can_read_all_units:
                group, reason = aggregates.shown(pic, None)
                if reason != "none":
                    ctx["no_unit"] = {
                        "group": group,
                        "reason": reason,
                        "cells": _area_cells(questionnaire, group, lang),
                    }
                totals.append(
                    {
                        "name": request.organizer.name,
                        "group": pic["organiser"],
                        "cells": _area_cells(questionnaire, pic["organiser"], lang),
                    }
                )
            ctx["totals"] = totals
    links = StartLink.objects.filter(organizer=request.organizer, closed_on__isnull=True).select_related("unit")
    ctx["links"] = [link for link in links if access.can_show_reflection_link(link)]
    if access.can_manage_reflection and questionnaire:
        ctx["link_form"] = StartLinkForm(
            units=Unit.objects.filter(organizer=request.organizer, active=True).order_by("name")
        )
    return render(request, "reflection/home.html", ctx)


@require_GET
def unit(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    request.access.require(request.access.can_read_reflection_unit(unit))
    questionnaire, found, year, years = _choose(request)
    lang = ui_language()
    ctx = {"unit": unit, "questionnaire": questionnaire, "questionnaires": found, "year": year}
    ctx["year_labels"] = [(y, school_year_label(y)) for y in years]
    ctx["year_label"] = school_year_label(year) if year is not None else ""
    if questionnaire and year is not None:
        pic = aggregates.picture(organizer=request.organizer, questionnaire=questionnaire, year=year)
        group, reason = aggregates.shown(pic, unit.pk)
        ctx.update(k=pic["k"], group=group, reason=reason)
        if group:
            names = questionnaire.level_names(lang)
            areas = questionnaire.areas(lang)
            ctx["area_rows"] = [
                {
                    "area": area,
                    "mean": group.mean(area["key"]),
                    "counts": list(zip(names, group.counts.get(area["key"], [0] * len(names)), strict=True)),
                }
                for area in areas
            ]
            ctx["level_names"] = names
            ctx["chart"] = charts.radar(
                title=_("Mean level per competence area, %(unit)s") % {"unit": unit.name},
                axes=[a["name"] for a in areas],
                series=[charts.Series(label=school_year_label(year), values=[group.mean(a["key"]) for a in areas])],
                max_value=len(names),
                value_format=lambda v: numbers.figure(v, numbers.LEVEL_DIGITS),
            )
    links = StartLink.objects.filter(organizer=request.organizer, unit=unit, closed_on__isnull=True)
    ctx["links"] = [link for link in links if request.access.can_show_reflection_link(link)]
    return render(request, "reflection/unit.html", ctx)


@require_POST
def link_new(request):
    request.access.require(request.access.can_manage_reflection)
    found = questionnaires(request.organizer)
    questionnaire = next((q for q in found if str(q.pk) == request.POST.get("q", "")), found[0] if found else None)
    if questionnaire is None:
        raise Http404
    form = StartLinkForm(request.POST, units=Unit.objects.filter(organizer=request.organizer, active=True))
    if not form.is_valid():
        messages.error(request, _("Choose a unit or the whole organiser."))
        return redirect("reflection", request.organizer.slug)
    link = domain.create_start_link(
        organizer=request.organizer, questionnaire=questionnaire, unit=form.cleaned_data["unit"], by=request.user
    )
    return redirect("reflection_link", request.organizer.slug, link.pk)


def start_url(request, link):
    return request.build_absolute_uri(reverse("reflection_start", kwargs={"access_token": link.link_token}))


@require_GET
def link(request, start_link_id):
    link = get_object_or_404(StartLink.objects.select_related("unit"), organizer=request.organizer, pk=start_link_id)
    if link.unit is not None:
        request.access.require_unit(link.unit)
    request.access.require(request.access.can_show_reflection_link(link))
    ctx = {"link": link}
    if link.is_open:
        url = start_url(request, link)
        qr = segno.make(url, error="m")
        ctx["url"] = url
        ctx["qr"] = qr.svg_inline(scale=6, border=4, svgclass="qr", title=_("QR code for the link"), omitsize=True)
    return render(request, "reflection/link.html", ctx)


@require_POST
def link_close(request, start_link_id):
    link = get_object_or_404(StartLink, organizer=request.organizer, pk=start_link_id)
    request.access.require(request.access.can_manage_reflection)
    domain.close_start_link(link=link, by=request.user)
    messages.success(request, _("The link is closed. Reflections already begun keep their private links."))
    return redirect("reflection", request.organizer.slug)


@require_POST
def settings_save(request):
    request.access.require(request.access.can_manage_reflection)
    form = MinGroupForm(request.POST)
    if form.is_valid():
        domain.set_min_group(organizer=request.organizer, k=form.cleaned_data["k"], by=request.user)
        messages.success(request, _("Saved: figures rest on at least %(k)s people.") % {"k": form.cleaned_data["k"]})
    else:
        messages.error(request, " ".join(form.errors.get("k", [])))
    return redirect("reflection", request.organizer.slug)
