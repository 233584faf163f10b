"""The organiser's and the principal's survey pages: list, open, a survey's links, codes,
personal links, reminders and closing, and the results. Thin views over ``domain`` and
``results``; who may do what is asked of ``request.access`` (docs/surveys.md)."""

import segno
from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from stegvis.core import charts
from stegvis.core.i18n import ui_language
from stegvis.core.mail import absolute_url
from stegvis.cycles.models import Round
from stegvis.cycles.queries import choose_round
from stegvis.frameworks.models import survey_group_name
from stegvis.organisations.models import Unit

from . import domain, results
from .forms import GroupCodeForm, PersonalLinksForm, ReminderForm, SurveyForm
from .models import Survey, SurveyLink, SurveyUnit


def get_survey(request, survey_id):
    survey = get_object_or_404(
        Survey.objects.select_related("round__framework", "organizer"), organizer=request.organizer, pk=survey_id
    )
    if not request.access.can_read_survey(survey):
        raise Http404
    return survey


def _visible_survey_units(request, survey):
    unit_ids = SurveyUnit.objects.filter(survey=survey).values("unit_id")
    return request.access.visible_units(Unit.objects.filter(organizer=request.organizer, pk__in=unit_ids)).order_by(
        "name"
    )


def qr_svg(url, title):
    """A QR code of ``url`` as inline SVG (segno), with a title for screen readers."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=title, dark="#000", light="#fff")


@require_GET
def survey_list(request):
    access = request.access
    access.require(access.can_read_surveys)
    surveys = Survey.objects.filter(organizer=request.organizer).select_related("round__framework")
    if not access.can_read_organiser:
        surveys = surveys.filter(survey_units__unit_id__in=access.my_unit_ids).distinct()
    lang = ui_language()
    rows = [(s, survey_group_name(s.round.framework, s.respondent_group, lang)) for s in surveys]
    return render(request, "surveys/survey_list.html", {"rows": rows})


def survey_new(request):
    request.access.require(request.access.can_open_surveys)
    form = SurveyForm(request.POST or None, organizer=request.organizer, access=request.access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = domain.open_survey(
                organizer=request.organizer,
                round=data["round"],
                respondent_group=data["respondent_group"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                units=data["units"],
                distribution=data["distribution"],
                k=data["k"],
                by=request.user,
            )
        except domain.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The survey is opened."))
            return redirect("survey", organizer_slug=request.organizer.slug, survey_id=survey.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Open a survey"),
            "submit_label": _("Open the survey"),
            "cancel_url": reverse("surveys", args=[request.organizer.slug]),
        },
    )


@require_GET
def survey_detail(request, survey_id):
    survey = get_survey(request, survey_id)
    units = list(_visible_survey_units(request, survey))
    rates, counts = results.response_rates(survey, units)
    links = {}
    for link in SurveyLink.objects.filter(survey=survey, unit__in=units, personal=False).order_by("code"):
        url = absolute_url(domain.answer_path(link.public_token), request)
        links.setdefault(link.unit_id, []).append(
            {"link": link, "url": url, "qr": qr_svg(url, _("QR code for the survey link"))}
        )
    personal = dict(
        SurveyLink.objects.filter(survey=survey, unit__in=units, personal=True)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        {
            "unit": u,
            "responses": counts[u],
            "rate": round(100 * rates[u]) if rates[u] is not None else None,
            "links": links.get(u.pk, []),
            "personal": personal.get(u.pk, 0),
        }
        for u in units
    ]
    can_change = request.access.can_manage_survey(survey)
    ctx = {
        "survey": survey,
        "group_name": survey_group_name(survey.round.framework, survey.respondent_group, ui_language()),
        "rows": rows,
        "can_change": can_change,
        "can_read_results": request.access.can_read_survey_organiser_results(survey),
        "total": sum(counts.values()),
    }
    if can_change and survey.state != Survey.State.CLOSED:
        qs = Unit.objects.filter(pk__in=[u.pk for u in units])
        ctx["code_form"] = GroupCodeForm(units=qs, prefix="code")
        ctx["personal_form"] = PersonalLinksForm(units=qs, prefix="personal")
        ctx["reminder_form"] = ReminderForm(prefix="remind")
    return render(request, "surveys/survey_detail.html", ctx)


def _managed(request, survey_id):
    survey = get_survey(request, survey_id)
    request.access.require(request.access.can_manage_survey(survey))
    if survey.state == Survey.State.CLOSED:
        messages.error(request, _("The survey is closed."))
        return survey, redirect("survey", organizer_slug=request.organizer.slug, survey_id=survey.pk)
    return survey, None


def _back(request, survey):
    return redirect("survey", organizer_slug=request.organizer.slug, survey_id=survey.pk)


@require_POST
def survey_code_add(request, survey_id):
    survey, done = _managed(request, survey_id)
    if done:
        return done
    form = GroupCodeForm(request.POST, units=_visible_survey_units(request, survey), prefix="code")
    if form.is_valid():
        try:
            domain.add_group_code(
                survey=survey,
                unit=form.cleaned_data["unit"],
                code=form.cleaned_data["code"],
                expected=form.cleaned_data["expected"],
                by=request.user,
            )
        except domain.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The group code has its own link."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, survey)


@require_POST
def survey_personal(request, survey_id):
    survey, done = _managed(request, survey_id)
    if done:
        return done
    form = PersonalLinksForm(request.POST, units=_visible_survey_units(request, survey), prefix="personal")
    if form.is_valid():
        sent = domain.send_personal_links(
            survey=survey,
            unit=form.cleaned_data["unit"],
            emails=form.cleaned_data["emails"],
            by=request.user,
            request=request,
        )
        messages.success(request, _("%(n)s personal links sent.") % {"n": sent})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, survey)


@require_POST
def survey_remind(request, survey_id):
    survey, done = _managed(request, survey_id)
    if done:
        return done
    form = ReminderForm(request.POST, prefix="remind")
    if form.is_valid():
        units = list(_visible_survey_units(request, survey))
        rates, _counts = results.response_rates(survey, units)
        sent = domain.send_reminders(
            survey=survey, below=form.cleaned_data["below"] / 100, rates=rates, by=request.user, request=request
        )
        messages.success(request, _("%(n)s reminders sent.") % {"n": sent})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, survey)


@require_POST
def survey_close(request, survey_id):
    survey, done = _managed(request, survey_id)
    if done:
        return done
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "core/confirm.html",
            {
                "title": _("Close the survey?"),
                "consequences": [
                    _("Nobody can answer after this, whatever the closing time said."),
                    _("The results are computed at once."),
                ],
                "action": request.path,
                "fields": {},
                "submit_label": _("Close the survey"),
                "cancel_url": reverse("survey", args=[request.organizer.slug, survey.pk]),
            },
        )
    domain.close_survey(survey=survey, by=request.user)
    messages.success(request, _("The survey is closed."))
    return _back(request, survey)


# --- results ----------------------------------------------------------------------------------


LINE_NAMES = {
    "current": gettext_lazy("solid line"),
    "previous": gettext_lazy("dashed line"),
    "district": gettext_lazy("dotted line"),
    "organizer": gettext_lazy("dash-dot line"),
}


def _radar(data):
    """The radar of the areas (0-100 %, five rings) and its legend: the principal's level as a
    share of the scale, and each group's share of positive answers."""
    if not data["areas"]:
        return None, []
    series = []
    if data["has_principal"]:
        series.append((_("Principal"), "current", [a["principal_percent"] for a in data["areas"]]))
    styles = ["previous", "district", "organizer", "current"]
    for n, group in enumerate(data["groups"]):
        style = styles[n % len(styles)] if data["has_principal"] else (styles[-1:] + styles)[n % len(styles)]
        series.append((group.name, style, [a["cells"][n]["percent"] for a in data["areas"]]))
    chart = charts.radar(
        title=_("Positive answers per area beside the principal's level"),
        axes=[a["name"] for a in data["areas"]],
        series=[
            charts.Series(label=label, values=[None if v is None else v / 20 for v in values], style=style)
            for label, style, values in series
        ],
        max_value=5,
        ring_labels=[f"{20 * n} %" for n in range(1, 6)],
        value_format=lambda v: f"{round(v * 20)} %",
    )
    return chart, [(style, label, LINE_NAMES[style]) for label, style, _values in series]


