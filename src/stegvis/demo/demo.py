"""The demo organiser "Mittköpings kommun": districts, units, people and three school years.

``build_demo`` creates it through the same domain functions the product uses (open a round,
answer, publish, plan, follow up, close), so action plans, carry-over and the audit trail look
the way they do in real life. It is deterministic for a given seed and date, and does nothing
when the organiser already exists. Timestamps are moved back to plausible dates afterwards,
so the history pages read like a real school year and not like one afternoon.

Side effects of ``build_demo``: an Organizer with districts, units, users and memberships,
three rounds with assessments, answers, action plans, actions, notes and audit events, and three
invitations not yet accepted (waiting, expired, bounced) with their recorded mails.
"""

import datetime
import random
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from stegvis.assessments import domain as assessments
from stegvis.assessments.models import Assessment, Perspective
from stegvis.core import mail, schoolforms
from stegvis.core.models import AuditEvent, SentMail
from stegvis.cycles import domain as cycles
from stegvis.cycles.models import Round
from stegvis.demo import api as api_demo
from stegvis.frameworks.models import Framework, localized_text
from stegvis.goals.models import Goal
from stegvis.organisations import domain as organisations
from stegvis.organisations.models import District, Invitation, Membership, Organizer, Role, Unit
from stegvis.overview import readmodel
from stegvis.planning import domain as planning
from stegvis.planning.models import Action, ActionPlan, Note

from . import calendar as demo_calendar
from . import development as demo_development
from . import goals as demo_goals
from . import library as demo_library
from . import networks as demo_networks
from . import notifications as demo_notifications
from . import perspectives
from . import plans as demo_plans
from . import reflection as reflection_demo
from . import sso as demo_sso
from . import whatworks as demo_whatworks
from .data import (
    ANSWER_COMMENTS,
    DISTRICTS,
    FIRST_NAMES,
    FIXED_PEOPLE,
    GY,
    IT_EDUCATORS,
    LAST_NAMES,
    NOT_RELEVANT_COMMENTS,
    NOTES_DELAYED,
    NOTES_DONE,
    NOTES_DROPPED,
    NOTES_STARTED,
    OWN_ACTIONS,
    OWN_ACTIONS_PRESCHOOL,
    OWNERS,
    OWNERS_PRESCHOOL,
    OWNERS_UPPER,
    UNITS,
    VERSION_2_COMMENTS,
    VUX,
    round_plans,
)
from .surveys import build_surveys

DEMO_NAME = "Mittköpings kommun"
DEMO_SLUG = "mittkoping"
DEMO_PASSWORD = "stegvis-demo"
EMAIL_DOMAIN = "mittkoping.se"
FRAMEWORK_KEY = "stegvis"


class DemoError(Exception):
    """The demo cannot be built; ``str(error)`` says what to do."""


# --- helpers ----------------------------------------------------------------------------------


