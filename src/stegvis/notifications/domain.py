"""Reminders that send themselves, reminders sent now, and who wants which (docs/notifications.md).

``send_due_reminders`` is the scheduler's pass: for every organiser with an open round it works
out, from a few set-based queries, which mails are due today under each round's rules
(``ReminderRules``), and records them all at once with ``core.mail.send_many``. Every mail has a
dedupe key naming its rule, recipient and trigger (the round, unit, action or follow-up date),
so running the pass again, or twice at once, sends nothing twice, and a pass after days without
one sends each trigger that is still current once (the latest reminder before the deadline, not
all the missed ones; nothing about a unit that has published since).
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from stegvis.assessments.models import Assessment, Perspective
from stegvis.core import mail
from stegvis.core.models import SentMail, record
from stegvis.cycles.models import FollowUpDate, Round
from stegvis.cycles.queries import members
from stegvis.frameworks.models import survey_group
from stegvis.goals.models import CentralAction
from stegvis.goals.plans import current_central_actions
from stegvis.organisations.access import ReminderRecipients
from stegvis.organisations.models import Organizer, Unit
from stegvis.overview.reminded import publish_key
from stegvis.planning.models import Action
from stegvis.surveys.models import Survey
from stegvis.surveys.results import rates_of_surveys

from . import kinds, tokens
from .due import Due, Later, Picked
from .item_reminders import central_action_mails, network_action_mails, open_central_actions, open_network_items
from .models import Preference, ReminderRules

FOLLOW_UP_STALE = 14  # days after a follow-up date when its "review your plan" is no longer sent
DIGEST_LIST = 15  # units named per list in the digest


class NotificationError(Exception):
    pass


# --- rules -----------------------------------------------------------------------------------


def rules_of(*, organizer, rounds):
    """{round id: ReminderRules} of these rounds, the defaults made (in bulk) where a round has none."""
    rounds = list(rounds)
    with scopes_disabled():
        have = {r.round_id: r for r in ReminderRules.objects.filter(organizer=organizer, round__in=rounds)}
        missing = [r for r in rounds if r.pk not in have]
        if missing:
            ReminderRules.objects.bulk_create(
                [ReminderRules(organizer=organizer, round=r) for r in missing], ignore_conflicts=True
            )
            have = {r.round_id: r for r in ReminderRules.objects.filter(organizer=organizer, round__in=rounds)}
    return have


def rules_for(round):
    return rules_of(organizer=round.organizer, rounds=[round])[round.pk]


def change_rules(
    *,
    rules,
    by,
    days_before,
    days_after,
    action_days_before,
    action_overdue,
    follow_up,
    digest,
    digest_survey_rate=None,
):
    """Set a round's reminder rules. ``days_before``: days before the publish-by date (0 is the day
    itself); ``days_after`` and ``action_days_before``: a number of days or None (off);
    ``digest_survey_rate``: the response rate (1-100 %) below which the digest names an open
    survey's units (None: left as it is).
    Side effects: updates the ReminderRules row, an audit event."""
    days_before = sorted({int(d) for d in days_before}, reverse=True)
    if any(d < 0 or d > 365 for d in days_before):
        raise NotificationError(_("Days are whole numbers from 0 to 365."))
    if digest_survey_rate is not None:
        if type(digest_survey_rate) is not int or not 1 <= digest_survey_rate <= 100:  # bool is no rate
            raise NotificationError(_("Give a response rate from 1 to 100 per cent."))
        rules.digest_survey_rate = digest_survey_rate
    rules.days_before = days_before
    rules.days_after = days_after
    rules.action_days_before = action_days_before
    rules.action_overdue = action_overdue
    rules.follow_up = follow_up
    rules.digest = digest
    rules.save()
    record(
        organizer=rules.organizer, actor=by, verb="reminders.rules_changed", obj=rules.round, summary=rules.round.name
    )
    return rules


# --- preferences -------------------------------------------------------------------------------


def preference_of(*, organizer, user):
    return tokens.preferences(organizer=organizer, user_ids=[user.pk])[user.pk]


def set_preferences(*, organizer, user, muted, by=None):
    """Switch off the optional kinds in ``muted`` for the user (mandatory ones are ignored), the
    others on. Side effects: the user's Preference row, an audit event."""
    pref = preference_of(organizer=organizer, user=user)
    pref.muted = sorted(k for k in set(muted) if k in kinds.OPTIONAL)
    pref.save(update_fields=["muted", "updated_at"])
    record(
        organizer=organizer, actor=by or user, verb="notifications.preferences", obj=pref, summary=",".join(pref.muted)
    )
    return pref


