from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.core.i18n import ui_language
from stegvis.core.models import history
from stegvis.cycles.models import Round
from stegvis.cycles.views import get_round
from stegvis.frameworks import outline
from stegvis.frameworks.models import Level, localized_text
from stegvis.organisations.models import Unit

from . import domain, status
from .forms import AnswerForm
from .models import Answer, Assessment

# -- fetch for the tenant or 404 -------------------------------------------------------------


PAGE_RELATED = ("unit", "round__framework", "published_by", "created_by", "group")


def get_assessment(request, assessment_id, capability="read", *, related=PAGE_RELATED):
    """The assessment, if it is this organiser's and the user sees its unit (else 404); with
    ``capability="assess"`` only for who may assess it in its perspective (else 403).
    ``related``: what is read with it (the pages show who created and published it)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(*related),
        organizer=request.organizer,
        pk=assessment_id,
    )
    access = request.access
    if capability == "assess" and access.can_assess(
        assessment.unit, perspective=assessment.perspective, group=assessment.group
    ):
        return assessment
    if not access.can_read_assessment(assessment, published_keys=lambda: published_keys(assessment)):
        # another perspective's draft, or one the reader may not see before publishing their own
        if access.can_read_perspectives(assessment.unit):
            raise PermissionDenied
        raise Http404
    if capability == "assess":
        raise PermissionDenied
    return assessment


def published_keys(assessment):
    """The perspective keys published for the assessment's unit and round."""
    from .comparison import published_keys as keys

    return keys(unit=assessment.unit, round=assessment.round)


# -- the rounds with their progress (managed in cycles) -----------------------------------


def round_list(request):
    """Every round with its state (upcoming, open, closed) and how many of its units published."""
    request.access.require(request.access.can_read_rounds)
    rounds = list(Round.objects.filter(organizer=request.organizer).select_related("framework"))
    counts = status.publication_counts(organizer=request.organizer, rounds=rounds)
    rows = [(r, counts[r.pk]) for r in rounds]
    return render(request, "assessments/round_list.html", {"rows": rows, "rounds": rounds})


# -- assessments -----------------------------------------------------------------------------


@require_POST
def assessment_start(request, unit_id, round_id):
    unit = get_object_or_404(Unit, organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit, "assess")
    rnd = get_round(request, round_id)
    try:
        draft, created = domain.start_assessment(unit=unit, round=rnd, by=request.user)
    except domain.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("unit", organizer_slug=request.organizer.slug, unit_id=unit.pk)
    if created and draft.version > 1:
        messages.info(request, _("Version %(n)s started from the published answers.") % {"n": draft.version})
    wanted = request.POST.get("indicator", "")
    if wanted.isdigit():  # "revise the level" on the comparison of perspectives: that indicator
        indicator = domain.applicable_indicators(framework=rnd.framework, unit=unit).filter(pk=int(wanted)).first()
        if indicator:
            url = reverse("assessment_area", args=[request.organizer.slug, draft.pk, indicator.area.key])
            return redirect(f"{url}#ind-{indicator.pk}")
    first_area = rnd.framework.areas.first()
    return redirect(
        "assessment_area", organizer_slug=request.organizer.slug, assessment_id=draft.pk, area_key=first_area.key
    )


def _areas_with_progress(indicators, answers):
    """Per area: its indicators to answer (optional ones are not counted) and how many are."""
    areas = []
    for ind in indicators:
        if not areas or areas[-1]["area"].pk != ind.area_id:
            areas.append({"area": ind.area, "total": 0, "answered": 0})
        if ind.optional:
            continue
        areas[-1]["total"] += 1
        if answers.get(ind.pk) and answers[ind.pk].is_answered:
            areas[-1]["answered"] += 1
    return areas


def _level_texts(indicators, unit, *, levels=None):
    """{indicator_id: [(number, label, name, text, css class), ...]} in the user's language and
    the unit's wording; ``levels`` ({indicator_id: [Level]}, ``outline.levels``) spares the query."""
    lang = ui_language()
    framework = indicators[0].framework if indicators else None
    preschool = unit.is_preschool_only
    names = {n: (label, name, css) for n, label, name, css in framework.levels(lang)} if framework else {}
    texts = {}
    if levels is None:
        rows = Level.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("indicator_id", "number")
    else:
        rows = [level for i in indicators for level in levels.get(i.pk, [])]
    for level in rows:
        label, name, css = names.get(level.number, (str(level.number), "", ""))
        texts.setdefault(level.indicator_id, []).append(
            (level.number, label, name, localized_text(level, "text", preschool=preschool, lang=lang), css)
        )
    return texts


def _context(request, assessment, *, indicators=None):
    if indicators is None:
        indicators = list(
            domain.applicable_indicators(framework=assessment.round.framework, unit=assessment.unit).select_related(
                "framework", "group"
            )
        )
    answers = {a.indicator_id: a for a in Answer.objects.filter(assessment=assessment).select_related("updated_by")}
    areas = _areas_with_progress(indicators, answers)
    answered = sum(a["answered"] for a in areas)
    total = sum(a["total"] for a in areas)
    versions = (
        Assessment.objects.filter(
            unit=assessment.unit, round=assessment.round, perspective=assessment.perspective, group=assessment.group_id
        )
        .select_related("published_by")
        .order_by("-version")
    )
    can_assess = request.access.can_assess(assessment.unit, perspective=assessment.perspective, group=assessment.group)
    editable = assessment.is_draft and assessment.round.is_open and can_assess
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "round": assessment.round,
        "indicators": indicators,
        "answers": answers,
        "areas": areas,
        "answered": answered,
        "total": total,
        "remaining": total - answered,
        "percent": round(100 * answered / total) if total else 0,
        "versions": versions,
        "editable": editable,
        "can_assess": can_assess,
        "has_optional": any(i.optional for i in indicators),
    }


