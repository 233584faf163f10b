"""State changes for districts, units, users, memberships and access tokens: small keyword-only
functions.

Each lists its side effects and writes an audit event. Errors a user can cause raise
``OrganisationError`` with a translated message the view shows as it is. Forms check the same
rules first so the user sees the message next to the field; these checks are the last word
(and hold for callers without a form: the import, management commands, the shell).
"""

import datetime
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override

from stegvis.core import mail, schoolforms
from stegvis.core.models import record

from . import door, imports, signals
from .models import (
    ORGANIZER_ROLES,
    RESERVED_SLUGS,
    UNIT_ROLES,
    AccessToken,
    District,
    EmailChange,
    Invitation,
    Membership,
    Organizer,
    Role,
    Unit,
    UnitImport,
)


class OrganisationError(Exception):
    """A request the rules do not allow; ``str(error)`` is the message for the user."""


def normalise_email(email):
    return (email or "").strip().lower()


def email_taken(email, *, exclude_user=None):
    """Whether an account (in any organiser) already uses the e-mail address as login or e-mail."""
    email = normalise_email(email)
    users = get_user_model().objects.filter(email=email)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
    return users.exists()


def _check_tenant(organizer, *objects):
    for obj in objects:
        if obj is not None and obj.organizer_id != organizer.pk:
            raise OrganisationError(_("That belongs to another organiser."))


# Districts


def create_organizer(*, name, slug):
    """A new organiser (tenant). Side effects: an Organizer row. Raises ``OrganisationError``
    for a taken or reserved short name."""
    if slug in RESERVED_SLUGS or Organizer.objects.filter(slug=slug).exists():
        raise OrganisationError(_("The short name %(slug)s is taken.") % {"slug": slug})
    return Organizer.objects.create(name=name.strip(), slug=slug)


def set_share_national(*, organizer, share, by):
    """Opt in to (or out of) the national comparison: whether the organiser's unit figures are
    part of the national average (docs/maturity.md). Side effects: updates the organiser, an
    audit event (none when nothing changed)."""
    share = bool(share)
    if organizer.share_national == share:
        return organizer
    organizer.share_national = share
    organizer.save(update_fields=["share_national"])
    verb = "organizer.shares_national" if share else "organizer.stops_sharing_national"
    record(organizer=organizer, actor=by, verb=verb, obj=organizer, summary=organizer.name)
    return organizer


def create_district(*, organizer, by, name):
    """Create a district. Side effects: a District row, an audit event."""
    name = name.strip()
    if District.objects.filter(organizer=organizer, name__iexact=name).exists():
        raise OrganisationError(_("There is already a district called “%(name)s”.") % {"name": name})
    district = District.objects.create(organizer=organizer, name=name)
    record(organizer=organizer, actor=by, verb="district.created", obj=district, summary=name)
    return district


def rename_district(*, district, by, name):
    """Rename a district. Side effects: updates the district, an audit event."""
    name = name.strip()
    if name == district.name:
        return district
    if District.objects.filter(organizer=district.organizer_id, name__iexact=name).exclude(pk=district.pk).exists():
        raise OrganisationError(_("There is already a district called “%(name)s”.") % {"name": name})
    old = district.name
    district.name = name
    district.save(update_fields=["name"])
    record(organizer=district.organizer, actor=by, verb="district.renamed", obj=district, summary=f"{old} → {name}")
    return district


def delete_district(*, district, by):
    """Delete a district that has no units.

    Side effects: deletes the District row and the district-lead roles for it, an audit event.
    Raises ``OrganisationError`` while units belong to the district.
    """
    units = Unit.objects.filter(organizer=district.organizer_id, district=district).count()
    if units:
        raise OrganisationError(
            _("The district “%(name)s” still has %(count)s unit(s). Move them to another district first.")
            % {"name": district.name, "count": units}
        )
    record(organizer=district.organizer, actor=by, verb="district.deleted", obj=district, summary=district.name)
    district.delete()


# Units


