"""Demo content for several perspectives on one unit (docs/perspectives.md).

Called once per round by the builder (``Builder.play``) while the round is still open:

- the IT educators' assessments the builder made get their assessor group (the educator);
- from the second round on, some units have a work team ("Arbetslag 4-6") and a leadership
  group assess too, through the real flow: the principal invites by e-mail, the invitation is
  accepted, the group assesses and publishes. Their levels differ from the principal's by a
  step here and there and by two steps on a few indicators, so the comparison has gaps;
- in the open round one work team is still in draft, the principal and the assessors have written discussion notes on some gaps, and the round
  expects the IT educators' and the work teams' perspectives.

Uses its own random generator, so the rest of the demo stays as it was.
"""

import datetime
import random
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from stegvis.assessments import comparison, perspectives
from stegvis.assessments import domain as assessments
from stegvis.assessments.models import Assessment, DiscussionNote, Perspective
from stegvis.core import mail
from stegvis.core.models import SentMail
from stegvis.cycles.models import Round
from stegvis.organisations import domain as organisations

from .data import FIRST_NAMES, LAST_NAMES

TEAMS_F6 = ["Arbetslag F-3", "Arbetslag 4-6"]
TEAMS_UPPER = ["Arbetslag 7-9"]
TEAM_NOTES = [
    "Vi i arbetslaget upplever att det här sker i enstaka klassrum, inte på hela skolan.",
    "Vi ser steg 1 här: det finns ingen gemensam planering för det ännu.",
    "Det här stämmer för mellanstadiet men inte för lågstadiet.",
    "Vi behöver mer tid på APT för att komma vidare här.",
]
PRINCIPAL_NOTES = [
    "Bra att det kom fram. Vi tar det på nästa APT och ser över nivån.",
    "Jag har utgått från ledningsgruppens bild; arbetslagets erfarenhet väger tungt.",
    "Vi lägger in en aktivitet i handlingsplanen för detta.",
]


def play(builder, rnd, published, *, first, current):
    """Add the round's perspectives (see the module docstring). ``published``: the builder's
    [(state, plan, publication day)] of the round; ``current``: the round stays open."""
    rng = random.Random(f"perspectives:{rnd.name}")  # the same demo after a reset
    password = make_password("stegvis-demo")
    _group_it_educators(builder, rnd)
    if first or not published:
        return
    is_current = current
    candidates = [p for p in published if _teams_for(p[0].unit)]
    chosen = rng.sample(candidates, min(len(candidates), 5 if is_current else 3))
    counts = {"teams": 0, "leadership": 0, "notes": 0}
    for n, (state, _plan, pub_day) in enumerate(chosen):
        teams = _teams_for(state.unit)
        names = teams[:2] if n < 2 else teams[:1]
        for m, name in enumerate(names):
            draft_only = is_current and n == len(chosen) - 1 and m == 0
            day = min(pub_day + datetime.timedelta(days=rng.randint(3, 25)), builder.today)
            _assess(builder, rng, rnd, state, Perspective.WORK_TEAM, name, day, password, publish=not draft_only)
            counts["teams"] += 1
        if n % 2 == 0:
            day = min(pub_day + datetime.timedelta(days=rng.randint(1, 15)), builder.today)
            _assess(builder, rng, rnd, state, Perspective.LEADERSHIP_GROUP, "", day, password, publish=True)
            counts["leadership"] += 1
        if is_current and n < 3:
            counts["notes"] += _discuss(builder, rng, rnd, state)
    if is_current:
        Round.objects.filter(pk=rnd.pk).update(expected_perspectives=[Perspective.IT_EDUCATOR, Perspective.WORK_TEAM])
    _write(
        builder.stdout,
        f"{rnd.name}, other perspectives: {counts['teams']} work teams, {counts['leadership']} leadership groups, "
        f"{counts['notes']} discussion notes",
    )


def _write(stdout, text):
    if stdout is not None:
        stdout.write(text + "\n")


def _moment(builder, rng, day):
    """A time on the working day ``day``, never later than now (the builder's own generator
    stays untouched)."""
    when = datetime.datetime.combine(day, datetime.time(rng.randint(7, 16), rng.randint(0, 59)), builder.tz)
    return min(when, builder.now)


def _teams_for(unit):
    name = unit.name
    if "F-6" in name or "F-9" in name:
        return TEAMS_F6 + (TEAMS_UPPER if "F-9" in name else [])
    if "7-9" in name or "4-9" in name:
        return TEAMS_UPPER
    return []


