"""State changes for districts, units, users, memberships and access tokens: small keyword-only
functions.

Each lists its side effects and writes an audit event. Errors a user can cause raise
``OrganisationError`` with a translated message the view shows as it is. Forms check the same
rules first so the user sees the message next to the field; these checks are the last word
(and hold for callers without a form: the import, management commands, the shell).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core import schoolforms
from stegvis.core.models import record

from . import door, signals
from .models import (
    ORGANIZER_ROLES,
    RESERVED_SLUGS,
    UNIT_ROLES,
    AccessToken,
    District,
    Membership,
    Organizer,
    Role,
    Unit,
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


def import_units(*, organizer, by, rows, join_open_rounds=True):
    """Create or update units from clean import rows (see ``imports.parse_units``), all or nothing.

    A row whose unit code exists in the organiser updates that unit (name, school forms, district,
    and active when the file has that column); any other row creates a unit. Returns
    ``(created, updated, unchanged)`` counts.
    Side effects: in one transaction, Unit rows created and updated, one audit event on the
    organiser with the counts, ``signals.units_added`` for the created units (with
    ``join_open_rounds`` true the active ones join the open rounds; closed rounds never change)
    and ``signals.unit_changed`` for updated ones.
    """
    with transaction.atomic():
        existing = {u.code: u for u in Unit.objects.filter(organizer=organizer).select_for_update()}
        to_create, to_update = [], []
        for row in rows:
            district_id = row.district.pk if row.district else None
            _check_tenant(organizer, row.district)
            unit = existing.get(row.code)
            if unit is None:
                to_create.append(
                    Unit(
                        organizer=organizer,
                        name=row.name,
                        code=row.code,
                        school_forms=row.school_forms,
                        district_id=district_id,
                        active=True if row.active is None else row.active,
                    )
                )
                continue
            new = {"name": row.name, "school_forms": row.school_forms, "district_id": district_id}
            if row.active is not None:
                new["active"] = row.active
            changed = [field for field, value in new.items() if getattr(unit, field) != value]
            if changed:
                for field, value in new.items():
                    setattr(unit, field, value)
                to_update.append((unit, changed))
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
            [u for u, _c in to_update], ["name", "school_forms", "district", "active"], batch_size=500
        )
        for unit, changed in to_update:
            _announce(unit, changed)
        unchanged = len(rows) - len(to_create) - len(to_update)
        record(
            organizer=organizer,
            actor=by,
            verb="units.imported",
            obj=organizer,
            summary=f"created {len(to_create)}, updated {len(to_update)}, unchanged {unchanged}",
        )
    return len(to_create), len(to_update), unchanged


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


def update_user(*, organizer, user, by, full_name, email, is_active):
    """Change a member's name, e-mail address (also the login) and active flag.

    Side effects: updates the User row, an audit event listing what changed. Raises
    ``OrganisationError`` when the e-mail is taken, when an account shared with another
    organiser would change its e-mail or active flag, or when admins deactivate themselves.
    """
    email = normalise_email(email)
    new = {"full_name": full_name.strip(), "email": email, "is_active": is_active}
    changed = [field for field, value in new.items() if getattr(user, field) != value]
    if not changed:
        return user
    if ("email" in changed or "is_active" in changed) and shared_elsewhere(user=user, organizer=organizer):
        raise OrganisationError(
            _("This account is also used outside this organiser, so only its name can be changed here.")
        )
    if "email" in changed and email_taken(email, exclude_user=user):
        raise OrganisationError(_("The e-mail address %(email)s is taken.") % {"email": email})
    if not is_active and user.pk == by.pk:
        raise OrganisationError(_("You cannot deactivate your own account."))
    for field, value in new.items():
        setattr(user, field, value)
    try:
        with transaction.atomic():
            user.save(update_fields=["full_name", "email", "is_active"])
    except IntegrityError:
        raise OrganisationError(_("The e-mail address %(email)s is taken.") % {"email": email}) from None
    record(organizer=organizer, actor=by, verb="user.changed", obj=user, summary=", ".join(changed))
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
