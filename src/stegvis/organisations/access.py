"""Who may do what, in one place.

Every request inside an organiser carries ``request.access``: the user's memberships in that
organiser (or the token of the door, ``/t/<token>/``) turned into named questions. Views,
templates, exporters and background jobs ask these questions; nothing outside this module reads
roles or membership sets (``tests/test_roles_in_one_place.py`` fails when something does).
docs/tenancy.md lists the questions.

Organiser-wide questions (properties):
  is_member            a member of the organiser (not someone who came through the token door)
  can_manage           organiser admin: districts, units, users, rounds
  can_read_all_units   organiser admin and viewer: every unit, every district
  can_read_organiser   the organiser-wide read pages (units, overview, maturity): admins and
                       viewers, and district leads (limited to their districts)
  can_read_rounds      the round list with every unit's progress: admins and viewers
  can_export           organiser exports and the board report (same people as can_read_organiser)
  can_read_mail        organiser admin: the organiser's sent mail (to whom, what, whether it went)
  can_manage_api_tokens  organiser admin: make, list and revoke the organiser's API tokens
  can_publish_open_data  organiser admin: switch open data on or off
  my_unit_ids          the units the user works in (principal or contributor)

Questions about one thing (methods):
  can_read_unit(unit), can_assess(unit, perspective="principal"), can_plan(unit),
  can_export_kind(kind), can_manage_job(job), can_download_export(job), can_use_token(purpose),
  is_token_target(obj)

Filters: visible_units(units) (every unit the user may read), organiser_units(units) (the units
organiser-wide pages show: all, or a district lead's districts), visible_districts(districts).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Membership, Organizer, Role

PRINCIPAL_PERSPECTIVE = "principal"  # assessments.Perspective.PRINCIPAL (a higher tier)
ALL = {"all": True}  # the read scope of someone who reads every unit


class NoAccess:
    """Every question answered no. ``Access`` (a member) and ``TokenAccess`` (the token door)
    answer some of them yes; a new question gets its "no" here first, so neither can forget it."""

    user = None
    organizer = None
    token = None
    is_member = False
    can_manage = False
    can_read_all_units = False
    can_read_organiser = False
    can_read_rounds = False
    can_export = False
    can_read_mail = False
    my_unit_ids = frozenset()
    # -- API tokens and open data (issue 13) --
    can_manage_api_tokens = False
    can_publish_open_data = False

    # per thing
    def can_read_unit(self, unit):
        return False

    def can_assess(self, unit, perspective=PRINCIPAL_PERSPECTIVE):
        return False

    def can_plan(self, unit):
        return False

    def can_export_kind(self, kind):
        return False

    def can_manage_job(self, job):
        return False

    def can_download_export(self, job):
        return False

    def can_use_token(self, purpose):
        return False

    def is_token_target(self, obj):
        return False

    # filters
    def visible_units(self, units):
        return units.none()

    def organiser_units(self, units):
        return units.none()

    def visible_districts(self, districts):
        return districts.none()

    # what a file made from organiser-wide reads covers, checked again when it is fetched
    def read_scope(self):
        return None

    def covers_read_scope(self, scope):
        return False

    # guards used by views
    def require(self, allowed):
        """403 unless ``allowed`` (the answer to one of the questions above)."""
        if not allowed:
            raise PermissionDenied

    def require_unit(self, unit, capability="read"):
        """404 when the unit is invisible to the user, 403 when visible but ``capability``
        ("read", "assess" for the principal's perspective, "plan") is not allowed."""
        if not self.can_read_unit(unit):
            raise Http404
        if capability != "read" and not getattr(self, f"can_{capability}")(unit):
            raise PermissionDenied


class Access(NoAccess):
    """A member's rights in one organiser, from their memberships there."""

    is_member = True

    def __init__(self, *, user, organizer, memberships):
        self.user = user
        self.organizer = organizer
        self.memberships = list(memberships)
        roles = {m.role for m in self.memberships}
        self.is_admin = Role.ADMIN in roles
        self.is_viewer = Role.VIEWER in roles
        self.district_ids = frozenset(m.district_id for m in self.memberships if m.role == Role.DISTRICT_LEAD)
        self.principal_unit_ids = frozenset(m.unit_id for m in self.memberships if m.role == Role.PRINCIPAL)
        self.contributor_unit_ids = frozenset(m.unit_id for m in self.memberships if m.role == Role.CONTRIBUTOR)
        self.my_unit_ids = self.principal_unit_ids | self.contributor_unit_ids

    @classmethod
    def for_slug(cls, *, slug, user):
        """The user's access in the organiser with this slug, or None when the user has no role
        there (or there is no such organiser: the caller cannot tell, and says 404 to both).
        One query: the organiser comes with the memberships."""
        memberships = list(
            Membership.objects.with_scopes_disabled()
            .filter(organizer__slug=slug, user=user)
            .select_related("organizer")
        )
        if not memberships:
            return None
        return cls(user=user, organizer=memberships[0].organizer, memberships=memberships)

    @classmethod
    def for_user(cls, *, user, organizer):
        """The user's access read afresh (a background job checks the rights of the moment)."""
        memberships = Membership.objects.with_scopes_disabled().filter(organizer=organizer, user=user)
        return cls(user=user, organizer=organizer, memberships=memberships)

    # organiser-wide
    @property
    def can_manage(self):
        return self.is_admin

    @property
    def can_read_mail(self):
        return self.is_admin

    @property
    def can_read_all_units(self):
        return self.is_admin or self.is_viewer

    # -- API tokens and open data (issue 13) --
    @property
    def can_manage_api_tokens(self):
        """An API token reads everything of the organiser: organiser admins make them."""
        return self.is_admin

    @property
    def can_publish_open_data(self):
        return self.is_admin

    @property
    def can_read_organiser(self):
        return self.can_read_all_units or bool(self.district_ids)

    @property
    def can_read_rounds(self):
        return self.can_read_all_units

    @property
    def can_export(self):
        """Organiser exports and the board report: admins and viewers (everything) and district
        leads (their districts). Principals and contributors have the unit report."""
        return self.can_read_organiser

    # per unit
    def can_read_unit(self, unit):
        return self.can_read_all_units or unit.district_id in self.district_ids or unit.pk in self.my_unit_ids

    def can_assess(self, unit, perspective=PRINCIPAL_PERSPECTIVE):
        """Start, answer and publish the unit's assessment: the unit's principal, for the
        principal's perspective (the other perspectives have no assessors yet)."""
        return perspective == PRINCIPAL_PERSPECTIVE and unit.pk in self.principal_unit_ids

    def can_plan(self, unit):
        """Actions and follow-up notes: the unit's principal and contributors."""
        return unit.pk in self.my_unit_ids

    # exports
    def can_export_kind(self, kind):
        """Every export kind has the rule of ``can_export`` today; a kind with a narrower rule
        is decided here."""
        return self.can_export

    def can_manage_job(self, job):
        """Follow a background job: who started it, or an organiser admin."""
        return job.user_id == self.user.pk or self.is_admin

    def can_download_export(self, job):
        """Fetch a finished export's file: who may follow the job, if they may still make that
        kind of export and still read everything the file holds (``job.params["scope"]``, the
        read scope it was made with; a job without one counts as holding every unit)."""
        return (
            self.can_manage_job(job)
            and self.can_export_kind(job.kind)
            and self.covers_read_scope(job.params.get("scope", ALL))
        )

    def read_scope(self):
        """What the user's organiser-wide reads cover, as JSON to store with a file made from
        them: ``{"all": true}``, or the districts and units (sorted ids)."""
        if self.can_read_all_units:
            return dict(ALL)
        return {"districts": sorted(self.district_ids), "units": sorted(self.my_unit_ids)}

    def covers_read_scope(self, scope):
        """Whether the user may still read everything a stored read scope covered."""
        if self.can_read_all_units:
            return True
        if not isinstance(scope, dict) or scope.get("all"):
            return False
        return set(scope.get("districts", ())) <= self.district_ids and set(scope.get("units", ())) <= self.my_unit_ids

    # filters
    def visible_units(self, units):
        """Filter a Unit queryset to every unit this user may read."""
        if self.can_read_all_units:
            return units
        return units.filter(Q(district_id__in=self.district_ids) | Q(pk__in=self.my_unit_ids))

    def organiser_units(self, units):
        """Filter a Unit queryset to what organiser-wide pages (overview, maturity) show: every
        unit, or a district lead's districts."""
        if self.can_read_all_units:
            return units
        return units.filter(district_id__in=self.district_ids)

    def visible_districts(self, districts):
        """Filter a District queryset to the districts organiser-wide pages offer."""
        if self.can_read_all_units:
            return districts
        return districts.filter(pk__in=self.district_ids)


class TokenAccess(NoAccess):
    """The rights of someone who came through the token door: the token's purpose, in its
    organiser, and nothing else, whoever is logged in (docs/tenancy.md)."""

    def __init__(self, *, token):
        self.token = token
        self.organizer = token.organizer
        self._target = None

    def can_use_token(self, purpose):
        return purpose == self.token.purpose

    @property
    def target(self):
        """The object the token was issued for (or None), fetched inside its organiser."""
        if self._target is None and self.token.target_type_id:
            model = self.token.target_type.model_class()
            self._target = model._default_manager.filter(organizer=self.organizer, pk=self.token.target_id).first()
        return self._target

    def is_token_target(self, obj):
        """Whether ``obj`` is the object the token was issued for."""
        target = self.target
        return target is not None and type(obj) is type(target) and obj.pk == target.pk


def organizers_of(user):
    """The organisers in which the user has a role, by name (the start page's choice)."""
    return list(Organizer.objects.filter(memberships__user=user).distinct().order_by("name"))
