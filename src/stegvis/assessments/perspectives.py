"""Several perspectives on one unit: assessor groups, their assessors and the discussion notes.

State changes are keyword-only functions that list their side effects (docs/perspectives.md).
The principal (or an organiser admin) makes a group per perspective for a unit in a round: the
IT educators, the leadership group, one or more named work teams. Assessors are users of the
organiser or e-mail invitations (``organisations.domain.invite_user``, a unit contributor's
role); an invited assessor counts from the moment the invitation is accepted. Each group makes
one assessment of its own (``domain.start_assessment(group=...)``).
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from stegvis.core.models import record
from stegvis.cycles.models import Round
from stegvis.organisations import domain as organisations
from stegvis.organisations.access import assessor_invitation, people_of

from .domain import AssessmentError, _require_open, current_version
from .models import Assessment, Assessor, AssessorGroup, DiscussionNote, Perspective

NAME_MAX = 100
NOTE_MAX = 2000


def assessor_groups_of(user, organizer):
    """[(group_id, unit_id, round_id)] of the groups the user assesses in, as a chosen user or
    by an accepted invitation. Registered with ``organisations.access`` (one query)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Assessor.objects.filter(organizer=organizer)
        .filter(Q(user=user) | Q(invitation__accepted_by=user))
        .values_list("group_id", "group__unit_id", "group__round_id")
        .distinct()
    )