@require_GET
def unit_results(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    rounds = list(Round.objects.filter(organizer=request.organizer).select_related("framework"))
    rnd = choose_round(rounds, request.GET.get("round"))
    lang = ui_language()
    ctx = {"unit": unit, "rounds": rounds, "round": rnd}
    if rnd is not None:
        data = results.unit_results(
            unit=unit,
            round=rnd,
            lang=lang,
            access=request.access,
            with_free_text=request.access.can_read_survey_free_text(unit),
        )
        ctx.update(data)
        ctx["radar"], ctx["legend"] = _radar(data) if data["groups"] else (None, [])
    return render(request, "surveys/unit_results.html", ctx)


def _row_html(row, hidden):
    """A results row's cells after its heading, written here rather than with ~10 template tags
    per cell (600 units: the template took longer than the figures). Every value is a number,
    a dash or ``hidden`` (the escaped cell of a hidden figure); the name is in the template."""
    rate = f"{int(row['rate'])} %" if row["rate"] is not None else "–"
    parts = [f"<td>{int(row['responses'])}</td><td>{rate}</td>"]
    for c in row["cells"]:
        if c["hidden"]:
            parts.append(hidden)
        elif c["percent"] is not None:
            parts.append(f"<td>{int(c['percent'])} %</td>")
        else:
            parts.append("<td>–</td>")
    return mark_safe("".join(parts))


@require_GET
def survey_results(request, survey_id):
    survey = get_survey(request, survey_id)
    request.access.require(request.access.can_read_survey_organiser_results(survey))
    data = results.organiser_results(survey=survey, access=request.access, lang=ui_language())
    hidden = format_html('<td><span class="suppressed">{}</span></td>', _("hidden"))
    for row in [*data["rows"], *([data["total"]] if data["total"] else [])]:
        row["html"] = _row_html(row, hidden)
    return render(request, "surveys/survey_results.html", data)


# --- the organiser's results per indicator ------------------------------------------------------


def indicator_columns(request):
    """The columns asked for by ``?district=``: every district (empty), a district's units (its
    id, or ``none`` for the units without a district). Anything else is a 404."""
    value = request.GET.get("district", "")
    if value == "":
        return results.ALL_DISTRICTS
    if value == "none":
        return None
    if value.isdigit() and len(value) < 12:
        return int(value)
    raise Http404


def _indicator_cell_html(cell, words):
    """One cell of the per-indicator table, written here rather than with a dozen template tags
    per cell (a district's 50 units by 30 rows). Every value is a number, a label of the
    framework's levels (escaped) or one of ``words`` (escaped in the view)."""
    if not cell["asked"]:
        figure = "–"
    elif cell["hidden"]:
        figure = words["hidden"]
    elif cell["percent"] is not None:
        figure = f'{int(cell["percent"])} % <span class="n">n&nbsp;{int(cell["base"])}</span>'
        if cell["gap"]:
            figure += words["gap"]
    else:
        figure = "–"
    if cell["level"] is not None:
        units = f" ({int(cell['level_units'])})" if cell["level_units"] is not None else ""
        figure += f' <span class="lvl">{words["principal"]}&nbsp;{escape(cell["level"])}{units}</span>'
    return f"<td>{figure}</td>"


@require_GET
def survey_indicator_results(request, survey_id):
    """The organiser's results per indicator: rows the framework's indicators (per area, with a
    summary row), columns the organiser and its districts, or one district and its units."""
    survey = get_survey(request, survey_id)
    access = request.access
    access.require(access.can_read_survey_organiser_results(survey))
    columns = indicator_columns(request)
    group = request.GET.get("group", "")
    siblings = [
        (s, survey_group_name(survey.round.framework, s.respondent_group, ui_language()))
        for s in Survey.objects.filter(organizer=request.organizer, round_id=survey.round_id).order_by(
            "respondent_group", "opens_at"
        )
    ]
    if group and group != str(survey.pk):
        other = next((s for s, _name in siblings if str(s.pk) == group), None)
        if other is None:
            raise Http404
        url = reverse("survey_indicator_results", args=[request.organizer.slug, other.pk])
        district = request.GET.get("district", "")
        return redirect(f"{url}?district={district}" if district else url)
    data = results.organiser_indicator_results(survey=survey, access=access, lang=ui_language(), columns=columns)
    if columns != results.ALL_DISTRICTS and columns not in {d for d, _name in data["districts"]}:
        raise Http404
    words = {
        "hidden": format_html('<span class="suppressed">{}</span>', _("hidden")),
        "gap": format_html(' <span class="gap-flag">{}</span>', _("gap")),
        "principal": escape(_("principal")),
    }
    for row in data["rows"]:
        row["html"] = mark_safe("".join(_indicator_cell_html(c, words) for c in row["cells"]))
    chosen = "" if columns == results.ALL_DISTRICTS else ("none" if columns is None else str(columns))
    data.update(
        {
            "siblings": siblings,
            "chosen": chosen,
            "district_name": next((name for d, name in data["districts"] if d == columns), ""),
            "export_query": f"&district={chosen}" if chosen else "",
            "can_export": access.can_export,
        }
    )
    return render(request, "surveys/survey_indicator_results.html", data)
