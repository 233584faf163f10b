"""The answer pages, behind the token door (``/t/<token>/survey/``): no account, no JavaScript
needed, one screen per area, back and forth before sending; nothing is stored until the last
screen is sent (the answers of the other screens travel in the form as hidden fields).

CSRF: the token in the address is the secret that lets a form in, there is no session or
account behind it, and classroom computers may refuse cookies; so these views are exempt.
"""

import secrets

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from stegvis.core.i18n import ui_language
from stegvis.frameworks.models import SurveyQuestion, survey_group_name
from stegvis.organisations import door

from . import custom, domain
from .models import Survey


def _incomplete():
    return _("The form is incomplete. Open the survey's link again.")


def _link(request):
    return domain.link_of(request.token, organizer=request.organizer)


def _state_page(request, survey, state, *, status=200):
    return render(request, "surveys/answer_state.html", {"survey": survey, "state": state}, status=status)


def _bad(request, message):
    return render(request, "surveys/answer_bad.html", {"message": message}, status=400)


def _choices(question, lang):
    """(value, label) of a scale question, the highest step first, "don't know" last."""
    steps = question.scale.get("steps") or []
    found = [(n, _pick(step, lang)) for n, step in reversed(list(enumerate(steps, start=1)))]
    if question.scale.get("dont_know"):
        found.append((0, _pick(question.scale["dont_know"], lang)))
    return found


def _pick(texts, lang):
    return texts.get(lang) or texts.get("sv") or texts.get("en") or ""


def _screen_context(screens, step, answers, lang):
    screen = screens[step]
    shown = []
    for q in screen.questions:
        shown.append(
            {
                "id": q.pk,
                "name": f"q{q.pk}",
                "text": q.text_en if lang == "en" else q.text_sv,
                "is_text": q.kind == SurveyQuestion.Kind.TEXT,
                "choices": _choices(q, lang) if q.kind == SurveyQuestion.Kind.SCALE else [],
                "value": answers.get(q.pk),
            }
        )
    on_screen = {q.pk for q in screen.questions}
    hidden = [(f"q{qid}", value) for qid, value in answers.items() if qid not in on_screen]
    return {
        "step": step,
        "step_number": step + 1,
        "steps": len(screens),
        "area": screen.name_en if lang == "en" else screen.name_sv,
        "questions": shown,
        "hidden": hidden,
        "last": step == len(screens) - 1,
        "text_max": domain.TEXT_MAX,
    }


@csrf_exempt
@door.accepts(domain.PURPOSE)
def answer(request):
    """The survey: an introduction (GET), then one screen per area (POST), then the thank-you."""
    link = _link(request)
    if link is None:
        return _state_page(request, None, "gone", status=404)
    survey = link.survey
    now = timezone.now()
    lang = ui_language()
    framework = survey.round.framework
    context = {
        "survey": survey,
        "link": link,
        "group_name": survey_group_name(framework, survey.respondent_group, lang),
        "organizer": request.organizer,
    }
    state = survey.state_at(now)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if state != Survey.State.OPEN:
        return _state_page(request, survey, state, status=200 if request.method == "GET" else 409)
    if link.personal and link.used and request.method == "GET":
        return _state_page(request, survey, "used")
    screens = domain.questions(framework, survey.respondent_group)
    if not screens:
        return _state_page(request, survey, "gone", status=404)
    if request.method == "GET":
        context["submit_key"] = secrets.token_urlsafe(24)
        context["steps"] = len(screens)
        return render(request, "surveys/answer_intro.html", context)

    key = request.POST.get("key", "")
    if not domain.valid_submit_key(key):
        return _bad(request, _incomplete())
    try:
        answers = domain.parse_answers(screens, request.POST)
        step = int(request.POST.get("step", "-1"))
    except domain.BadAnswer as exc:
        return _bad(request, str(exc))
    except ValueError:
        return _bad(request, _incomplete())
    if not -1 <= step < len(screens):
        return _bad(request, _incomplete())
    go = request.POST.get("go", "next")
    context["submit_key"] = key
    if go == "send" and step == len(screens) - 1:
        if domain.slow_down(request.token.selector, now=now):
            context.update(_screen_context(screens, step, answers, lang), slowed=True)
            return render(request, "surveys/answer_screen.html", context, status=429)
        try:
            domain.submit(link=link, survey=survey, answers=answers, submit_key=key, screens=screens, now=now)
        except domain.LinkUsed:
            return _state_page(request, survey, "used", status=409)
        except domain.SurveyNotOpen:
            return _state_page(request, survey, Survey.State.CLOSED, status=409)
        return redirect(request.path + "thanks/")
    target = step - 1 if go == "back" else step + 1
    target = max(0, min(target, len(screens) - 1))
    context.update(_screen_context(screens, target, answers, lang))
    return render(request, "surveys/answer_screen.html", context)


@door.accepts(domain.PURPOSE)
def thanks(request):
    link = _link(request)
    return render(request, "surveys/answer_thanks.html", {"survey": link.survey if link else None})


answer.token_note_use = False
thanks.token_note_use = False


# -- surveys with questions of their own (custom.py) -------------------------------------------


def _custom_link(request):
    from .models import CustomLink

    return (
        CustomLink.objects.select_related("survey")
        .filter(organizer=request.organizer, access_token_id=request.token.pk)
        .first()
    )


@csrf_exempt
@door.accepts(custom.PURPOSE)
def custom_answer(request):
    """A survey with its own questions: one page of questions (GET), sent (POST), thank-you."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    link = _custom_link(request)
    if link is None:
        return _state_page(request, None, "gone", status=404)
    survey = link.survey
    now = timezone.now()
    state = survey.state_at(now)
    if state != Survey.State.OPEN:
        return _state_page(request, survey, state, status=200 if request.method == "GET" else 409)
    if link.used:
        return _state_page(request, survey, "used", status=200 if request.method == "GET" else 409)
    lang = ui_language()
    questions = list(survey.questions.order_by("order"))
    answers = {}
    if request.method == "POST":
        key = request.POST.get("key", "")
        if not domain.valid_submit_key(key):
            return _bad(request, _incomplete())
        try:
            answers = custom.parse_answers(questions, request.POST)
        except domain.BadAnswer as exc:
            return _bad(request, str(exc))
        if domain.slow_down(request.token.selector, now=now):
            slowed = True
        else:
            try:
                custom.submit(link=link, survey=survey, questions=questions, answers=answers, submit_key=key, now=now)
            except domain.LinkUsed:
                return _state_page(request, survey, "used", status=409)
            except domain.SurveyNotOpen:
                return _state_page(request, survey, Survey.State.CLOSED, status=409)
            return redirect(request.path + "thanks/")
    else:
        key, slowed = secrets.token_urlsafe(24), False
    shown = [
        {
            "name": f"q{q.pk}",
            "text": q.text,
            "is_text": q.kind == q.Kind.TEXT,
            "choices": _choices(q, lang) if q.kind == q.Kind.SCALE else [],
            "value": answers.get(q.pk),
        }
        for q in questions
    ]
    return render(
        request,
        "surveys/custom_answer.html",
        {"survey": survey, "questions": shown, "submit_key": key, "text_max": domain.TEXT_MAX, "slowed": slowed},
        status=429 if slowed else 200,
    )


@door.accepts(custom.PURPOSE)
def custom_thanks(request):
    link = _custom_link(request)
    return render(request, "surveys/answer_thanks.html", {"survey": link.survey if link else None})


custom_answer.token_note_use = False
custom_thanks.token_note_use = False
