"""Behind the token door, no account needed (docs/reflection.md):

- ``/t/<start token>/reflection/start/``: the questionnaire, from a start link (per unit or
  organiser-wide); answering begins a private reflection and goes to its private link.
- ``/t/<private token>/reflection/``: the person's own result profile with suggestions of what
  to try next, beside last school year's; ``again/`` answers for this school year (or changes
  this year's answers); ``delete/`` deletes everything.

Nothing here reads or stores who the person is: no account (the door makes the user
anonymous), no IP address, no user agent; answers carry the day only.

CSRF: as for the surveys' answer pages, the token in the address is the secret that lets a form
in (a forged form from another site cannot know it), and the door's ``Referrer-Policy:
no-referrer`` makes browsers send ``Origin: null``, which Django's check refuses; so these
views are exempt and set no cookie.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from stegvis.core import charts, numbers
from stegvis.core.i18n import ui_language
from stegvis.organisations import door

from . import domain
from .forms import ReflectionForm
from .models import Reflection, StartLink, school_year, school_year_label


def _target(request, model):
    target = request.access.target
    if not isinstance(target, model):
        raise Http404
    return target


def _profile_path(request):
    """This private link's profile address (the token is in the path, not in the view's
    arguments: the door takes it)."""
    path = request.path
    return path[: path.index("/reflection/") + len("/reflection/")]


@csrf_exempt
@door.accepts(domain.START_PURPOSE)
def start(request):
    link = _target(request, StartLink)
    if not link.is_open:
        raise Http404
    questionnaire = link.questionnaire
    units = domain.units_to_choose(request.organizer) if link.unit_id is None else None
    lang = ui_language()
    form = ReflectionForm(request.POST or None, questionnaire=questionnaire, lang=lang, units=units)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data.get("unit") if units is not None else link.unit
        try:
            _reflection, token = domain.start_reflection(start_link=link, unit=unit, levels=form.levels())
        except domain.ReflectionError as exc:
            form.add_error(None, str(exc))
        else:
            response = redirect(reverse("reflection_profile", kwargs={"access_token": token}) + "?new=1")
            response.status_code = 303
            return response
    return render(
        request,
        "reflection/answer.html",
        {"form": form, "questionnaire": questionnaire, "unit": link.unit, "first": True},
        status=400 if form.errors else 200,
    )


@csrf_exempt
@door.accepts(domain.PRIVATE_PURPOSE)
def profile(request):
    reflection = _target(request, Reflection)
    questionnaire = reflection.questionnaire
    lang = ui_language()
    responses = list(reflection.responses.select_related("unit").order_by("-school_year"))
    this_year = school_year(timezone.localdate())
    latest = responses[0] if responses else None
    previous = responses[1] if len(responses) > 1 else None
    names = questionnaire.level_names(lang)
    rows = []
    for area in questionnaire.areas(lang):
        now = latest.levels.get(area["key"]) if latest else None
        before = previous.levels.get(area["key"]) if previous else None
        level = area["levels"][now - 1] if now else None
        rows.append(
            {
                "area": area,
                "now": now,
                "level": level,
                "before": before,
                "before_name": names[before - 1] if before else "",
                "change": (now - before) if now and before else None,
                "top": now == len(names),
            }
        )
    chart = None
    if latest:
        series = [charts.Series(label=school_year_label(latest.school_year), values=[r["now"] for r in rows])]
        if previous:
            series.append(
                charts.Series(
                    label=school_year_label(previous.school_year), values=[r["before"] for r in rows], style="previous"
                )
            )
        chart = charts.radar(
            title=_("My self-reflection per competence area"),
            axes=[r["area"]["name"] for r in rows],
            series=series,
            max_value=len(names),
            ring_labels=[str(n) for n in range(1, len(names) + 1)],
            value_format=lambda v: numbers.figure(v, 0),
        )
    ctx = {
        "questionnaire": questionnaire,
        "latest": latest,
        "previous": previous,
        "rows": rows,
        "chart": chart,
        "level_names": names,
        "latest_label": school_year_label(latest.school_year) if latest else "",
        "previous_label": school_year_label(previous.school_year) if previous else "",
        "answered_this_year": bool(latest and latest.school_year == this_year),
        "this_year_label": school_year_label(this_year),
        "private_url": request.build_absolute_uri(_profile_path(request)),
        "new": request.GET.get("new") == "1",
    }
    return render(request, "reflection/profile.html", ctx)


@csrf_exempt
@door.accepts(domain.PRIVATE_PURPOSE)
def again(request):
    reflection = _target(request, Reflection)
    questionnaire = reflection.questionnaire
    latest = reflection.responses.select_related("unit").order_by("-school_year").first()
    this_year = school_year(timezone.localdate())
    initial = {}
    if latest:
        if latest.school_year == this_year:  # changing this year's answers: start from them
            initial = {f"area-{key}": level for key, level in latest.levels.items()}
        initial["unit"] = latest.unit_id
    form = ReflectionForm(
        request.POST or None,
        initial=initial,
        questionnaire=questionnaire,
        lang=ui_language(),
        units=domain.units_to_choose(request.organizer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.answer(reflection=reflection, unit=form.cleaned_data.get("unit"), levels=form.levels())
        except domain.ReflectionError as exc:
            form.add_error(None, str(exc))
        else:
            response = redirect(_profile_path(request))
            response.status_code = 303
            return response
    return render(
        request,
        "reflection/answer.html",
        {
            "form": form,
            "questionnaire": questionnaire,
            "first": False,
            "changing": bool(latest and latest.school_year == this_year),
            "this_year_label": school_year_label(this_year),
            "profile_path": _profile_path(request),
        },
        status=400 if form.errors else 200,
    )


@csrf_exempt
@door.accepts(domain.PRIVATE_PURPOSE)
def delete(request):
    reflection = _target(request, Reflection)
    if request.method == "POST":
        domain.delete_reflection(reflection=reflection, access_token=request.token)
        return render(request, "reflection/deleted.html")
    return render(request, "reflection/delete.html", {"profile_path": _profile_path(request)})


# The door keeps no time of use for these links (organisations.middleware): a private link's
# last use would say when someone looked at their own reflection.
for _view in (start, profile, again, delete):
    _view.token_note_use = False