def unsubscribe(*, pref, kind):
    """Switch one optional kind off (the one-click link). Returns False for a mandatory kind,
    which only the organiser can switch off. Side effects: the Preference row, an audit event."""
    if kind not in kinds.OPTIONAL:
        return False
    with transaction.atomic():
        pref = Preference.objects.select_for_update().get(pk=pref.pk)
        if kind not in pref.muted:
            pref.muted = sorted([*pref.muted, kind])
            pref.save(update_fields=["muted", "updated_at"])
    record(organizer=pref.organizer, actor=None, verb="notifications.unsubscribed", obj=pref, summary=kind)
    return True


# --- the pass ----------------------------------------------------------------------------------


def send_due_reminders(*, today=None):
    """The scheduler's job: every organiser's reminders due ``today`` (default: today here).
    Returns how many mails were recorded. Safe to run again and to run twice at once.

    Side effects: SentMail rows and delivery tasks (``core.mail.send_many``); ReminderRules with
    the defaults for rounds without rules; Preference rows and unsubscribe tokens for new recipients.
    """
    today = today or timezone.localdate()
    with scopes_disabled():
        organizers = list(
            Organizer.objects.filter(rounds__status=Round.Status.OPEN, rounds__opens_on__lte=today).distinct()
        )
        # network action items and the organiser's plan's central actions do not wait for a round
        organizers += list(
            Organizer.objects.filter(
                Q(pk__in=open_network_items(today).values("organizer_id"))
                | Q(pk__in=open_central_actions(today).values("organizer_id"))
            ).exclude(pk__in=[o.pk for o in organizers])
        )
    return sum(len(remind_organizer(organizer=o, today=today)) for o in organizers)


def remind_organizer(*, organizer, today):
    """The reminders due today in one organiser; returns the new SentMail ids. About fifteen
    queries whatever its number of units (and one more per 500 mails)."""
    with scopes_disabled():
        due = (
            due_mails(organizer=organizer, today=today)
            + network_action_mails(organizer=organizer, today=today)
            + central_action_mails(organizer=organizer, today=today)
        )
        return send(organizer=organizer, due=due)


def due_mails(*, organizer, today):
    """[Due] of the organiser today, before preferences and earlier mails are taken into account."""
    rounds = [r for r in Round.objects.filter(organizer=organizer, status=Round.Status.OPEN) if r.opens_on <= today]
    if not rounds:
        return []
    rules = rules_of(organizer=organizer, rounds=rounds)
    who = ReminderRecipients.of(organizer)
    slug = organizer.slug
    units = {
        pk: (name, district)
        for pk, name, district in Unit.objects.filter(organizer=organizer).values_list("pk", "name", "district_id")
    }
    in_round = members(organizer=organizer, rounds=rounds)
    published, drafts = set(), {}
    for round_id, unit_id, status, pk in Assessment.objects.filter(
        organizer=organizer, round__in=rounds, perspective=Perspective.PRINCIPAL
    ).values_list("round_id", "unit_id", "status", "pk"):
        if status == Assessment.Status.PUBLISHED:
            published.add((round_id, unit_id))
        else:
            drafts[(round_id, unit_id)] = pk
    due = []
    for rnd in rounds:
        rule = rules[rnd.pk]
        unpublished = sorted(u for u in in_round.get(rnd.pk, ()) if (rnd.pk, u) not in published and u in units)
        due += _publish_reminders(rnd, rule, unpublished, units, who, slug, today, drafts)
    due += _action_reminders(organizer, rounds, rules, who, slug, today)
    due += _follow_ups(organizer, rounds, rules, who, slug, today)
    due += _digest(organizer, rounds, rules, who, slug, today, in_round, published, units)
    return due