def ascii_fold(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")


def natural_version(version):
    """Sort key: "2026.10" after "2026.9"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.replace("-", ".").split("."))


def demo_framework():
    """The newest loaded version of the shared Stegvis framework; DemoError when none is."""
    candidates = list(Framework.objects.filter(organizer__isnull=True, key=FRAMEWORK_KEY))
    if not candidates:
        raise DemoError(f"No framework with key '{FRAMEWORK_KEY}' is loaded: run load_framework first.")
    return max(candidates, key=lambda fw: (natural_version(fw.version), fw.pk))


def _write(stdout, text=""):
    if stdout is not None:
        stdout.write(text + "\n")


@dataclass(eq=False)
class UnitState:
    unit: Unit
    principal: object
    contributors: list
    diligence: float  # how keen the unit is to publish on time
    baseline: float
    growth: float
    not_relevant: set = field(default_factory=set)
    levels: dict = field(default_factory=dict)  # indicator id -> level
    worked_on: set = field(default_factory=set)  # indicator ids with a done action last round


class Builder:
    def __init__(self, *, seed, stdout, today):
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.today = today
        self.now = (
            timezone.now()
            if today == timezone.localdate()
            else datetime.datetime.combine(today, datetime.time(23, 59), timezone.get_default_timezone())
        )
        self.tz = timezone.get_default_timezone()
        self.framework = demo_framework()
        self.level_count = self.framework.level_count
        self._indicators = {}
        self._audit_mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # time ---------------------------------------------------------------------------------

    def moment(self, day):
        """A time during the working day, never later than now."""
        when = datetime.datetime.combine(day, datetime.time(self.rng.randint(7, 16), self.rng.randint(0, 59)), self.tz)
        return min(when, self.now)

    def day_between(self, start, end):
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    @contextmanager
    def on(self, when):
        """Audit events recorded inside the block are dated ``when``."""
        yield
        events = AuditEvent.objects.filter(organizer=self.org, pk__gt=self._audit_mark)
        events.update(at=when)
        self._audit_mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or self._audit_mark

    # the organisation ---------------------------------------------------------------------

    def indicators(self, unit):
        if unit.school_forms not in self._indicators:
            self._indicators[unit.school_forms] = list(
                assessments.applicable_indicators(framework=self.framework, unit=unit)
            )
        return self._indicators[unit.school_forms]

    def build_organisation(self):
        rng = self.rng
        self.org = Organizer.objects.create(name=DEMO_NAME, slug=DEMO_SLUG)
        districts = {name: District.objects.create(organizer=self.org, name=name) for name in DISTRICTS}
        codes = rng.sample(range(10_000_000, 99_999_999), len(UNITS))
        units = {}
        for (district, name, forms, _head), code in zip(UNITS, codes, strict=False):
            units[name] = Unit.objects.create(
                organizer=self.org,
                district=districts[district],
                name=name,
                code=str(code),
                school_forms=schoolforms.to_mask(forms),
            )
        self.units = units

        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing is the slow part
        taken_names = {(first, last) for _u, first, last, _r, _d in FIXED_PEOPLE}
        taken_emails = set()

        def person(email, first, last):
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"full_name": f"{first} {last}", "password": password},
            )
            taken_emails.add(email)
            return user

        def new_person():
            while True:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                if (first, last) in taken_names:
                    continue
                taken_names.add((first, last))
                email = f"{ascii_fold(first)}.{ascii_fold(last)}@{EMAIL_DOMAIN}"
                n = 2
                while email in taken_emails:
                    email = f"{ascii_fold(first)}.{ascii_fold(last)}{n}@{EMAIL_DOMAIN}"
                    n += 1
                return person(email, first, last)

        self.admin = None
        for email, first, last, role, district in FIXED_PEOPLE:
            user = person(email, first, last)
            Membership.objects.create(
                organizer=self.org, user=user, role=role, district=districts[district] if district else None
            )
            if role == Role.ADMIN:
                self.admin = user

        heads = {}
        self.states = []
        for _district, name, forms, head in UNITS:
            if head and head in heads:
                principal = heads[head]
            else:
                principal = new_person()
                if head:
                    heads[head] = principal
            unit = units[name]
            Membership.objects.create(organizer=self.org, user=principal, role=Role.PRINCIPAL, unit=unit)
            self.states.append(
                UnitState(
                    unit=unit,
                    principal=principal,
                    contributors=[],
                    diligence=rng.choice([0.2, 0.5, 0.7, 0.8, 0.9, 1.0]),
                    baseline=rng.uniform(1.2, 0.5 * self.level_count + 0.4) + (0.3 if GY in forms else 0),
                    growth=rng.uniform(0.25, 0.6),
                )
            )
        by_name = {s.unit.name: s for s in self.states}
        for unit_names in IT_EDUCATORS:
            educator = new_person()
            for name in unit_names:
                Membership.objects.create(organizer=self.org, user=educator, role=Role.CONTRIBUTOR, unit=units[name])
                by_name[name].contributors.append(educator)

        # areas and indicators are easier or harder across the whole organisation
        area_effect = {}
        self.effect = {}
        for ind in assessments.applicable_indicators(
            framework=self.framework, unit=Unit(school_forms=schoolforms.ALL_FORMS)
        ):
            if ind.area_id not in area_effect:
                area_effect[ind.area_id] = rng.uniform(-0.5, 0.5)
            self.effect[ind.pk] = area_effect[ind.area_id] + rng.uniform(-0.4, 0.4)
        for state in self.states:
            inds = self.indicators(state.unit)
            if len(inds) > 4 and rng.random() < 0.3:
                state.not_relevant = {ind.pk for ind in rng.sample(inds, rng.choice([1, 1, 2]))}

        joined = self.moment(datetime.date(2024, 8, 12))
        User.objects.filter(pk__in=Membership.objects.filter(organizer=self.org).values("user_id")).update(
            date_joined=joined
        )
        Membership.objects.filter(organizer=self.org).update(created_at=joined)
        Organizer.objects.filter(pk=self.org.pk).update(created_at=joined)
        _write(
            self.stdout,
            f"{DEMO_NAME}: {len(districts)} districts, {len(units)} units, "
            f"{Membership.objects.filter(organizer=self.org).values('user').distinct().count()} users",
        )

    # assessments --------------------------------------------------------------------------

    def next_levels(self, state, first):
        """The unit's levels this round: a baseline the first time, then mostly steps up."""
        top, rng = self.level_count, self.rng
        levels = {}
        for ind in self.indicators(state.unit):
            if first or ind.pk not in state.levels:
                latent = state.baseline + self.effect.get(ind.pk, 0) + rng.gauss(0, 0.5)
                levels[ind.pk] = max(1, min(top, round(latent)))
                continue
            level = state.levels[ind.pk]
            up = state.growth + (0.3 if ind.pk in state.worked_on else 0)
            roll = rng.random()
            if roll < 0.05 and level > 1:
                level -= 1
            elif roll < 0.05 + min(up, 0.9):
                level += 2 if rng.random() < 0.06 else 1
            levels[ind.pk] = max(1, min(top, level))
        state.levels = levels
        return levels

    def answer(self, draft, state, levels, *, share=1.0):
        rng = self.rng
        inds = self.indicators(state.unit)
        chosen = inds if share >= 1 else rng.sample(inds, max(1, int(len(inds) * share)))
        for ind in chosen:
            if ind.pk in state.not_relevant:
                assessments.save_answer(
                    assessment=draft,
                    indicator=ind,
                    not_relevant=True,
                    comment=rng.choice(NOT_RELEVANT_COMMENTS),
                    expected_revision=None,
                    by=draft.created_by,
                )
            else:
                comment = rng.choice(ANSWER_COMMENTS) if rng.random() < 0.12 else ""
                assessments.save_answer(
                    assessment=draft,
                    indicator=ind,
                    level=levels[ind.pk],
                    comment=comment,
                    expected_revision=None,
                    by=draft.created_by,
                )

    def backdate_assessment(self, assessment, started, finished, published):
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=started, updated_at=finished, **({"published_at": finished} if published else {})
        )
        assessment.answers.update(updated_at=finished)

    def publish_unit(self, rnd, state, pub_day, *, perspective=Perspective.PRINCIPAL, by=None, levels=None):
        by = by or state.principal
        started = self.moment(max(rnd.opens_on, pub_day - datetime.timedelta(days=self.rng.randint(2, 20))))
        finished = self.moment(pub_day)
        with self.on(started):
            draft, _created = assessments.start_assessment(unit=state.unit, round=rnd, perspective=perspective, by=by)
            self.answer(draft, state, levels)
        with self.on(finished):
            _published, plan = planning.publish(assessment=draft, by=by)
        self.backdate_assessment(draft, started, finished, True)
        if plan is not None:
            ActionPlan.objects.filter(pk=plan.pk).update(created_at=finished)
            plan.actions.update(created_at=finished, updated_at=finished)
        return draft, plan

    def draft_unit(self, rnd, state, day, levels, share):
        started = self.moment(max(rnd.opens_on, day - datetime.timedelta(days=self.rng.randint(1, 10))))
        with self.on(started):
            draft, _created = assessments.start_assessment(unit=state.unit, round=rnd, by=state.principal)
            self.answer(draft, state, levels, share=share)
        self.backdate_assessment(draft, started, self.moment(day), False)
        return draft

    def second_version(self, rnd, state, day):
        """Start version 2 of a published assessment, change a few answers and (maybe) publish it."""
        rng = self.rng
        when = self.moment(day)
        with self.on(when):
            draft, _created = assessments.start_assessment(unit=state.unit, round=rnd, by=state.principal)
            candidates = [i for i in self.indicators(state.unit) if i.pk not in state.not_relevant]
            for ind in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
                level = state.levels[ind.pk] + rng.choice([-1, 1, 1])
                level = max(1, min(self.level_count, level))
                state.levels[ind.pk] = level
                assessments.save_answer(
                    assessment=draft,
                    indicator=ind,
                    level=level,
                    comment=rng.choice(VERSION_2_COMMENTS),
                    expected_revision=None,
                    by=state.principal,
                )
        return draft, when

    # plans ---------------------------------------------------------------------------------

    def owners(self, state):
        forms = state.unit.school_forms
        if state.unit.is_preschool_only:
            pool = list(OWNERS_PRESCHOOL)
        elif forms & schoolforms.to_mask([GY, VUX]):
            pool = list(OWNERS_UPPER)
        else:
            pool = list(OWNERS)
        pool.append(state.principal.get_full_name())
        pool += [f"IKT-pedagog {c.get_full_name()}" for c in state.contributors]
        return pool

    def plan_actions(self, rnd, plan, state, day, horizon, weights, pace):
        """Pick actions from the suggestions, add an own action now and then, and follow them up."""
        rng = self.rng
        added_on = self.day_between(day, min(day + datetime.timedelta(days=10), horizon))
        carried = list(plan.actions.all())
        covered = {a.indicator_id for a in carried}
        rows = [
            (ind, level, acts) for ind, level, acts in planning.suggestions(plan=plan) if acts and ind.pk not in covered
        ]
        rng.shuffle(rows)
        rows.sort(key=lambda row: row[1])  # lowest levels first
        wanted = rng.randint(2, 4) if state.unit.is_preschool_only else rng.randint(3, 6)
        picked = rows[:wanted]
        owners = self.owners(state)
        year_end = datetime.date(rnd.opens_on.year + 1, 6, 12)
        new = []
        with self.on(self.moment(added_on)):
            for n, (_ind, _level, acts) in enumerate(picked):
                activity = rng.choice(acts)
                priority = 1 if n < 2 else (2 if n < 4 else 3)
                if rng.random() < 0.25:
                    priority = min(3, priority + 1)
                new.append(
                    planning.add_action(
                        plan=plan,
                        by=state.principal,
                        title=activity.title_sv,
                        description=localized_text(activity, "description", preschool=state.unit.is_preschool_only),
                        priority=priority,
                        owner=rng.choice(owners),
                        activity=activity,
                        due_date=self.day_between(added_on + datetime.timedelta(days=45), year_end),
                    )
                )
            if rng.random() < 0.45:
                title, description = rng.choice(OWN_ACTIONS_PRESCHOOL if state.unit.is_preschool_only else OWN_ACTIONS)
                new.append(
                    planning.add_action(
                        plan=plan,
                        by=state.principal,
                        title=title,
                        description=description,
                        priority=rng.choice([2, 3]),
                        owner=rng.choice(owners),
                        due_date=self.day_between(added_on + datetime.timedelta(days=30), year_end),
                    )
                )
        stamp = self.moment(added_on)
        Action.objects.filter(pk__in=[a.pk for a in new]).update(created_at=stamp, updated_at=stamp)
        for action in carried:
            self.follow_up(action, state, added_on, horizon, weights, pace, carried=True, year_end=year_end)
        for action in new:
            self.follow_up(action, state, added_on, horizon, weights, pace, carried=False, year_end=year_end)

    def follow_up(self, action, state, start, horizon, weights, pace, *, carried, year_end):
        """Move the action towards a status chosen by ``weights``, with notes on the way."""
        rng = self.rng

        def later(low, high):
            return datetime.timedelta(days=max(1, round(rng.randint(low, high) * pace)))

        statuses, w = zip(*weights.items(), strict=False)
        target = rng.choices(statuses, w)[0]
        if carried and target == Action.Status.PLANNED and action.status == Action.Status.IN_PROGRESS:
            target = Action.Status.DONE if rng.random() < 0.6 else Action.Status.IN_PROGRESS
        authors = [state.principal, *state.contributors]
        steps = []  # (day, fields, note texts)
        t = start
        if carried:
            # a carried action gets a new due date in the new plan
            t = start + datetime.timedelta(days=rng.randint(1, 14))
            steps.append((t, {"due_date": self.day_between(t + datetime.timedelta(days=40), year_end)}, None))
        if target in (Action.Status.IN_PROGRESS, Action.Status.DONE) and action.status == Action.Status.PLANNED:
            t = t + later(14, 80)
            steps.append((t, {"status": Action.Status.IN_PROGRESS}, NOTES_STARTED if rng.random() < 0.6 else None))
            if rng.random() < 0.15:
                t = t + later(20, 50)
                steps.append((t, {}, NOTES_DELAYED))
        if target == Action.Status.DONE:
            t = t + later(30, 140)
            steps.append((t, {"status": Action.Status.DONE}, NOTES_DONE if rng.random() < 0.7 else None))
        if target == Action.Status.DROPPED:
            t = t + later(30, 140)
            steps.append((t, {"status": Action.Status.DROPPED}, NOTES_DROPPED))
        if target == Action.Status.PLANNED and rng.random() < 0.15:
            steps.append((t + datetime.timedelta(days=rng.randint(10, 40)), {}, NOTES_DELAYED))
        for day, fields, notes in steps:
            if day > horizon:
                break  # the school year (or today) ends before this happens
            author = rng.choice(authors)
            when = self.moment(day)
            with self.on(when):
                if fields:
                    action = planning.update_action(
                        action=action, by=author, expected_revision=action.revision, **fields
                    )
                    Action.objects.filter(pk=action.pk).update(updated_at=when)
                if notes:
                    note = planning.add_note(action=action, by=author, date=day, text=rng.choice(notes))
                    Note.objects.filter(pk=note.pk).update(created_at=when)

    # a round -------------------------------------------------------------------------------

    def play(self, spec):
        rng = self.rng
        horizon = spec.closes_on or self.today
        opened = self.moment(spec.opens_on - datetime.timedelta(days=7))
        with self.on(opened):
            rnd = cycles.open_round(
                organizer=self.org,
                name=spec.name,
                framework=self.framework,
                opens_on=spec.opens_on,
                deadline=spec.deadline,
                by=self.admin,
            )
        Round.objects.filter(pk=rnd.pk).update(created_at=opened)
        first = not Round.objects.filter(organizer=self.org).exclude(pk=rnd.pk).exists()

        ranked = sorted(self.states, key=lambda s: s.diligence + rng.random() * 0.6, reverse=True)
        n_pub = round(spec.published * len(ranked))
        publishing, drafting = ranked[:n_pub], ranked[n_pub : n_pub + spec.drafts]
        last_day = min(spec.deadline + datetime.timedelta(days=14), horizon - datetime.timedelta(days=2))
        published = []
        counts = {
            "actions": Action.objects.filter(organizer=self.org).count(),
            "notes": Note.objects.filter(organizer=self.org).count(),
        }
        for state in self.states:
            if state in publishing:
                levels = self.next_levels(state, first)
                state.worked_on = set()
                pub_day = self.day_between(spec.opens_on + datetime.timedelta(days=14), last_day)
                draft, plan = self.publish_unit(rnd, state, pub_day, levels=levels)
                self.plan_actions(rnd, plan, state, pub_day, horizon, spec.statuses, spec.pace)
                published.append((state, plan, pub_day))
            elif state in drafting:
                levels = self.next_levels(state, first)
                self.draft_unit(
                    rnd,
                    state,
                    self.day_between(spec.opens_on + datetime.timedelta(days=7), last_day),
                    levels,
                    share=rng.uniform(0.25, 0.8),
                )

        # a few units publish a version 2 later in the year (the plan moves to it)
        second = rng.sample(published, min(spec.second_versions, len(published)))
        for state, _plan, pub_day in second:
            day = min(pub_day + datetime.timedelta(days=rng.randint(20, 60)), horizon)
            draft, when = self.second_version(rnd, state, day)
            with self.on(when):
                planning.publish(assessment=draft, by=state.principal)
            self.backdate_assessment(draft, when, when, True)
        if spec.closes_on is None and published:
            # in the open round one unit has started a new version it has not published yet
            state, plan, pub_day = rng.choice([p for p in published if p not in second])
            draft, when = self.second_version(rnd, state, min(pub_day + datetime.timedelta(days=10), horizon))
            self.backdate_assessment(draft, when, when, False)

        # IT educators make their own assessment of some units from the second round on
        it_count = 0
        if not first:
            for state, _plan, pub_day in published:
                if state.contributors and rng.random() < 0.6:
                    educator = state.contributors[0]
                    levels = {
                        k: max(1, min(self.level_count, v + rng.choice([-1, 0, 0, 0, 1])))
                        for k, v in state.levels.items()
                    }
                    day = min(pub_day + datetime.timedelta(days=rng.randint(-10, 10)), horizon)
                    self.publish_unit(rnd, state, day, perspective=Perspective.IT_EDUCATOR, by=educator, levels=levels)
                    it_count += 1

        perspectives.play(self, rnd, published, first=first, current=spec.closes_on is None)  # docs/perspectives.md

        # what was done this year makes the next step up likelier
        done = Action.objects.filter(plan__round=rnd, status=Action.Status.DONE, indicator__isnull=False)
        by_unit = {}
        for unit_id, ind_id in done.values_list("unit_id", "indicator_id"):
            by_unit.setdefault(unit_id, set()).add(ind_id)
        for state in self.states:
            state.worked_on = by_unit.get(state.unit.pk, set())

        status = "open"
        if spec.closes_on:
            with self.on(self.moment(spec.closes_on)):
                cycles.set_round_status(round=rnd, status=Round.Status.CLOSED, by=self.admin)
            status = "closed"
        actions = Action.objects.filter(organizer=self.org).count() - counts["actions"]
        notes = Note.objects.filter(organizer=self.org).count() - counts["notes"]
        extra = f", {len(drafting)} draft{'s' if len(drafting) != 1 else ''}" if drafting else ""
        if spec.closes_on is None and published:
            extra += " (+1 version 2 in progress)"
        it_text = f"{it_count} IT-educator assessments; " if it_count else ""
        _write(
            self.stdout,
            (
                f"{spec.name}: {len(published)} published ({len(second)} with version 2){extra}, "
                f"{len(self.states) - len(published) - len(drafting)} not started; {it_text}"
                f"{actions} actions, {notes} notes; {status}"
            ),
        )
        return rnd

    # invitations ----------------------------------------------------------------------------

    INVITATIONS = [
        # address, name, role, unit, sent days ago, the mail bounced
        ("sara.lund@mittkoping.se", "Sara Lund", Role.CONTRIBUTOR, "Centralskolan F-6", 2, False),
        ("ahmed.karimi@mittkoping.se", "Ahmed Karimi", Role.VIEWER, None, 11, False),
        ("lisa.ek@mittkopng.se", "Lisa Ek", Role.CONTRIBUTOR, "Solrosens förskola", 1, True),
    ]

    def invite(self):
        """Invitations the admin sent lately and nobody has accepted yet, with their mails."""
        for email, name, role, unit_name, days_ago, bounced in self.INVITATIONS:
            when = self.now - datetime.timedelta(days=days_ago, hours=self.rng.randint(1, 6))
            with self.on(when):
                invitation = organisations.invite_user(
                    organizer=self.org,
                    by=self.admin,
                    email=email,
                    full_name=name,
                    role=role,
                    unit=self.units[unit_name] if unit_name else None,
                )
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=when, sent_at=when, expires_at=when + datetime.timedelta(days=organisations.INVITATION_DAYS)
            )
            mails = SentMail.objects.filter(organizer=self.org, dedupe_key=f"invitation:{invitation.pk}:1")
            for queued in mails:  # recorded as sent, never sent: demo addresses are not real
                mail.record_as_sent(mail_id=queued.pk, at=when)
            mails.update(created_at=when, attempted_at=when, sent_at=when)
            if bounced:  # a typo in the domain: the mail server gave up on it
                domain = email.split("@")[1]
                mails.update(
                    status=SentMail.Status.FAILED,
                    sent_at=None,
                    attempts=settings.STEGVIS_MAIL_MAX_ATTEMPTS,
                    last_error=(
                        f"SMTPRecipientsRefused: {{'{email}': (550, b'5.1.2 <{email}>: Recipient address "
                        f"rejected: Domain {domain} not found')}}"
                    ),
                )
        _write(self.stdout, f"Invitations: {len(self.INVITATIONS)} not yet accepted (one expired, one bounced)")