def _clean_unit_values(*, organizer, name, code, school_forms, district):
    name = (name or "").strip()
    code = (code or "").strip()
    if not name:
        raise OrganisationError(_("A unit needs a name."))
    if not (len(code) == 8 and code.isascii() and code.isdigit()):
        raise OrganisationError(_("A unit code is eight digits (skolenhetskod)."))
    if not school_forms or school_forms & ~schoolforms.ALL_FORMS:
        raise OrganisationError(_("Choose at least one school form."))
    _check_tenant(organizer, district)
    return name, code


def create_unit(*, organizer, by, name, code, school_forms, district=None, active=True, join_open_rounds=True):
    """Create a unit. ``school_forms`` is a bit mask (core.schoolforms).

    Side effects: a Unit row, an audit event, ``signals.units_added`` (with ``join_open_rounds``
    true an active unit joins the organiser's open rounds; closed rounds never change).
    Raises ``OrganisationError`` when the unit code is used by another unit of the organiser.
    """
    name, code = _clean_unit_values(
        organizer=organizer, name=name, code=code, school_forms=school_forms, district=district
    )
    if Unit.objects.filter(organizer=organizer, code=code).exists():
        raise OrganisationError(_("Another unit already has the unit code %(code)s.") % {"code": code})
    try:
        with transaction.atomic():
            unit = Unit.objects.create(
                organizer=organizer, name=name, code=code, school_forms=school_forms, district=district, active=active
            )
            signals.units_added.send(
                sender=None, organizer=organizer, unit_ids=[unit.pk], join_open_rounds=join_open_rounds
            )
    except IntegrityError:
        raise OrganisationError(_("Another unit already has the unit code %(code)s.") % {"code": code}) from None
    record(organizer=organizer, actor=by, verb="unit.created", obj=unit, summary=f"{code} {name}")
    return unit


def update_unit(*, unit, by, name, code, school_forms, district=None, active=True):
    """Change a unit's name, code, school forms, district or active flag.

    Side effects: updates the Unit row, an audit event listing what changed (none when nothing did),
    ``signals.unit_changed`` when the district, school forms or active flag changed.
    """
    organizer = unit.organizer
    name, code = _clean_unit_values(
        organizer=organizer, name=name, code=code, school_forms=school_forms, district=district
    )
    if Unit.objects.filter(organizer=organizer, code=code).exclude(pk=unit.pk).exists():
        raise OrganisationError(_("Another unit already has the unit code %(code)s.") % {"code": code})
    new = {
        "name": name,
        "code": code,
        "school_forms": school_forms,
        "district_id": district.pk if district else None,
        "active": active,
    }
    changed = [field for field, value in new.items() if getattr(unit, field) != value]
    if not changed:
        return unit
    for field in changed:
        setattr(unit, field, new[field])
    try:
        with transaction.atomic():
            unit.save(update_fields=[f.removesuffix("_id") for f in changed])
            _announce(unit, changed)
    except IntegrityError:
        raise OrganisationError(_("Another unit already has the unit code %(code)s.") % {"code": code}) from None
    record(organizer=organizer, actor=by, verb="unit.changed", obj=unit, summary=", ".join(changed))
    return unit


READ_MODEL_FIELDS = {"district_id", "school_forms", "active"}


def _announce(unit, changed):
    """Send ``unit_changed`` when a field that read models depend on changed."""
    fields = READ_MODEL_FIELDS.intersection(changed)
    if fields:
        signals.unit_changed.send(sender=None, unit=unit, fields=sorted(fields))


STAGED_IMPORT_HOURS = 2


def stage_unit_import(*, organizer, by, result, filename=""):
    """Keep a checked file's rows (``imports.ParseResult``) for its preview and confirmation.

    Side effects: a UnitImport row for ``by``; deletes ``by``'s earlier staged imports in the
    organiser and every staged import of the organiser older than ``STAGED_IMPORT_HOURS``.
    """
    UnitImport.objects.filter(organizer=organizer).filter(
        Q(user=by) | Q(created_at__lt=timezone.now() - timedelta(hours=STAGED_IMPORT_HOURS))
    ).delete()
    return UnitImport.objects.create(organizer=organizer, user=by, filename=filename[:255], data=result.to_json())