def _group_it_educators(builder, rnd):
    """The builder's IT-educator assessments of the round get their group (the educator)."""
    for a in Assessment.objects.filter(
        organizer=builder.org, round=rnd, perspective=Perspective.IT_EDUCATOR, group=None
    ).select_related("unit", "created_by"):
        group = perspectives.create_group(unit=a.unit, round=rnd, perspective=Perspective.IT_EDUCATOR, by=a.created_by)
        if not group.assessors.exists():
            perspectives.add_assessor(group=group, user=a.created_by, by=a.created_by)
        Assessment.objects.filter(pk=a.pk).update(group=group)


def _free_email(rng):
    User = get_user_model()
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_fold(first)}.{_fold(last)}@mittkoping.se"
        if not User.objects.filter(email=email).exists():
            return email


def _fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isascii() and c.isalpha())


def _name_of(email):
    first, last = email.split("@")[0].split(".")
    return f"{first.title()} {last.title()}"


def _record_mails(builder):
    """The invitation mails count as sent (demo addresses are not real)."""
    for queued in SentMail.objects.filter(organizer=builder.org, kind="invitation", sent_at__isnull=True):
        mail.record_as_sent(mail_id=queued.pk, at=builder.now)


def _member(builder, rng, group, when, password):
    """An assessor invited by e-mail by the principal, who accepted the invitation."""
    email = _free_email(rng)
    with builder.on(when):
        assessor = perspectives.add_assessor(group=group, email=email, full_name=_name_of(email), by=group.created_by)
        user = organisations.accept_invitation(invitation=assessor.invitation, full_name=_name_of(email))
    get_user_model().objects.filter(pk=user.pk).update(password=password)
    _record_mails(builder)
    return user


def _assess(builder, rng, rnd, state, perspective, name, day, password, *, publish):
    started = _moment(builder, rng, day - datetime.timedelta(days=rng.randint(2, 8)))
    group = perspectives.create_group(
        unit=state.unit, round=rnd, perspective=perspective, name=name, by=state.principal
    )
    members = [_member(builder, rng, group, started - datetime.timedelta(days=3), password)]
    if rng.random() < 0.5:
        members.append(_member(builder, rng, group, started - datetime.timedelta(days=2), password))
    top = builder.level_count
    gaps = set(rng.sample(sorted(state.levels), min(2, len(state.levels))))
    levels = {}
    for ind_id, level in state.levels.items():
        step = (-2 if level > 2 else 2) if ind_id in gaps else rng.choice([-1, -1, 0, 0, 0, 0, 1])
        levels[ind_id] = max(1, min(top, level + step))
    with builder.on(started):
        draft, _created = assessments.start_assessment(unit=state.unit, round=rnd, group=group, by=members[0])
        builder.answer(draft, state, levels, share=1.0 if publish else 0.6)
    finished = _moment(builder, rng, day)
    if publish:
        with builder.on(finished):
            assessments.publish_assessment(assessment=draft, by=members[-1])
    builder.backdate_assessment(draft, started, finished, publish)
    return group


def _discuss(builder, rng, rnd, state):
    """Notes on the indicators where the perspectives differ most."""
    comp = comparison.compare(unit=state.unit, round=rnd, notes=False)
    marked = [row for row in comp.rows if row.marked][:2]
    assessors = list(
        get_user_model().objects.filter(
            pk__in=Assessment.objects.filter(
                unit=state.unit, round=rnd, group__perspective=Perspective.WORK_TEAM
            ).values("created_by")
        )
    )
    written = 0
    for n, row in enumerate(marked):
        when = builder.now - datetime.timedelta(days=6 - 2 * n)
        if assessors:
            with builder.on(when):
                note = perspectives.add_note(
                    unit=state.unit, round=rnd, indicator=row.indicator, text=rng.choice(TEAM_NOTES), by=assessors[0]
                )
            DiscussionNote.objects.filter(pk=note.pk).update(created_at=when)
            written += 1
        later = min(when + datetime.timedelta(hours=20), builder.now)
        with builder.on(later):
            note = perspectives.add_note(
                unit=state.unit,
                round=rnd,
                indicator=row.indicator,
                text=rng.choice(PRINCIPAL_NOTES),
                by=state.principal,
            )
        DiscussionNote.objects.filter(pk=note.pk).update(created_at=later)
        written += 1
    return written