def build_demo(*, seed=2026, stdout=None, today=None):
    """Create the demo organiser unless it exists. Returns the Organizer, or None when it was there.

    Raises DemoError when the framework is not loaded. Side effects: see the module docstring;
    everything is created in one transaction, so a failure leaves nothing behind.
    """
    if Organizer.objects.filter(slug=DEMO_SLUG).exists():
        _write(stdout, f"{DEMO_NAME} ({DEMO_SLUG}) is already there; nothing changed (use --reset to build it again).")
        return None
    with transaction.atomic():
        builder = Builder(seed=seed, stdout=stdout, today=today or timezone.localdate())
        _write(stdout, f"Framework: {builder.framework} ({builder.framework.indicators.count()} indicators)")
        builder.build_organisation()
        with readmodel.deferred():
            for spec in round_plans(builder.today):
                builder.play(spec)
        builder.invite()
        demo_goals.build(org=builder.org, by=builder.admin, stdout=stdout)
        demo_sso.add_sign_in_providers(org=builder.org, admin=builder.admin, domain=EMAIL_DOMAIN)
        demo_calendar.build(organizer=builder.org, by=builder.admin)
        build_surveys(builder)
        demo_goals.build_certification(org=builder.org, by=builder.admin, stdout=stdout)
        demo_notifications.build(builder)  # reminder rules, owners as users, reminders sent
        reflection_demo.build(builder)
        if demo_networks.build(builder):
            _write(stdout, f"Networks: {demo_networks.NAME} with three meetings")
        demo_development.build(builder)  # competence development (docs/development.md)
        api_demo.build(organizer=builder.org, by=builder.admin)
        demo_whatworks.build(organizer=builder.org, stdout=stdout)
        demo_plans.build(builder)  # local digital plans and the organiser's plan (after the goals)
        demo_library.build(builder)
    return builder.org


