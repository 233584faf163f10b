"""Demo competence development (issue 11, docs/development.md): a past initiative, "Ledarskap i
digital skolutveckling" (twelve tracks, each participant chose two), with the principals
enrolled, its evaluation answered by enough of them to pass the thresholds, two actions in units'
plans linked to it, a meeting that spread it and the organiser's measurable goal on K2 linked to
it; and one initiative open for enrolment.

Built through ``development.domain`` (and the evaluation answered through ``surveys.custom.submit``,
as the answer page does), with its own ``random.Random`` so it stays independent of the rest.
"""

import datetime
import random
import secrets

from django.utils import timezone

from stegvis.development import domain
from stegvis.frameworks.models import Indicator
from stegvis.goals import domain as goals_domain
from stegvis.goals.models import Goal
from stegvis.planning.models import Action
from stegvis.surveys import custom
from stegvis.surveys.models import CustomLink

TRACKS = [
    "Att leda digital förändring",
    "AI i skolan: möjligheter och risker",
    "Pedagogisk digital kompetens i kollegiet",
    "Systematiskt kvalitetsarbete med digitala verktyg",
    "Informationssäkerhet för skolledare",
    "Digital tillgänglighet och extra anpassningar",
    "Att leda kollegialt lärande",
    "Lärplattformen som ledningsverktyg",
    "Källkritik och digitalt medborgarskap",
    "Programmering i undervisningen",
    "Upphandling och inköp av digitala lärresurser",
    "Vårdnadshavare och digital kommunikation",
]
GOALS = [
    ("Rektorerna kan leda det digitala utvecklingsarbetet på sin enhet", "Utvärderingen och nästa självvärdering"),
    ("Varje enhet har en plan för personalens digitala kompetens", "Enheternas handlingsplaner"),
    ("Rektorerna delar erfarenheter med varandra", "Utvärderingen och nätverksträffarna"),
]
COMMENTS = [
    "Spåret om AI gav mig konkreta frågor att ta upp på arbetsplatsträffen.",
    "Bra att träffa rektorer från andra områden och höra hur de gjort.",
    "Mer tid för att omsätta det vi lärde oss i den egna verksamheten.",
    "Det kollegiala lärandet har vi redan börjat med i arbetslagen.",
    "Tydligare koppling till självvärderingen hade varit bra.",
    "Föreläsningarna var bra, men workshopparna gav mest.",
    "Vi har tagit fram en kompetensplan för personalen tack vare insatsen.",
    "Jag saknade uppföljning mellan träffarna.",
    "Informationssäkerheten var ögonöppnande.",
    "Hoppas på en fortsättning nästa läsår.",
    "Lagom tempo och bra material.",
    "Bra blandning av teori och praktik.",
]


def _indicators(framework, area_order, count):
    return list(Indicator.objects.filter(framework=framework, area__order=area_order).order_by("order")[:count])