def assessment_path(slug, rnd, unit_id, drafts):
    """Where a principal continues: the draft, or the start page (which starts the assessment)."""
    draft = drafts.get((rnd.pk, unit_id))
    return reverse("assessment", args=[slug, draft]) if draft else reverse("org_home", args=[slug])


def _publish_reminders(rnd, rule, unpublished, units, who, slug, today, drafts):
    if not rnd.deadline or not unpublished:
        return []
    out = []
    deadline = rnd.deadline
    passed = [d for d in rule.days_before if deadline - timedelta(days=d) <= today]
    if passed and today <= deadline:
        days = min(passed)  # the latest trigger: missed earlier ones are not sent after it
        for unit_id in unpublished:
            name = units[unit_id][0]
            for user_id in who.principals.get(unit_id, ()):
                out.append(
                    Due(
                        kind=kinds.DEADLINE,
                        user_id=user_id,
                        key=publish_key(round_id=rnd.pk, unit_id=unit_id, user_id=user_id, trigger=f"before{days}"),
                        template="notifications/mail/deadline",
                        subject=(
                            Later(_("Publish %(unit)s's assessment today"), unit=name)
                            if deadline == today
                            else Later(_("Publish %(unit)s's assessment by %(date)s"), unit=name, date=deadline)
                        ),
                        why=Later(_("You get this mail because you are the principal of %(unit)s."), unit=name),
                        path=assessment_path(slug, rnd, unit_id, drafts),
                        context={
                            "unit": name,
                            "round": rnd.name,
                            "deadline": deadline,
                            "days": (deadline - today).days,
                        },
                    )
                )
    if rule.days_after is not None:
        late_from = deadline + timedelta(days=rule.days_after)
        if late_from <= today and (rnd.closes_on is None or today <= rnd.closes_on):
            for unit_id in unpublished:
                name, district_id = units[unit_id]
                principals = who.principals.get(unit_id, [])
                leads = [u for u in who.district_leads.get(district_id, []) if u not in principals]
                for user_id in principals + leads:
                    lead = user_id not in principals
                    out.append(
                        Due(
                            kind=kinds.LATE,
                            user_id=user_id,
                            key=publish_key(
                                round_id=rnd.pk, unit_id=unit_id, user_id=user_id, trigger=f"after{rule.days_after}"
                            ),
                            template="notifications/mail/late",
                            subject=Later(_("%(unit)s has not published its assessment"), unit=name),
                            why=(
                                Later(_("You get this mail because you lead the district of %(unit)s."), unit=name)
                                if lead
                                else Later(_("You get this mail because you are the principal of %(unit)s."), unit=name)
                            ),
                            path=(
                                reverse("unit", args=[slug, unit_id])
                                if lead
                                else assessment_path(slug, rnd, unit_id, drafts)
                            ),
                            context={"unit": name, "round": rnd.name, "deadline": deadline, "lead": lead},
                        )
                    )
    return out


def _action_reminders(organizer, rounds, rules, who, slug, today):
    wanted = [r for r in rounds if rules[r.pk].action_days_before is not None or rules[r.pk].action_overdue]
    if not wanted:
        return []
    horizon = today + timedelta(days=max((rules[r.pk].action_days_before or 0) for r in wanted))
    out = []
    for pk, title, due_date, round_id, user_id in Action.objects.filter(
        organizer=organizer,
        plan__round__in=wanted,
        status__in=Action.OPEN_STATUSES,
        due_date__isnull=False,
        due_date__lte=horizon,
        owner_user__isnull=False,
        owner_user__is_active=True,
    ).values_list(
        "pk",
        "title",
        "due_date",
        "plan__round_id",
        "owner_user_id",
    ):
        if user_id not in who.members:  # no longer a member: not theirs to hear about
            continue
        rule = rules[round_id]
        path = reverse("action_edit", args=[slug, pk])
        ctx = {"title": title, "due": due_date}
        if due_date < today and rule.action_overdue:
            out.append(
                Due(
                    kind=kinds.ACTION_OVERDUE,
                    user_id=user_id,
                    key=f"action-overdue:{pk}:{user_id}:{due_date}",
                    template="notifications/mail/action_overdue",
                    subject=Later(_("Overdue: %(title)s"), title=title),
                    why=_("You get this mail because you own this action."),
                    path=path,
                    context=ctx,
                )
            )
        elif (
            rule.action_days_before is not None
            and today < due_date
            and due_date - timedelta(days=rule.action_days_before) <= today
        ):
            out.append(
                Due(
                    kind=kinds.ACTION_DUE,
                    user_id=user_id,
                    key=f"action-due:{pk}:{user_id}:{due_date}",
                    template="notifications/mail/action_due",
                    subject=Later(_("Due %(date)s: %(title)s"), title=title, date=due_date),
                    why=_("You get this mail because you own this action."),
                    path=path,
                    context=ctx,
                )
            )
    return out