def delete_demo(*, stdout=None):
    """Delete the demo organiser with its data and the users that belong to no other organiser.

    Returns True when there was something to delete. Side effects: deletes rows in every app.
    """
    org = Organizer.objects.filter(slug=DEMO_SLUG).first()
    if org is None:
        return False
    User = get_user_model()
    user_ids = list(Membership.objects.filter(organizer=org).values_list("user_id", flat=True).distinct())
    try:
        with transaction.atomic():
            # bottom up, because plans, assessments and rounds protect what they point at
            demo_networks.delete(org)
            demo_library.delete(organizer=org)  # files and search entries too
            Goal.objects.filter(organizer=org).delete()
            ActionPlan.objects.filter(organizer=org).delete()
            Assessment.objects.filter(organizer=org).delete()
            Round.objects.filter(organizer=org).delete()
            Membership.objects.filter(organizer=org).delete()
            Unit.objects.filter(organizer=org).delete()
            org.delete()
            users = User.objects.filter(pk__in=user_ids, memberships__isnull=True)
            deleted_users = users.count()
            users.delete()
    except ProtectedError as exc:
        raise DemoError(f"Cannot delete {DEMO_NAME}: other data still points at it ({exc.args[0]})") from exc
    _write(stdout, f"Deleted {DEMO_NAME} ({DEMO_SLUG}) and {deleted_users} users that belonged only to it.")
    return True


