"""The demo's network (docs/networks.md): "IKT-nätverket grundskola", the compulsory schools'
IT educators and a few principals, with two coordinators; two past meetings with attendance,
published minutes and action items (one done, one open and overdue, one due soon), one upcoming
meeting with its agenda, and a shared file. Built through ``networks.domain``."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stegvis.core import schoolforms
from stegvis.core.pdf import render_pdf
from stegvis.networks import domain
from stegvis.networks.models import ActionItem, Attendance, Comment, Meeting, MeetingFile

NAME = "IKT-nätverket grundskola"
AGENDA = [
    "Välkommen och incheckning",
    "Sedan sist: uppföljning av åtgärdspunkter",
    "Dagens tema",
    "Erfarenhetsutbyte: exempel från skolorna",
    "Till nästa gång",
]
# (days from today, theme, area position in the framework, place, video link)
MEETINGS = [
    (-63, "Digitala verktyg för formativ bedömning", 3, "Centralskolan, personalrummet", ""),
    (-21, "Skärmtid, studiero och mobilfria lektioner", 1, "", "https://meet.mittkoping.se/ikt-natverket"),
    (16, "AI i undervisningen: vad får eleverna göra?", 2, "Stadshuset, sal Ängen", ""),
]
MINUTES = [
    """# Incheckning
Åtta av tio skolor var representerade. Alla har nu tillgång till den gemensamma lärplattformen.

# Dagens tema
Vi gick igenom hur exit tickets i formulärverktyget kan ge läraren en snabb bild av klassen.
- Centralskolan använder det i matematik i årskurs 4–6
- Västerskolan testar det i svenska och vill dela mallar
**Slutsats:** vi samlar mallarna i nätverkets mapp före nästa träff.

# Till nästa gång
Ta med ett exempel från din skola på hur eleverna får återkoppling digitalt.""",
    """# Sedan sist
Mallarna för exit tickets är delade; tre skolor har börjat använda dem.

# Dagens tema
Samtal om mobilfria lektioner och hur skolorna arbetar med studiero.
- Flera skolor har mobilförvaring i klassrummet
- Behov av gemensamma riktlinjer för skärmtid i fritidshemmet
**Förslag:** en arbetsgrupp tar fram ett underlag till rektorsmötet.""",
]
ITEMS = [
    (0, "Samla mallarna för exit tickets i nätverkets mapp", -40, ActionItem.Status.DONE),
    (1, "Ta fram underlag om skärmtid till rektorsmötet", -3, ActionItem.Status.OPEN),
    (1, "Boka gästföreläsare om AI och bedömning", 5, ActionItem.Status.OPEN),
]


def build(builder):
    """Add the network to the demo built by ``builder`` (its organiser, admin, people, today).

    Side effects: a Network with members, three Meetings with agendas, attendance, minutes,
    action items, a comment and a shared PDF under MEDIA_ROOT/networks/, their audit events.
    """
    org, admin, today = builder.org, builder.admin, builder.today
    rng = random.Random(11)
    grundskola = schoolforms.to_mask(["grundskola"])
    compulsory = [s for s in builder.states if grundskola & s.unit.school_forms]
    educators = []
    for state in compulsory:
        for person in state.contributors:
            if person not in educators:
                educators.append(person)
    # the IT educator of Centralskolan (a README login) coordinates, with the next one
    first = [s for s in compulsory if s.unit.name == "Centralskolan F-6"]
    if first and first[0].contributors and first[0].contributors[0] in educators:
        educators.remove(first[0].contributors[0])
        educators.insert(0, first[0].contributors[0])
    principals = [s.principal for s in compulsory[:3]]
    if len(educators) < 2:
        return None
    network = domain.create_network(
        organizer=org,
        by=admin,
        name=NAME,
        description="Grundskolornas IKT-pedagoger och några rektorer träffas två gånger per termin och lär av varandra.",
        default_agenda="\n".join(AGENDA),
    )
    coordinators = educators[:2]
    for person in coordinators:
        domain.add_member(network=network, user=person, coordinator=True, by=admin)
    for person in educators[2:] + [p for p in principals if p not in educators]:
        domain.add_member(network=network, user=person, by=coordinators[0])
    people = coordinators + educators[2:] + [p for p in principals if p not in educators]
    areas = list(builder.framework.areas.order_by("order"))
    meetings = []
    for days, theme, area_at, place, link in MEETINGS:
        meeting = domain.create_meeting(
            network=network,
            by=coordinators[0],
            date=today + datetime.timedelta(days=days),
            starts_at=datetime.time(14, 30),
            ends_at=datetime.time(16, 0),
            theme=theme,
            area=areas[min(area_at, len(areas) - 1)] if areas else None,
            place=place,
            video_link=link,
        )
        meetings.append(meeting)
    for meeting, text in zip(meetings[:2], MINUTES, strict=False):
        statuses = {p.pk: ("apology" if rng.random() < 0.2 else "present") for p in people}
        statuses[coordinators[0].pk] = Attendance.Status.PRESENT
        domain.record_attendance(meeting=meeting, statuses=statuses, by=coordinators[0])
        domain.save_minutes(meeting=meeting, text=text, by=coordinators[1], publish=True)
        published = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(17, 30)))
        Meeting.objects.filter(pk=meeting.pk).update(minutes_published_at=min(published, timezone.now()))
    for at, title, due_in, status in ITEMS:
        item = domain.add_action_item(
            meeting=meetings[at],
            title=title,
            owner=people[(at + len(title)) % len(people)],
            due_date=today + datetime.timedelta(days=due_in),
            by=coordinators[0],
        )
        if status != ActionItem.Status.OPEN:
            domain.change_action_item(item=item, by=coordinators[0], status=status)
    comment = domain.add_comment(
        meeting=meetings[1],
        text="Tack för en bra träff! Vi på Västerskolan delar gärna vår lista över mobilfria rutiner.",
        by=people[-1],
    )
    written = timezone.make_aware(datetime.datetime.combine(meetings[1].date, datetime.time(18, 5)))
    Comment.objects.filter(pk=comment.pk).update(created_at=min(written, timezone.now()))
    meetings[0].refresh_from_db()
    pdf = render_pdf(
        template="networks/minutes_pdf.html",
        context={"meeting": meetings[0], "organizer": org, "agenda": list(meetings[0].agenda.all())},
    )
    domain.add_file(
        meeting=meetings[0],
        upload=SimpleUploadedFile("Minnesanteckningar formativ bedömning.pdf", pdf, content_type="application/pdf"),
        by=coordinators[1],
    )
    return network


def delete(organizer):
    """Remove the demo's shared files from MEDIA_ROOT (the rows go with the organiser)."""
    for meeting_file in MeetingFile.objects.filter(organizer=organizer):
        meeting_file.file.delete(save=False)