def _follow_ups(organizer, rounds, rules, who, slug, today):
    wanted = [r for r in rounds if rules[r.pk].follow_up]
    if not wanted:
        return []
    latest = {}
    for fu in FollowUpDate.objects.filter(
        organizer=organizer,
        round__in=wanted,
        date__lte=today,
        date__gte=today - timedelta(days=FOLLOW_UP_STALE),
    ).order_by("date"):
        latest[fu.round_id] = fu  # only the latest date that has passed: an earlier one is stale
    if not latest:
        return []
    out = []
    names = dict(Unit.objects.filter(organizer=organizer).values_list("pk", "name"))
    seen = set()
    for round_id, unit_id, plan_id in (
        Action.objects.filter(organizer=organizer, plan__round_id__in=list(latest), status__in=Action.OPEN_STATUSES)
        .order_by()
        .values_list("plan__round_id", "unit_id", "plan_id")
        .distinct()
    ):
        if (round_id, unit_id) in seen:
            continue
        seen.add((round_id, unit_id))
        fu = latest[round_id]
        name = names.get(unit_id, "")
        for user_id in who.principals.get(unit_id, ()):
            out.append(
                Due(
                    kind=kinds.FOLLOW_UP,
                    user_id=user_id,
                    key=f"follow-up:{fu.pk}:{fu.date}:{unit_id}:{user_id}",
                    template="notifications/mail/follow_up",
                    subject=Later(_("Follow-up: review %(unit)s's action plan"), unit=name),
                    why=Later(_("You get this mail because you are the principal of %(unit)s."), unit=name),
                    path=reverse("plan", args=[slug, plan_id]),
                    context={"unit": name, "title": fu.title, "date": fu.date},
                )
            )
    return out


def _digest(organizer, rounds, rules, who, slug, today, in_round, published, units):
    wanted = [r for r in rounds if rules[r.pk].digest]
    if not wanted or not who.admins:
        return []
    year, week, _day = today.isocalendar()
    overdue = {}
    for round_id, unit_id in Action.objects.filter(
        organizer=organizer, plan__round__in=wanted, status__in=Action.OPEN_STATUSES, due_date__lt=today
    ).values_list("plan__round_id", "unit_id"):
        per_round = overdue.setdefault(round_id, {})
        per_round[unit_id] = per_round.get(unit_id, 0) + 1
    surveys = _surveys_below(organizer, wanted, units, slug, {r.pk: rules[r.pk].digest_survey_rate for r in wanted})
    central = _central_overdue(organizer, today)
    sections = []
    for rnd in wanted:
        ids = in_round.get(rnd.pk, set())
        missing = sorted((units[u][0] for u in ids if (rnd.pk, u) not in published and u in units), key=str.lower)
        late = sorted(overdue.get(rnd.pk, {}).items(), key=lambda item: (-item[1], units.get(item[0], ("",))[0]))
        sections.append(
            {
                "round": rnd.name,
                "deadline": rnd.deadline,
                "units": len(ids),
                "unpublished": len(missing),
                "unpublished_names": missing[:DIGEST_LIST],
                "unpublished_more": max(0, len(missing) - DIGEST_LIST),
                "overdue": sum(n for _u, n in late),
                "overdue_units": [(units.get(u, ("?",))[0], n) for u, n in late[:DIGEST_LIST]],
                "status_path": reverse("overview_status", args=[slug]) + f"?round={rnd.pk}",
                "surveys": surveys.get(rnd.pk, []),
                "survey_rate": rules[rnd.pk].digest_survey_rate,
            }
        )
    return [
        Due(
            kind=kinds.DIGEST,
            user_id=user_id,
            key=f"digest:{organizer.pk}:{user_id}:{year}-W{week:02d}",
            template="notifications/mail/digest",
            subject=Later(_("Stegvis this week: %(organizer)s"), organizer=organizer.name),
            why=Later(_("You get this mail because you are an admin of %(organizer)s."), organizer=organizer.name),
            path=sections[0]["status_path"],
            context={
                "sections": sections,
                "organizer": organizer.name,
                "central": central,
            },
        )
        for user_id in who.admins
    ]