def login_rows(organizer=None):
    """(user, password, role) for the demo's logins, one per kind of user."""
    org = organizer or Organizer.objects.filter(slug=DEMO_SLUG).first()
    if org is None:
        return []
    rows = [
        ("admin@mittkoping.se", DEMO_PASSWORD, "organiser admin"),
        ("namnd@mittkoping.se", DEMO_PASSWORD, "viewer (nämnd)"),
    ]
    for name in DISTRICTS:
        rows.append((f"omrade.{ascii_fold(name)}@{EMAIL_DOMAIN}", DEMO_PASSWORD, f"district lead, {name}"))
    principals = Membership.objects.filter(organizer=org, role=Role.PRINCIPAL).select_related("user", "unit")
    by_user = {}
    for m in principals:
        by_user.setdefault(m.user.email, []).append(m.unit.name)
    for wanted in ("Centralskolan F-6", "Solrosens förskola"):
        for email, units in by_user.items():
            if wanted in units:
                rows.append((email, DEMO_PASSWORD, f"principal, {' + '.join(units)}"))
                break
    contributor = (
        Membership.objects.filter(organizer=org, role=Role.CONTRIBUTOR, unit__name="Centralskolan F-6")
        .select_related("user")
        .first()
    )
    if contributor:
        rows.append((contributor.user.email, DEMO_PASSWORD, "contributor (IKT-pedagog), Centralskolan F-6 + 7-9"))
    return rows


def write_logins(stdout, organizer=None):
    rows = login_rows(organizer)
    if not rows:
        return
    width = max(len(r[0]) for r in rows)
    _write(stdout, "")
    _write(
        stdout, "Demo logins (every demo user has the same password; principals log in as first.last@mittkoping.se):"
    )
    _write(stdout, f"  {'user':<{width}}  {'password':<12}  role")
    for user, password, role in rows:
        _write(stdout, f"  {user:<{width}}  {password:<12}  {role}")
