"""Who may do what, in one place.

A request inside an organiser carries ``request.access``: the user's memberships in that
organiser turned into a few questions the views ask. Views never look at roles themselves.

Capabilities:
  manage     organiser admin: districts, units, users, rounds
  view_all   organiser admin and viewer: read every unit
  view_unit  the above, the district lead of the unit's district, the unit's principal and contributors
  assess     the unit's principal: start, answer and publish assessments
  plan       the unit's principal and contributors: actions and follow-up notes
  can_read_mail  organiser admin: the organiser's sent mail (to whom, what, whether it went)
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Role


class Access:
    def __init__(self, *, user, organizer, memberships):
        self.user = user
        self.organizer = organizer
        self.memberships = list(memberships)
        roles = {m.role for m in self.memberships}
        self.is_member = bool(self.memberships)
        self.is_admin = Role.ADMIN in roles
        self.is_viewer = Role.VIEWER in roles
        self.district_ids = {m.district_id for m in self.memberships if m.role == Role.DISTRICT_LEAD}
        self.principal_unit_ids = {m.unit_id for m in self.memberships if m.role == Role.PRINCIPAL}
        self.contributor_unit_ids = {m.unit_id for m in self.memberships if m.role == Role.CONTRIBUTOR}

    # organiser-wide
    @property
    def manage(self):
        return self.is_admin

    @property
    def can_read_mail(self):
        return self.is_admin

    @property
    def view_all(self):
        return self.is_admin or self.is_viewer

    @property
    def has_unit_roles(self):
        return bool(self.principal_unit_ids or self.contributor_unit_ids)

    # per unit
    def view_unit(self, unit):
        return (
            self.view_all
            or unit.district_id in self.district_ids
            or unit.pk in self.principal_unit_ids
            or unit.pk in self.contributor_unit_ids
        )

    def assess(self, unit):
        return unit.pk in self.principal_unit_ids

    def plan(self, unit):
        return unit.pk in self.principal_unit_ids or unit.pk in self.contributor_unit_ids

    def visible_units(self, units):
        """Filter a Unit queryset to what this user may read."""
        if self.view_all:
            return units
        return units.filter(
            Q(district_id__in=self.district_ids) | Q(pk__in=self.principal_unit_ids | self.contributor_unit_ids)
        )

    # guards used by views
    def require(self, allowed):
        if not allowed:
            raise PermissionDenied

    def require_unit(self, unit, capability="view_unit"):
        """404 when the unit is invisible to the user, 403 when visible but not allowed."""
        if not self.view_unit(unit):
            raise Http404
        if capability != "view_unit" and not getattr(self, capability)(unit):
            raise PermissionDenied
