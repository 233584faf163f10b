"""The demo's calendar: the open round's closing day, survey window and follow-up dates, the
closed rounds' last days, and the organiser's own events in the year wheel (docs/calendar.md).
Built through ``cycles.domain`` and ``calendar.domain`` like everything in the demo."""

import datetime

from stegvis.calendar import domain as calendar
from stegvis.cycles import domain as cycles
from stegvis.cycles.models import Round
from stegvis.organisations.models import District

# (days after the school year starts on 1 August, title, district or None, start, end, place)
OWN_EVENTS = [
    (24, "Uppstartsdag för rektorer: läsårets digitaliseringsarbete", None, "08:30", "12:00", "Stadshuset, sal Ängen"),
    (75, "Kvalitetsdialog med nämnden", None, "13:00", "15:00", "Stadshuset, nämndsalen"),
    (95, "Rektorsmöte Norra: handlingsplanerna", "Norra", "14:00", "16:00", "Ekbackens skola"),
    (102, "Rektorsmöte Södra: handlingsplanerna", "Södra", "14:00", "16:00", "Solhagaskolan"),
    (130, "Studiedag: AI i undervisningen", None, None, None, ""),
    (200, "Kvalitetsdialog med nämnden", None, "13:00", "15:00", "Stadshuset, nämndsalen"),
    (230, "Nätverksträff Centrum: digitala verktyg i förskolan", "Centrum", "15:00", "16:30", ""),
    (290, "Rapport till nämnden: digital mognad", None, None, None, ""),
]


def build(*, organizer, by):
    """Give the demo's rounds their dates and the year wheel its events.

    Side effects: rounds changed (closing day, survey window), follow-up dates, own events,
    their audit events.
    """
    for rnd in Round.objects.filter(organizer=organizer).order_by("opens_on"):
        start = datetime.date(rnd.opens_on.year, 8, 1)
        closes_on = rnd.closes_on or datetime.date(start.year + 1, 6, 15)
        deadline = rnd.deadline or rnd.opens_on + datetime.timedelta(weeks=14)
        # the survey window: the four weeks before the deadline (inside the round)
        survey_opens = max(rnd.opens_on, deadline - datetime.timedelta(weeks=4))
        survey_closes = max(survey_opens, deadline - datetime.timedelta(days=7))
        cycles.change_round(
            round=rnd, by=by, closes_on=closes_on, survey_opens_on=survey_opens, survey_closes_on=survey_closes
        )
        for day, title in (
            (datetime.date(start.year + 1, 1, 27), "Halvårsuppföljning av handlingsplanerna"),
            (datetime.date(start.year + 1, 5, 19), "Uppföljning inför läsårets slut"),
        ):
            if rnd.opens_on <= day <= closes_on:
                cycles.add_follow_up(round=rnd, date=day, title=title, by=by)
    current = Round.objects.filter(organizer=organizer, status=Round.Status.OPEN).order_by("-opens_on").first()
    if current is None:
        return
    start = datetime.date(current.opens_on.year, 8, 1)
    districts = {d.name: d for d in District.objects.filter(organizer=organizer)}
    for days, title, district, begins, ends, place in OWN_EVENTS:
        calendar.add_event(
            organizer=organizer,
            by=by,
            title=title,
            district=districts.get(district) if district else None,
            starts_on=start + datetime.timedelta(days=days),
            starts_at=datetime.time.fromisoformat(begins) if begins else None,
            ends_at=datetime.time.fromisoformat(ends) if ends else None,
            location=place,
        )