def _central_overdue(organizer, today):
    """The organiser's plan's open central actions past their due date, for the digest:
    ``{"overdue", "titles", "more", "path"}`` (the page of the newest plan among theirs), or None
    when there are none. One query."""
    rows = list(
        current_central_actions(organizer=organizer)
        .filter(status__in=CentralAction.OPEN_STATUSES, due_date__lt=today)
        .order_by("due_date", "pk")
        .values_list("title", "due_date", "plan_id")
    )
    if not rows:
        return None
    return {
        "overdue": len(rows),
        "titles": [(title, due) for title, due, _plan in rows[:DIGEST_LIST]],
        "more": max(0, len(rows) - DIGEST_LIST),
        "path": reverse("organiser_plan_version", args=[organizer.slug, max(p for _t, _d, p in rows)])
        + "#central-support",
    }


def _surveys_below(organizer, rounds, units, slug, percents):
    """{round id: [survey]} of the rounds' surveys open now with units below their round's rate
    (``percents``: {round id: per cent}, the rules' ``digest_survey_rate``):
    each survey's name, its units below the rate (name, percent; lowest first) and its page.
    Four queries whatever the number of surveys and units. Only units with a known rate (an
    expected number of respondents) are named, as on the survey page, which shows the organiser
    each unit's response count and rate."""
    now = timezone.now()
    open_now = [
        s
        for s in Survey.objects.filter(organizer=organizer, round__in=rounds, opens_at__lte=now, closes_at__gt=now)
        .select_related("round__framework")
        .order_by("round_id", "respondent_group", "opens_at")
        if s.is_open
    ]
    rates = rates_of_surveys([s.pk for s in open_now])
    found = {}
    for survey in open_now:
        below = sorted(
            (rate, units[u][0])
            for u, (_n, rate) in rates.get(survey.pk, {}).items()
            if rate is not None and rate < percents[survey.round_id] / 100 and u in units
        )
        if not below:
            continue
        group = survey_group(survey.round.framework, survey.respondent_group) or {}
        name = group.get("name", {})
        found.setdefault(survey.round_id, []).append(
            {
                "name": Picked(name.get("sv", survey.respondent_group), name.get("en")),
                "units": [(unit, round(100 * rate)) for rate, unit in below[:DIGEST_LIST]],
                "more": max(0, len(below) - DIGEST_LIST),
                "path": reverse("survey", args=[slug, survey.pk]),
            }
        )
    return found


def send(*, organizer, due):
    """Record and queue the due mails not sent before, leaving out the kinds each recipient
    switched off; returns the new SentMail ids. A few queries, none per mail."""
    if not due:
        return []
    keys = [d.key for d in due]
    used = set()
    for start in range(0, len(keys), 2000):
        used.update(
            SentMail.objects.filter(dedupe_key__in=keys[start : start + 2000]).values_list("dedupe_key", flat=True)
        )
    due = [d for d in due if d.key not in used]
    if not due:
        return []
    prefs = tokens.preferences(organizer=organizer, user_ids={d.user_id for d in due})
    users = _users({d.user_id for d in due})
    out = []
    for d in due:
        pref = prefs[d.user_id]
        if d.kind in pref.muted and d.kind not in kinds.MANDATORY:
            continue
        if d.user_id not in users:  # made inactive meanwhile
            continue
        email, name, language = users[d.user_id]
        link = mail.absolute_url(d.path)
        out.append(
            {
                "to_email": email,
                "to_user_id": d.user_id,
                "kind": d.kind,
                "subject": d.subject,
                "template": d.template,
                "context": {
                    **d.context,
                    "name": name,
                    "link": link,
                    "unsubscribe_url": tokens.unsubscribe_url(pref, d.kind),
                    "organizer": organizer.name,
                },
                "language": language or "sv",
                "organizer": organizer,
                "link": link,
                "why": d.why,
                "dedupe_key": d.key,
            }
        )
    return mail.send_many(out)