def assessment_detail(request, assessment_id):
    assessment = get_assessment(request, assessment_id)
    ctx = _context(request, assessment)
    ctx["level_texts"] = _level_texts(ctx["indicators"], assessment.unit)
    ctx["history"] = history(organizer=request.organizer, obj=assessment)[:20]
    return render(request, "assessments/assessment_detail.html", ctx)


def assessment_area(request, assessment_id, area_key):
    assessment = get_assessment(request, assessment_id)
    return render(request, "assessments/assessment_area.html", _area_context(request, assessment, area_key))


def _area_context(request, assessment, area_key, *, kept=None):
    """The area page; ``kept`` replaces one indicator's block (a save that failed, with what
    the user had chosen and typed)."""
    ctx = _context(request, assessment)
    area = next((a["area"] for a in ctx["areas"] if a["area"].key == area_key), None)
    if area is None:
        raise Http404
    indicators = [i for i in ctx["indicators"] if i.area_id == area.pk]
    level_texts = _level_texts(indicators, assessment.unit)
    keys = [a["area"].key for a in ctx["areas"]]
    index = keys.index(area_key)
    blocks = []
    for ind in indicators:
        if kept is not None and kept["indicator"].pk == ind.pk:
            blocks.append(kept)
        else:
            blocks.append(_block(ind, ctx["answers"].get(ind.pk), level_texts.get(ind.pk, [])))
    ctx.update(
        {
            "area": area,
            "blocks": blocks,
            "previous_area": ctx["areas"][index - 1]["area"] if index > 0 else None,
            "next_area": ctx["areas"][index + 1]["area"] if index + 1 < len(keys) else None,
        }
    )
    return ctx


def _block(indicator, answer, levels, **extra):
    return {
        "indicator": indicator,
        "answer": answer,
        "levels": levels,
        "choice": "nr" if answer and answer.not_relevant else (answer.level if answer else None),
        **extra,
    }


def answer_save(request, assessment_id, indicator_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # The autosave's answer shows nobody's name but the answer's saver: the assessment without
    # its creator and publisher (two joins fewer to plan and read on every save).
    assessment = get_assessment(request, assessment_id, "assess", related=("unit", "round__framework", "group"))
    # The applicable indicators and their level texts come from the framework's per-process
    # outline (a loaded framework never changes): no query for them on an autosave.
    indicators = domain.applicable_indicator_list(framework=assessment.round.framework, unit=assessment.unit)
    indicator = next((ind for ind in indicators if ind.pk == indicator_id), None)
    if indicator is None:
        raise Http404
    form = AnswerForm(request.POST, level_count=assessment.round.framework.level_count)
    error = conflict = None
    saved = False
    if not form.is_valid():
        error = " ".join(e for errs in form.errors.values() for e in errs)
    else:
        choice = form.cleaned_data["choice"]
        try:
            domain.save_answer(
                assessment=assessment,
                indicator=indicator,
                level=choice if isinstance(choice, int) else None,
                not_relevant=choice == "nr",
                comment=form.cleaned_data["comment"],
                expected_revision=form.cleaned_data["revision"],
                by=request.user,
            )
            saved = True
        except domain.Conflict as exc:
            conflict = str(exc)
        except domain.AssessmentError as exc:
            error = str(exc)
    ctx = _context(request, assessment, indicators=indicators)
    answer = ctx["answers"].get(indicator.pk)
    level_texts = _level_texts([indicator], assessment.unit, levels=outline.levels(assessment.round.framework))
    block = _block(indicator, answer, level_texts.get(indicator.pk, []), saved=saved, error=error, conflict=conflict)
    if (error or conflict) and form.is_valid():
        # Keep what the user chose and typed so nothing is lost; the stored answer is shown
        # beside it, and saving again (with the stored revision) replaces it knowingly.
        choice = form.cleaned_data["choice"]
        block["choice"] = choice if choice != "" else None
        block["typed_comment"] = form.cleaned_data["comment"]
        block["current"] = answer if conflict else None
    elif error:
        block["typed_comment"] = request.POST.get("comment", "")[:4000]
    if not request.headers.get("HX-Request"):
        if error or conflict:
            # Without JavaScript: the area page again, with this indicator as the user left it.
            messages.error(
                request,
                _("Your answer to %(code)s was not saved; it is still in the form below.") % {"code": indicator.code},
            )
            area_ctx = _area_context(request, assessment, indicator.area.key, kept=block)
            return render(request, "assessments/assessment_area.html", area_ctx, status=409 if conflict else 400)
        messages.success(request, _("Saved."))
        url = reverse("assessment_area", args=[request.organizer.slug, assessment.pk, indicator.area.key])
        return redirect(f"{url}#ind-{indicator.pk}")
    last_area = bool(ctx["areas"]) and ctx["areas"][-1]["area"].pk == indicator.area_id
    ctx.update({"block": block, "oob": True, "last_area": last_area})
    # htmx swaps only 2xx answers; the outcome is in the fragment and in this header.
    response = render(request, "assessments/_answer_response.html", ctx)
    response["X-Stegvis-Outcome"] = "conflict" if conflict else ("error" if error else "saved")
    return response
