"""The certification pages (docs/goals.md): the rules and the certified units of a round, with
filters and CSV; the rule form; what the unit page and the grid show (``core.slots``)."""

import csv

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from stegvis.assessments.perspectives import rounds_withheld
from stegvis.core.csvutil import safe_cell
from stegvis.cycles.models import Round, RoundUnit
from stegvis.organisations.models import Unit

from . import certification, values
from .certification_forms import ListFilter, RuleForm
from .models import Certification, CertificationRule


def _started(organizer):
    return [r for r in values.organizer_rounds(organizer) if not r.is_upcoming]


def _results(request):
    """The filtered results of the chosen round, and what the page needs around them."""
    organizer, access = request.organizer, request.access
    rounds = _started(organizer)
    form = ListFilter(request.GET or None, organizer=organizer, access=access, rounds=rounds)
    data = form.cleaned_data if form.is_valid() else {}
    rnd = data.get("round") or (rounds[-1] if rounds else None)
    rules = list(CertificationRule.objects.filter(organizer=organizer))
    shown_rules = [data["rule"]] if data.get("rule") else [r for r in rules if r.active]
    rows, summary = [], []
    if rnd is not None:
        certification.ensure_fresh(organizer=organizer, rounds=[rnd])
        units = access.organiser_units(Unit.objects.filter(organizer=organizer))
        if data.get("district"):
            units = units.filter(district=data["district"])
        results = (
            Certification.objects.filter(organizer=organizer, round=rnd, rule__in=shown_rules, unit__in=units)
            .select_related("unit__district", "rule")
            .order_by("rule__name", "unit__name")
        )
        by_rule = {r.pk: [0, 0] for r in shown_rules}
        for result in results:
            by_rule[result.rule_id][1] += 1
            by_rule[result.rule_id][0] += result.certified
            if data.get("status") == "yes" and not result.certified:
                continue
            if data.get("status") == "no" and result.certified:
                continue
            rows.append(
                {
                    "result": result,
                    "missing": [] if result.certified else certification.missing_text(result.rule, result.missing),
                }
            )
        summary = [
            {"rule": r, "certified": by_rule[r.pk][0], "of": by_rule[r.pk][1], "text": certification.rule_text(r)}
            for r in shown_rules
        ]
    return {"form": form, "round": rnd, "rules": rules, "rows": rows, "summary": summary}


def certification_list(request):
    request.access.require(request.access.can_read_certification)
    ctx = _results(request)
    ctx.update(
        filter_form=ctx.pop("form"),
        rule_texts=[(r, certification.rule_text(r)) for r in ctx["rules"]],
        can_manage=request.access.can_manage_certification,
        query=request.GET.urlencode(),
    )
    return render(request, "goals/certification/list.html", ctx)


def certification_export(request):
    """The filtered list as CSV: unit, district, rule, certified, what it lacks."""
    request.access.require(request.access.can_read_certification)
    ctx = _results(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="certification-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Unit"), _("Unit code"), _("District"), _("Round"), _("Rule"), _("Certified"), _("Lacks")])
    for row in ctx["rows"]:
        result = row["result"]
        writer.writerow(
            [
                safe_cell(result.unit.name),
                safe_cell(result.unit.code),
                safe_cell(result.unit.district.name if result.unit.district else ""),
                safe_cell(ctx["round"].name),
                safe_cell(result.rule.name),
                _("yes") if result.certified else _("no"),
                safe_cell(" ".join(str(line) for line in row["missing"])),
            ]
        )
    return response


def rule_new(request):
    request.access.require(request.access.can_manage_certification)
    form = RuleForm(request.POST or None, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        certification.add_rule(organizer=request.organizer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The certification rule is saved; the units meeting it are listed below."))
        return redirect("certification", request.organizer.slug)
    return render(request, "goals/certification/rule_form.html", {"form": form, "title": _("New certification rule")})


def _rule(request, rule_id):
    request.access.require(request.access.can_manage_certification)
    return get_object_or_404(CertificationRule, organizer=request.organizer, pk=rule_id)


def rule_edit(request, rule_id):
    rule = _rule(request, rule_id)
    form = RuleForm(request.POST or None, instance=rule, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        certification.change_rule(rule=rule, by=request.user, **form.cleaned_data)
        messages.success(request, _("The certification rule is saved."))
        return redirect("certification", request.organizer.slug)
    return render(
        request,
        "goals/certification/rule_form.html",
        {"form": form, "title": _("Change the certification rule"), "rule": rule},
    )


def rule_delete(request, rule_id):
    rule = _rule(request, rule_id)
    back = f"/{request.organizer.slug}/goals/certification/"
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            certification.delete_rule(rule=rule, by=request.user)
        except ProtectedError:
            messages.error(request, _("A goal counts the units certified under this rule; change or delete it first."))
            return redirect("certification", request.organizer.slug)
        messages.success(request, _("The certification rule is deleted."))
        return redirect("certification", request.organizer.slug)
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Delete the certification rule “%(name)s”?") % {"name": rule.name},
            "consequences": [_("The rule and the certifications computed from it are deleted.")],
            "action": request.path,
            "fields": {},
            "submit_label": _("Delete the rule"),
            "cancel_url": back,
            "danger": True,
        },
    )


# -- slots on lower rooms' pages (registered in apps.py) ----------------------------------------


def unit_panel(*, request, unit):
    """The unit page: the rules the unit meets in each started round it took part in."""
    organizer = request.organizer
    if not CertificationRule.objects.filter(organizer=organizer, active=True).exists():
        return ""
    # an assessor whose group has not published sees no levels of that round, nor what they lack
    withheld = rounds_withheld(request.access, unit)
    rounds = [
        r
        for r in Round.objects.filter(
            organizer=organizer, pk__in=RoundUnit.objects.filter(unit=unit).values("round_id")
        ).order_by("-opens_on")
        if not r.is_upcoming and r.pk not in withheld
    ]
    certification.ensure_fresh(organizer=organizer, rounds=rounds)
    results = list(
        Certification.objects.filter(organizer=organizer, unit=unit, round__in=rounds, rule__active=True)
        .select_related("rule", "round")
        .order_by("-round__opens_on", "rule__name")
    )
    rows = [
        {
            "result": r,
            "missing": [] if r.certified else certification.missing_text(r.rule, r.missing),
        }
        for r in results
    ]
    return render_to_string(
        "goals/certification/unit_panel.html",
        {"rows": rows, "unit": unit, "organizer": organizer, "can_read_list": request.access.can_read_certification},
        request=request,
    )


def grid_marks(*, request, organizer, round, unit_ids):
    """The grid: a mark after each unit certified in the round under a rule in use."""
    if round is None or not CertificationRule.objects.filter(organizer=organizer, active=True).exists():
        return {}, ""
    certification.ensure_fresh(organizer=organizer, rounds=[round])
    found = certification.certified_units(organizer=organizer, rnd=round)
    marks = {}
    for unit_id, rules in found.items():
        names = escape(", ".join(r.name for r in rules))
        marks[unit_id] = mark_safe(
            f' <span class="badge cert" title="{names}">&#10003;<span class="sr-only"> {escape(_("Certified"))}: {names}</span></span>'
        )
    legend = mark_safe(
        f'<li><span class="badge cert" aria-hidden="true">&#10003;</span> '
        f'<a href="/{organizer.slug}/goals/certification/?round={round.pk}">{escape(_("Certified"))}</a></li>'
    )
    return marks, legend