def staged_import_expired(staged):
    return staged.created_at < timezone.now() - timedelta(hours=STAGED_IMPORT_HOURS)


def discard_unit_import(*, staged):
    """Forget a staged import. Side effects: deletes the UnitImport row."""
    staged.delete()


def import_units(*, organizer, by, rows, skipped=(), staged=None, expect=None, join_open_rounds=True):
    """Create or update units from clean import rows (see ``imports.parse_units``), all or nothing.

    A row whose unit code exists in the organiser updates that unit (its name; its school forms,
    district and active flag when the file gives them; ceased in the register: inactive, active
    there: active); any other row creates a unit (see ``imports.compare``). Units are never
    deleted. ``skipped`` are the file's units the parser skipped (for the audit event's count).
    ``expect`` is the ``digest`` of the plan the user confirmed: when the units have
    changed since, nothing is written. Returns ``(created, updated, unchanged)`` counts.
    Side effects: in one transaction, Unit rows created and updated, ``signals.units_added`` for
    the created units (with ``join_open_rounds`` true the active ones join the open rounds; closed
    rounds never change), ``signals.unit_changed`` for changed districts, school forms or active flags, one audit event on the organiser with the
    counts, and the staged import deleted. Raises ``OrganisationError`` when the plan changed or
    a district of the file no longer exists.
    """
    with transaction.atomic():
        existing = {u.code: u for u in Unit.objects.filter(organizer=organizer).select_for_update()}
        districts = {d.pk: d for d in District.objects.filter(organizer=organizer)}
        try:
            plan = imports.compare(rows, existing=existing, districts=districts, skipped=skipped)
        except imports.DistrictGone as gone:
            raise OrganisationError(
                _("A district named in the file (%(place)s) no longer exists. Upload the file again.")
                % {"place": str(gone.row.place)}
            ) from None
        if expect is not None and plan.digest != expect:
            raise OrganisationError(
                _("The units have changed since this preview was made. Check the changes below and import again.")
            )
        to_create = [
            Unit(
                organizer=organizer,
                name=p.row.name,
                code=p.row.code,
                school_forms=p.row.school_forms,
                district=p.district,
                active=p.active,
            )
            for p in plan.new
        ]
        for p in plan.changed:
            for change in p.changes:
                setattr(p.unit, change.field, change.new)
        Unit.objects.bulk_create(to_create, batch_size=500)
        if to_create:
            signals.units_added.send(
                sender=None,
                organizer=organizer,
                unit_ids=list(
                    Unit.objects.filter(organizer=organizer, code__in=[u.code for u in to_create]).values_list(
                        "pk", flat=True
                    )
                ),
                join_open_rounds=join_open_rounds,
            )
        Unit.objects.bulk_update(
            [p.unit for p in plan.changed], ["name", "school_forms", "district", "active"], batch_size=500
        )
        for p in plan.changed:
            _announce(p.unit, [c.field for c in p.changes])
        deactivated = sum(1 for p in plan.changed for c in p.changes if c.field == "active" and not c.new)
        record(
            organizer=organizer,
            actor=by,
            verb="units.imported",
            obj=organizer,
            summary=(
                f"created {len(plan.new)}, updated {len(plan.changed)} (deactivated {deactivated}), "
                f"unchanged {plan.unchanged}, skipped {len(plan.skipped)}"
            ),
        )
        if staged is not None:
            staged.delete()
    return len(plan.new), len(plan.changed), plan.unchanged


# Users and memberships


def _check_scope(*, organizer, role, district, unit):
    """The district or unit a role needs, and nothing else."""
    if role not in Role.values:
        raise OrganisationError(_("Unknown role."))
    _check_tenant(organizer, district, unit)
    if role in ORGANIZER_ROLES and (district or unit):
        raise OrganisationError(_("An organiser-wide role has no district or unit."))
    if role == Role.DISTRICT_LEAD and (district is None or unit is not None):
        raise OrganisationError(_("A district lead needs a district (and no unit)."))
    if role in UNIT_ROLES and (unit is None or district is not None):
        raise OrganisationError(_("A principal or unit contributor needs a unit (and no district)."))