def _users(user_ids):
    from django.contrib.auth import get_user_model

    return {
        pk: (email, name, language)
        for pk, email, name, language in get_user_model()
        .objects.filter(pk__in=sorted(user_ids), is_active=True)
        .values_list("pk", "email", "full_name", "language")
    }


# --- reminders sent now ("knacka på axeln") ------------------------------------------------------


def nudge_recipients(*, organizer, round, unit_ids):
    """[(unit id, unit name, [(user id, name, email)])] of the chosen units: their principals."""
    who = ReminderRecipients.of(organizer)
    rows = []
    for pk, name in (
        Unit.objects.filter(organizer=organizer, pk__in=list(unit_ids)).order_by("name").values_list("pk", "name")
    ):
        rows.append((pk, name, [(u, who.users[u][1], who.users[u][0]) for u in who.principals.get(pk, [])]))
    return rows


def new_batch():
    return uuid.uuid4().hex[:12]


def send_nudges(*, organizer, round, unit_ids, personal_line, batch, by):
    """Send a reminder to publish now to the principals of ``unit_ids`` in ``round``, with the
    sender's optional personal line. ``batch`` (from the form) makes a double submit send once.
    Returns the new SentMail ids. Side effects: SentMail rows and delivery tasks, an audit event."""
    if not round.is_open:
        raise NotificationError(_("The round is not open."))
    personal_line = " ".join((personal_line or "").split())[:500]
    slug = organizer.slug
    drafts = {
        (round.pk, unit): pk
        for unit, pk in Assessment.objects.filter(
            organizer=organizer,
            round=round,
            perspective=Perspective.PRINCIPAL,
            status=Assessment.Status.DRAFT,
            unit_id__in=list(unit_ids),
        ).values_list("unit_id", "pk")
    }
    due = []
    for unit_id, name, principals in nudge_recipients(organizer=organizer, round=round, unit_ids=unit_ids):
        for user_id, _name, _email in principals:
            due.append(
                Due(
                    kind=kinds.NUDGE,
                    user_id=user_id,
                    key=publish_key(round_id=round.pk, unit_id=unit_id, user_id=user_id, trigger=f"nudge-{batch}"),
                    template="notifications/mail/nudge",
                    subject=Later(_("A reminder: publish %(unit)s's assessment"), unit=name),
                    why=Later(_("You get this mail because you are the principal of %(unit)s."), unit=name),
                    path=assessment_path(slug, round, unit_id, drafts),
                    context={
                        "unit": name,
                        "round": round.name,
                        "deadline": round.deadline,
                        "personal_line": personal_line,
                        "sender": by.display_name,
                    },
                )
            )
    with scopes_disabled():
        ids = send(organizer=organizer, due=due)
    record(
        organizer=organizer,
        actor=by,
        verb="reminders.sent_now",
        obj=round,
        summary=f"{len(ids)} mails, {len(set(unit_ids))} units",
    )
    return ids


def preview(*, organizer, round, personal_line, by, language):
    """The text of a reminder sent now, as a principal reading ``language`` gets it (for the page)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        return render_to_string(
            "notifications/mail/nudge.txt",
            {
                "unit": _("(the unit)"),
                "round": round.name,
                "deadline": round.deadline,
                "personal_line": " ".join((personal_line or "").split())[:500],
                "sender": by.display_name,
                "name": _("(the principal)"),
                "link": mail.absolute_url(reverse("org_home", args=[organizer.slug])),
                "why": str(
                    Later(_("You get this mail because you are the principal of %(unit)s."), unit=_("(the unit)"))
                ),
                "site_url": mail.absolute_url(""),
            },
        ).strip()


def bounced_mails(*, organizer, limit=50):
    """The organiser's latest mails whose address the mail server refused."""
    return list(mail.bounced(SentMail.objects.filter(organizer=organizer)).order_by("-created_at")[:limit])