def build(builder):
    """Add competence development to the demo organiser built by ``builder`` (its org, admin,
    framework, today). Side effects: two Initiatives with goals, tracks, enrolments and track
    choices; an evaluation (a custom survey, its links, mails and responses); linked actions, a
    spreading meeting."""
    rng = random.Random(11)
    org, admin, today = builder.org, builder.admin, builder.today
    principals = list(dict.fromkeys(state.principal for state in builder.states))
    staff = list(dict.fromkeys(c for state in builder.states for c in state.contributors))
    year = today.year if today.month >= 8 else today.year - 1  # this school year's autumn

    # -- the past initiative: autumn last school year, evaluated in the spring ----------------
    start = datetime.date(year - 1, 9, 1)
    past = domain.create_initiative(
        organizer=org,
        by=admin,
        fields={
            "title": "Ledarskap i digital skolutveckling",
            "purpose": (
                "Stärka rektorernas förmåga att leda det digitala utvecklingsarbetet, så att varje enhet "
                "arbetar systematiskt med digitalisering utifrån självvärderingen."
            ),
            "target_roles": ["principal"],
            "budget": 450000,
            "starts_on": start,
            "ends_on": datetime.date(year, 4, 30),
            "status": "finished",
            "choose_at_most": 2,
        },
        relations={"indicators": _indicators(builder.framework, 1, 2), "areas": []},
    )
    for text, check in GOALS:
        domain.add_goal(initiative=past, text=text, check=check, by=admin)
    tracks = []
    for n, title in enumerate(TRACKS):
        day = start + datetime.timedelta(days=14 + 14 * n)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 0)))
        tracks.append(
            domain.add_track(
                initiative=past,
                by=admin,
                title=title,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                place="Stadshuset, sal Ekorren" if n % 3 else "",
                video_link="https://meet.example.se/ledarskap" if n % 3 == 0 else "",
                capacity=8,
            )
        )
    participants = principals[:24]
    for user in participants:
        enrolment, _created = domain.enrol(initiative=past, user=user, by=admin)
        free = [t for t in tracks if t.choices.count() < t.capacity]
        domain.choose_tracks(enrolment=enrolment, tracks=rng.sample(free, 2), by=user)

    # the evaluation: opened after the last session, answered by most of the participants
    opened = timezone.make_aware(datetime.datetime.combine(datetime.date(year, 5, 2), datetime.time(8, 0)))
    survey = domain.open_evaluation(
        initiative=past, closes_at=opened + datetime.timedelta(days=14), by=admin, now=opened
    )
    questions = list(survey.questions.order_by("order"))
    links = list(CustomLink.objects.filter(survey=survey).order_by("pk"))
    answering = links[: max(12, round(len(links) * 0.75))]
    for n, link in enumerate(answering):
        answers = {}
        for q in questions:
            if q.kind == "scale":
                answers[q.pk] = rng.choices([1, 2, 3, 4, 0], weights=[1, 3, 6, 4, 1])[0]
            elif n < len(COMMENTS):
                answers[q.pk] = COMMENTS[n]
        custom.submit(
            link=link,
            survey=survey,
            questions=questions,
            answers=answers,
            submit_key=secrets.token_urlsafe(24),
            now=opened + datetime.timedelta(days=1 + n % 10),
        )
    domain.close_evaluation(initiative=past, by=admin)
    # its measurable goal from the goals room: the organiser's goal on K2 (a plan for the staff's
    # competence development), followed up from the assessments (docs/development.md)
    k2_goal = (
        Goal.objects.filter(organizer=org, scope=Goal.Scope.ORGANIZER, indicator_code="K2", parent__isnull=True)
        .order_by("pk")
        .first()
    )
    if k2_goal is not None:
        goals_domain.link_initiative(goal=k2_goal, initiative=past, by=admin)

    # what followed: actions in two participating units' plans, a meeting that spread it
    actions = list(Action.objects.filter(organizer=org, plan__unit__isnull=False).order_by("pk")[:2])
    for action in actions:
        domain.link_action(initiative=past, action=action, by=admin)
    domain.add_spread_meeting(
        initiative=past,
        date=datetime.date(year, 6, 10),
        note="Rektorsmötet: tre rektorer berättade om sina kompetensplaner; materialet ligger i gemensamma mappen.",
        by=admin,
    )

    # -- the open initiative: for teachers and IT educators this autumn -------------------------
    open_start = max(today + datetime.timedelta(days=21), datetime.date(year, 9, 1))
    current = domain.create_initiative(
        organizer=org,
        by=admin,
        fields={
            "title": "Programmering och AI i undervisningen",
            "purpose": "Ge lärare verktyg att undervisa om programmering och AI enligt läroplanen.",
            "target_roles": ["contributor", "principal"],
            "budget": 180000,
            "starts_on": open_start,
            "ends_on": open_start + datetime.timedelta(days=90),
            "status": "open",
            "choose_at_most": 1,
        },
        relations={"indicators": _indicators(builder.framework, 4, 1) or _indicators(builder.framework, 1, 1)},
    )
    domain.add_goal(
        initiative=current,
        text="Lärarna planerar minst ett arbetsområde med programmering",
        check="Utvärderingen och lokala planer",
        by=admin,
    )
    for n, title in enumerate(["Programmering F-3", "Programmering 4-6", "Programmering 7-9", "AI i klassrummet"]):
        day = open_start + datetime.timedelta(days=7 * n)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))
        domain.add_track(
            initiative=current,
            by=admin,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Ekskolans aula" if n % 2 else "",
            video_link="" if n % 2 else "https://meet.example.se/programmering",
            capacity=25,
        )
    for user in staff[:6]:
        domain.enrol(initiative=current, user=user, by=user)
    return past