def add_membership(*, organizer, user, role, district=None, unit=None, by):
    """Give ``user`` a role in the organiser, tied to a district or unit when the role needs one.

    Side effects: a Membership row, an audit event. Raises ``OrganisationError`` when the
    scope does not fit the role or the user has this role here already.
    """
    _check_scope(organizer=organizer, role=role, district=district, unit=unit)
    duplicate = Membership.objects.filter(organizer=organizer, user=user, role=role, district=district, unit=unit)
    if duplicate.exists():
        raise OrganisationError(_("%(user)s already has this role.") % {"user": user.display_name})
    membership = Membership.objects.create(organizer=organizer, user=user, role=role, district=district, unit=unit)
    record(organizer=organizer, actor=by, verb="membership.added", obj=membership, summary=str(membership))
    return membership


def remove_membership(*, membership, by):
    """Take a role away. Refuses to remove the organiser's last admin role.

    Side effects: deletes the Membership row, an audit event. When it was the user's last role
    here, the user no longer belongs to the organiser (the account itself stays).
    """
    organizer = membership.organizer
    if membership.role == Role.ADMIN:
        admins = Membership.objects.filter(organizer=organizer, role=Role.ADMIN).exclude(pk=membership.pk)
        if not admins.exists():
            raise OrganisationError(_("An organiser needs at least one admin. Make someone else admin first."))
    record(organizer=organizer, actor=by, verb="membership.removed", obj=membership, summary=str(membership))
    membership.delete()


def create_user(*, organizer, by, full_name, email, password, role, district=None, unit=None):
    """Create an account (the e-mail, lower-cased, is the login) with its first role in the organiser.

    The password must already be validated (the form runs Django's password validators).
    Side effects: a User row, a Membership row, audit events. Raises ``OrganisationError``
    when the e-mail address is taken (by any account, in any organiser: which one is not told).
    """
    email = normalise_email(email)
    _check_scope(organizer=organizer, role=role, district=district, unit=unit)
    if email_taken(email):
        raise OrganisationError(_("The e-mail address %(email)s is taken.") % {"email": email})
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            email=email,
            password=password,
            full_name=full_name.strip(),
        )
        record(organizer=organizer, actor=by, verb="user.created", obj=user, summary=email)
        add_membership(organizer=organizer, user=user, role=role, district=district, unit=unit, by=by)
    return user


def shared_elsewhere(*, user, organizer):
    """Whether the account is also used outside this organiser (or is a site administrator).

    Such an account's e-mail address and active flag are not this organiser's to change.
    """
    # Deliberately across organisers: the request's scope would hide exactly these rows.
    return Membership.objects.with_scopes_disabled().filter(user=user).exclude(organizer=organizer).exists()


def update_user(*, organizer, user, by, full_name, email, is_active, request=None):
    """Change a member's name and active flag at once, and ask for a change of e-mail address.

    A new address (also the login) is not applied here: a confirmation mail with a one-time link
    goes to it (``request_email_change``), the same whether or not an account elsewhere uses it.
    Returns the pending ``EmailChange`` when one was asked for, else None.

    Side effects: updates the User row and an audit event listing what changed; maybe an
    EmailChange and its mail. Raises ``OrganisationError`` when the new address is a member or a
    waiting invitation here, when an account shared with another organiser would change its
    e-mail or active flag, or when admins deactivate themselves.
    """
    email = normalise_email(email)
    new = {"full_name": full_name.strip(), "is_active": is_active}
    changed = [field for field, value in new.items() if getattr(user, field) != value]
    email_changed = email != normalise_email(user.email)
    if not changed and not email_changed:
        return None
    if (email_changed or "is_active" in changed) and shared_elsewhere(user=user, organizer=organizer):
        raise OrganisationError(
            _("This account is also used outside this organiser, so only its name can be changed here.")
        )
    if email_changed:
        _check_address_here(organizer=organizer, email=email)
    if not is_active and user.pk == by.pk:
        raise OrganisationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        if changed:
            for field, value in new.items():
                setattr(user, field, value)
            user.save(update_fields=["full_name", "is_active"])
            record(organizer=organizer, actor=by, verb="user.changed", obj=user, summary=", ".join(changed))
        if email_changed:
            return request_email_change(organizer=organizer, user=user, by=by, email=email, request=request)
    return None