def create_group(*, unit, round, perspective, name="", by):
    """Make the assessor group of one perspective for the unit in the round (a work team needs
    a name; the IT educators and the leadership group have one group each). Returns the group;
    an existing one with the same perspective and name is returned as it is.

    Side effects: an AssessorGroup row, an audit event.
    """
    if perspective not in {p for p in Perspective.values if p != Perspective.PRINCIPAL}:
        raise AssessmentError(_("Choose the IT educators, the leadership group or a work team."))
    _require_open(round)
    name = " ".join((name or "").split())[:NAME_MAX]
    if perspective == Perspective.WORK_TEAM and not name:
        raise AssessmentError(_("Give the work team a name, for example “Arbetslag F-3”."))
    if perspective != Perspective.WORK_TEAM:
        name = ""
    existing = AssessorGroup.objects.filter(unit=unit, round=round, perspective=perspective, name=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            group = AssessorGroup.objects.create(
                organizer=unit.organizer, unit=unit, round=round, perspective=perspective, name=name, created_by=by
            )
    except IntegrityError:
        return AssessorGroup.objects.get(unit=unit, round=round, perspective=perspective, name=name)
    record(organizer=unit.organizer, actor=by, verb="perspective.group_created", obj=group, summary=group.label)
    return group


def add_assessor(*, group, by, user=None, email="", full_name="", language="sv", request=None):
    """Add an assessor to the group: ``user`` (an account with a role in the organiser), or an
    e-mail address. An address of a member here adds that member; another address gets the
    organiser's invitation (a contributor's role in the unit), and the assessor counts once it
    is accepted; an invitation already waiting for the address is reused.

    Side effects: an Assessor row, an audit event; maybe an Invitation and its mail
    (``organisations.domain.invite_user``). Raises ``AssessmentError`` with the reason (also
    when the round is closed or upcoming).
    """
    _require_open(group.round)
    organizer = group.organizer
    invitation = None
    if user is None:
        email = organisations.normalise_email(email or "")
        if not email:
            raise AssessmentError(_("Choose a person or write an e-mail address."))
        user = organisations.is_member(organizer=organizer, email=email)
    if user is not None:
        if not people_of(organizer).filter(pk=user.pk).exists():
            raise AssessmentError(_("Choose one of the organiser's users."))
        if Assessor.objects.filter(group=group).filter(Q(user=user) | Q(invitation__accepted_by=user)).exists():
            raise AssessmentError(_("%(name)s is already an assessor here.") % {"name": user.display_name})
    else:
        with transaction.atomic():
            invitation = organisations.open_invitation(organizer=organizer, email=email)
            if invitation is None or invitation.is_expired():
                try:
                    invitation = organisations.invite_user(
                        organizer=organizer,
                        by=by,
                        email=email,
                        full_name=full_name,
                        **assessor_invitation(group.unit),
                        language=language,
                        request=request,
                    )
                except organisations.OrganisationError as exc:
                    raise AssessmentError(str(exc)) from None
        if Assessor.objects.filter(group=group, invitation=invitation).exists():
            raise AssessmentError(_("%(email)s is already invited here.") % {"email": email})
    assessor = Assessor.objects.create(organizer=organizer, group=group, user=user, invitation=invitation, added_by=by)
    who = user.display_name if user else invitation.email
    record(organizer=organizer, actor=by, verb="perspective.assessor_added", obj=group, summary=f"{group.label}: {who}")
    return assessor


def remove_assessor(*, assessor, by):
    """Take an assessor out of the group (what the group has assessed stays).

    Side effects: the Assessor row deleted, an audit event. An invitation not yet accepted
    that was waiting only for this group is cancelled (its link stops working, with its own
    audit event); one that another group or an accepted account still uses stays.
    """
    group = assessor.group
    invitation = assessor.invitation
    who = assessor.user.display_name if assessor.user_id else invitation.email
    with transaction.atomic():
        assessor.delete()
        if (
            invitation is not None
            and invitation.is_open
            and not Assessor.objects.filter(invitation=invitation).exists()
        ):
            organisations.cancel_invitation(invitation=invitation, by=by)
    record(
        organizer=group.organizer,
        actor=by,
        verb="perspective.assessor_removed",
        obj=group,
        summary=f"{group.label}: {who}",
    )


def add_note(*, unit, round, indicator, text, by):
    """A discussion note on one indicator of the unit in the round (dated, with its author).

    Side effects: a DiscussionNote row, an audit event.
    """
    text = (text or "").strip()
    if not text:
        raise AssessmentError(_("Write the note first."))
    if len(text) > NOTE_MAX:
        raise AssessmentError(_("Keep the note under %(max)s characters.") % {"max": NOTE_MAX})
    if indicator.framework_id != round.framework_id:
        raise AssessmentError(_("This indicator does not belong to this assessment."))
    note = DiscussionNote.objects.create(
        organizer=unit.organizer, unit=unit, round=round, indicator=indicator, text=text, author=by
    )
    record(organizer=unit.organizer, actor=by, verb="perspective.note_added", obj=note, summary=indicator.code)
    return note


def open_groups(*, organizer, group_ids):
    """The groups of ``group_ids`` (the user's: ``Access.assessor_group_ids()``) in open rounds,
    each with its current assessment (the draft, else the latest version): ``[{"group",
    "current"}]`` for the start page. Two queries."""
    if not group_ids:
        return []
    groups = list(
        AssessorGroup.objects.filter(organizer=organizer, pk__in=list(group_ids), round__status=Round.Status.OPEN)
        .select_related("unit", "round")
        .order_by("unit__name", "perspective", "name")
    )
    versions = {}
    for a in Assessment.objects.filter(group__in=groups).order_by("version"):
        versions.setdefault(a.group_id, []).append(a)
    return [{"group": g, "current": current_version(versions.get(g.pk, []))} for g in groups]


def published_group_ids(unit):
    """The ids of the unit's assessor groups with a published assessment (any round). One query."""
    return set(
        Assessment.objects.filter(unit=unit, group__isnull=False, status=Assessment.Status.PUBLISHED)
        .values_list("group_id", flat=True)
        .distinct()
    )


def rounds_withheld(access, unit):
    """The ids of the rounds whose levels of the unit the user may not see yet (an assessor whose
    group has not published; ``Access.rounds_withheld``). No query for anyone else."""
    return access.rounds_withheld(unit, lambda: published_group_ids(unit))