def _check_address_here(*, organizer, email):
    """Refuse an address that this organiser already knows: a member, or a waiting invitation.
    Accounts elsewhere are not mentioned (see ``EmailChange``)."""
    if is_member(organizer=organizer, email=email):
        raise OrganisationError(_("%(email)s is already a member here.") % {"email": email})
    waiting = open_invitation(organizer=organizer, email=email)
    if waiting is not None and not waiting.is_expired():
        raise OrganisationError(_("An invitation to %(email)s is already waiting for an answer.") % {"email": email})


# Changes of e-mail address, confirmed by the new address

EMAIL_CHANGE_DAYS = 7


def open_email_change(*, organizer, user):
    """The member's change of address waiting for confirmation (not expired), if any."""
    return (
        EmailChange.objects.filter(
            organizer=organizer,
            user=user,
            confirmed_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-id")
        .first()
    )


def request_email_change(*, organizer, user, by, email, request=None):
    """Ask the owner of ``email`` to confirm it as the member's new address (and login).

    Goes the same way whether or not an account (elsewhere) has the address. An earlier open
    change of the member's address is cancelled (its link dies).
    Side effects: an EmailChange row (only a hash of the token), an audit event, a mail (kind
    "email_change") to the new address with the link, valid 7 days and once.
    """
    email = normalise_email(email)
    now = timezone.now()
    token, token_hash = _new_token()
    with transaction.atomic():
        EmailChange.objects.filter(
            organizer=organizer, user=user, confirmed_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        change = EmailChange.objects.create(
            organizer=organizer,
            user=user,
            new_email=email,
            token_hash=token_hash,
            requested_by=by if by is not None and by.is_authenticated else None,
            expires_at=now + timedelta(days=EMAIL_CHANGE_DAYS),
        )
        record(organizer=organizer, actor=by, verb="user.email_change_requested", obj=user, summary=email)
        path = reverse("email_change_confirm", kwargs={"token": token})
        requester = change.requested_by.display_name if change.requested_by else organizer.name
        with language_override(user.language):
            subject = _("Confirm your new e-mail address for Stegvis")
            why = _(
                "You receive this message because %(requester)s at %(organizer)s gave this address "
                "for an account in Stegvis. If you did not expect it, ignore it: nothing changes "
                "unless you open the link and confirm."
            ) % {"requester": requester, "organizer": organizer.name}
        mail.send(
            to_email=email,
            kind="email_change",
            organizer=organizer,
            subject=subject,
            template="organisations/mail/email_change",
            context={
                "organizer": organizer,
                "requester": requester,
                "name": user.display_name,
                "url": mail.absolute_url(path, request),
                "expires_at": change.expires_at,
            },
            language=user.language,
            link=reverse("user_edit", kwargs={"organizer_slug": organizer.slug, "user_id": user.pk}),
            why=why,
            dedupe_key=f"email_change:{change.pk}",
            secret=token,
        )
    return change


def cancel_email_change(*, organizer, user, by):
    """Withdraw the member's waiting change of address: its link stops working.

    Side effects: the EmailChange's cancelled time, an audit event. Returns the change or None.
    """
    change = open_email_change(organizer=organizer, user=user)
    if change is None:
        return None
    change.cancelled_at = timezone.now()
    change.save(update_fields=["cancelled_at"])
    record(organizer=organizer, actor=by, verb="user.email_change_cancelled", obj=user, summary=change.new_email)
    return change


def find_email_change(token):
    """The change of address a link's token belongs to (whatever its state), or None. Across
    organisers: the token is the only key there is."""
    if not token or len(token) > 100:
        return None
    return (
        EmailChange.objects.with_scopes_disabled()
        .select_related("organizer", "user")
        .filter(token_hash=hash_token(token))
        .first()
    )


def email_change_still_allowed(change):
    """Whether the member may still have the address changed by this organiser: still a member
    there, and not (meanwhile) an account shared with another organiser."""
    organizer, user = change.organizer, change.user
    is_member_there = Membership.objects.with_scopes_disabled().filter(organizer=organizer, user=user).exists()
    return is_member_there and not shared_elsewhere(user=user, organizer=organizer)


class AddressInUse(OrganisationError):
    """The new address belongs to another account: said only to the owner of the address."""


def confirm_email_change(*, change, request=None):
    """Apply a valid change of address: the member's login becomes the new address.

    Side effects: in one transaction, the User's e-mail, the EmailChange marked confirmed (its
    link dies), an audit event; then a notice mail (kind "email_changed") to the old address.
    Raises ``AddressInUse`` when another account has the address by now (nothing changes, the
    change stays waiting), ``OrganisationError`` when the change is no longer valid.
    """
    User = get_user_model()
    organizer = change.organizer
    with transaction.atomic():
        change = EmailChange.objects.with_scopes_disabled().select_for_update().get(pk=change.pk)
        if not change.is_open or change.is_expired() or not email_change_still_allowed(change):
            raise OrganisationError(_("This link is no longer valid."))
        user = User.objects.select_for_update().get(pk=change.user_id)
        old_email = user.email
        if User.objects.filter(email=change.new_email).exclude(pk=user.pk).exists():
            raise AddressInUse(_("This address is already used by another Stegvis account."))
        user.email = change.new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            raise AddressInUse(_("This address is already used by another Stegvis account.")) from None
        change.confirmed_at = timezone.now()
        change.save(update_fields=["confirmed_at"])
        record(
            organizer=organizer,
            actor=change.requested_by,
            verb="user.email_changed",
            obj=user,
            summary=f"{old_email} → {change.new_email}",
        )
        with language_override(user.language):
            subject = _("Your e-mail address in Stegvis was changed")
            why = _("You receive this message because this address was the login of your Stegvis account.")
        mail.send(
            to_email=old_email,
            to_user=user,
            kind="email_changed",
            organizer=organizer,
            subject=subject,
            template="organisations/mail/email_changed",
            context={"organizer": organizer, "new_email": change.new_email, "name": user.display_name},
            language=user.language,
            link=reverse("user_edit", kwargs={"organizer_slug": organizer.slug, "user_id": user.pk}),
            why=why,
            dedupe_key=f"email_changed:{change.pk}",
        )
    return user


# Access tokens: the door for people without an account (docs/tenancy.md)

TOKEN_USE_RECORDED_EVERY = datetime.timedelta(minutes=5)


def issue_token(*, organizer, purpose, target=None, expires_at=None, by):
    """A new token into ``organizer`` for ``purpose`` (e.g. "survey"), optionally for one object
    of that organiser (``target``, e.g. the survey), valid until ``expires_at`` (None: until
    revoked). Returns ``(access_token, token)``: the row, and the token for the URL
    (``/t/<token>/...``), which is not stored and cannot be shown again.

    Side effects: an AccessToken row (a lookup key and a hash, never the token), an audit event.
    Raises ``ValueError`` for a malformed purpose, ``OrganisationError`` when the target belongs
    to another organiser (or to none).
    """
    if not isinstance(purpose, str) or not door.PURPOSE_PATTERN.fullmatch(purpose):
        raise ValueError(f"A token purpose is a short lower-case name, got {purpose!r}")
    if target is not None and getattr(target, "organizer_id", None) != organizer.pk:
        raise OrganisationError(_("That belongs to another organiser."))
    token = door.new_token()
    selector, digest = door.split(token)
    access_token = AccessToken.objects.create(
        organizer=organizer,
        purpose=purpose,
        selector=selector,
        digest=digest,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        expires_at=expires_at,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    record(organizer=organizer, actor=by, verb="token.issued", obj=access_token, summary=purpose)
    return access_token, token


def revoke_token(*, access_token, by):
    """Close the door a token opened, at once. Revoking twice changes nothing.

    Side effects: sets revoked_at on the row, an audit event.
    """
    if access_token.revoked_at is not None:
        return access_token
    access_token.revoked_at = timezone.now()
    AccessToken.objects.filter(pk=access_token.pk).update(revoked_at=access_token.revoked_at)
    door.forget(access_token.selector)  # other processes: within the purpose's cache time
    record(
        organizer=access_token.organizer,
        actor=by,
        verb="token.revoked",
        obj=access_token,
        summary=access_token.purpose,
    )
    return access_token


def note_token_use(*, access_token, now=None):
    """Remember when a token was last used, at most every few minutes (a calendar feed is read
    often). Side effects: may update last_used_at on the row."""
    now = now or timezone.now()
    if access_token.last_used_at is None or now - access_token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        access_token.last_used_at = now
        AccessToken.objects.filter(pk=access_token.pk).update(last_used_at=now)


# Invitations

INVITATION_DAYS = 7


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token():
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def is_member(*, organizer, email):
    """Whether an account with this address has a role in this organiser (and which: the User)."""
    return (
        get_user_model()
        .objects.filter(email=normalise_email(email), memberships__organizer=organizer)
        .order_by("pk")
        .first()
    )


def open_invitation(*, organizer, email):
    """The organiser's invitation to this address that is neither accepted nor cancelled, if any."""
    return Invitation.objects.filter(
        organizer=organizer, email=normalise_email(email), accepted_at__isnull=True, cancelled_at__isnull=True
    ).first()


def _send_invitation(invitation, token, *, request=None):
    """The invitation mail; its text is the same whether or not the address has an account."""
    path = reverse("invitation_accept", kwargs={"token": token})
    organizer = invitation.organizer
    inviter = invitation.invited_by.display_name if invitation.invited_by else organizer.name
    with language_override(invitation.language):
        where = invitation.unit or invitation.district
        role = Role(invitation.role).label
        subject = _("Invitation to Stegvis from %(organizer)s") % {"organizer": organizer.name}
        why = _(
            "You receive this message because %(inviter)s at %(organizer)s invited this address to Stegvis. "
            "If you did not expect it, ignore it: nothing happens unless you open the link."
        ) % {"inviter": inviter, "organizer": organizer.name}
        role = str(role)
        role = role[:1].lower() + role[1:]  # mid-sentence: "as principal, Ekskolan"
        role_text = f"{role}, {where.name}" if where else role
    mail.send(
        to_email=invitation.email,
        kind="invitation",
        organizer=organizer,
        subject=subject,
        template="organisations/mail/invitation",
        context={
            "invitation": invitation,
            "organizer": organizer,
            "inviter": inviter,
            "role": role_text,
            "url": mail.absolute_url(path, request),
            "expires_at": invitation.expires_at,
            "days": INVITATION_DAYS,
        },
        language=invitation.language,
        link=reverse("users", kwargs={"organizer_slug": organizer.slug}),
        why=why,
        dedupe_key=f"invitation:{invitation.pk}:{invitation.send_count}",
        secret=token,
    )


def invite_user(*, organizer, by, email, full_name, role, district=None, unit=None, language="sv", request=None):
    """Invite someone to a role in the organiser by e-mail, with a one-time link valid 7 days.

    Goes the same way whether or not an account elsewhere has the address: that is not told, and
    the invitation holds only what the admin typed. Raises ``OrganisationError`` when the address
    is already a member here, or has a valid invitation here (an expired one is replaced).
    Side effects: an Invitation row (only a hash of the token), an audit event, a mail
    (``core.mail.send``, kind "invitation") with the link.
    """
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    _check_scope(organizer=organizer, role=role, district=district, unit=unit)
    if is_member(organizer=organizer, email=email):
        raise OrganisationError(_("%(email)s is already a member here.") % {"email": email})
    now = timezone.now()
    with transaction.atomic():
        waiting = open_invitation(organizer=organizer, email=email)
        if waiting is not None:
            if not waiting.is_expired(now):
                raise OrganisationError(
                    _("An invitation to %(email)s is already waiting for an answer. Send it again or cancel it.")
                    % {"email": email}
                )
            waiting.cancelled_at = now
            waiting.save(update_fields=["cancelled_at"])
        token, token_hash = _new_token()
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organizer=organizer,
                    email=email,
                    full_name=full_name,
                    role=role,
                    district=district,
                    unit=unit,
                    language=language if language in ("sv", "en") else "sv",
                    token_hash=token_hash,
                    invited_by=by if by is not None and by.is_authenticated else None,
                    sent_at=now,
                    expires_at=now + timedelta(days=INVITATION_DAYS),
                )
        except IntegrityError:  # another admin invited the same address a moment ago
            raise OrganisationError(
                _("An invitation to %(email)s is already waiting for an answer. Send it again or cancel it.")
                % {"email": email}
            ) from None
        record(organizer=organizer, actor=by, verb="invitation.sent", obj=invitation, summary=email)
        _send_invitation(invitation, token, request=request)
    return invitation


def resend_invitation(*, invitation, by, request=None):
    """Send an open invitation again with a new link valid 7 more days; the old link dies.

    Side effects: the Invitation's token hash, times and send count; an audit event; a mail.
    Raises ``OrganisationError`` when the invitation was accepted or cancelled.
    """
    if not invitation.is_open:
        raise OrganisationError(_("This invitation was already answered or cancelled."))
    now = timezone.now()
    token, token_hash = _new_token()
    with transaction.atomic():
        invitation.token_hash = token_hash
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.send_count += 1
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
        record(
            organizer=invitation.organizer, actor=by, verb="invitation.resent", obj=invitation, summary=invitation.email
        )
        _send_invitation(invitation, token, request=request)
    return invitation


def cancel_invitation(*, invitation, by):
    """Withdraw an open invitation: its link stops working.

    Side effects: the Invitation's cancelled time, an audit event. Raises ``OrganisationError``
    when it was accepted or cancelled already.
    """
    if not invitation.is_open:
        raise OrganisationError(_("This invitation was already answered or cancelled."))
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(
        organizer=invitation.organizer, actor=by, verb="invitation.cancelled", obj=invitation, summary=invitation.email
    )
    return invitation


def find_invitation(token):
    """The invitation a link's token belongs to (whatever its state), or None. Across organisers:
    the token is the only key there is."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.with_scopes_disabled()
        .select_related("organizer")
        .filter(token_hash=hash_token(token))
        .first()
    )


def accept_invitation(*, invitation, user=None, full_name="", password=None, language="sv"):
    """Accept a valid invitation: with ``user`` (the logged-in account that has the address) the
    role is added to it; without, a new account is made from ``full_name`` and ``password``
    (already validated) in ``language``.

    Side effects: in one transaction, maybe a User row; a Membership (unless the account has the
    role already); the Invitation marked accepted (its link dies); audit events.
    Raises ``OrganisationError`` when the invitation is no longer valid, when ``user`` has
    another address, or when an account with the address appeared meanwhile (log in first).
    """
    User = get_user_model()
    organizer = invitation.organizer
    with transaction.atomic():
        invitation = Invitation.objects.with_scopes_disabled().select_for_update().get(pk=invitation.pk)
        if not invitation.is_open or invitation.is_expired():
            raise OrganisationError(_("This invitation is no longer valid."))
        if user is None:
            if User.objects.filter(email=invitation.email).exists():
                raise OrganisationError(_("There is already an account with this address: log in to accept."))
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=(full_name or invitation.full_name).strip(),
                language=language if language in ("sv", "en") else "sv",
            )
            record(organizer=organizer, actor=user, verb="user.created", obj=user, summary=invitation.email)
        elif normalise_email(user.email) != invitation.email:
            raise OrganisationError(_("This invitation is for another e-mail address."))
        has_role = Membership.objects.filter(
            organizer=organizer, user=user, role=invitation.role, district=invitation.district, unit=invitation.unit
        ).exists()
        if not has_role:
            add_membership(
                organizer=organizer,
                user=user,
                role=invitation.role,
                district=invitation.district,
                unit=invitation.unit,
                by=invitation.invited_by,
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(organizer=organizer, actor=user, verb="invitation.accepted", obj=invitation, summary=invitation.email)
    return user
