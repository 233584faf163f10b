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
  can_manage_personal_data  organiser admin: a member's personal data (export, erase), retention rules
  can_read_audit       organiser admin: the audit log
  can_read_goals       the goals page (every member; can_read_goal(goal) for each goal)
  can_set_any_goal     set some goal: admins, district leads, principals
  can_manage_sso       organiser admin: the organiser's sign-in providers (Entra ID, Google, SAML)
  can_see_calendar     the year wheel and a personal calendar feed: anyone with a role
  can_manage_calendar  own events in the year wheel, the organiser's feed: organiser admins
  can_manage_api_tokens  organiser admin: make, list and revoke the organiser's API tokens
  can_publish_open_data  organiser admin: switch open data on or off
  my_unit_ids          the units the user works in (principal or contributor)
  can_remind           organiser admin: reminder rules, reminders sent now, bounced addresses
  can_set_notifications  a member: their own notification preferences
  can_read_certification / can_manage_certification  certified units (organiser readers) / rules (admins)
  can_read_council_indicator / can_set_council_indicator  the council indicator page and PDF / choosing it
  can_read_digital_plans  the list of units' digital plans (every member, their units)
  can_read_organiser_plan  the organiser's plan (admins, viewers, district leads)
  can_edit_organiser_plan  start, edit, adopt the organiser's plan (admins)
  can_use_library, can_share_example  the library of good examples: every member

Questions about one thing (methods):
  can_read_unit(unit), can_assess(unit, perspective="principal"), can_plan(unit),
  can_set_goal(scope=, district=, unit=), can_read_goal(goal),
  can_read_digital_plan(unit), can_edit_digital_plan(unit),
  can_link_initiative_goal(initiative=, goal=) (a measurable goal served by an initiative),
  can_export_kind(kind), can_manage_job(job), can_download_export(job), can_use_token(purpose),
  is_token_target(obj),
  can_read_example(example), can_change_example(example), sees_example_people(example),
  example_visibility() (a filter on library.Example)

About an account as a whole (functions): belongs_to(user=, organizer=) (may sign in with the
organiser's school accounts), is_admin_anywhere(user) (a password login needs the second factor).
Perspectives (docs/perspectives.md): can_assess(unit, perspective, group=), can_manage_assessors(unit),
  can_read_perspectives(unit), can_read_assessment(assessment, published_keys=), can_discuss(unit),
  perspective_keys(unit, round), sees_other_perspectives(unit, round, published_keys),
  rounds_withheld(unit, published_group_ids)

Networks (docs/networks.md): can_read_networks, can_create_networks, can_read_network(network),
  can_manage_network(network), can_coordinate_network(network), can_contribute_to_network(network),
  can_remove_network_member(member), can_change_action_item(item),
  can_remove_meeting_file(meeting_file), network_ids(),
  visible_networks(networks)

Filters: visible_units(units) (every unit the user may read), organiser_units(units) (the units
organiser-wide pages show: all, or a district lead's districts), visible_districts(districts).
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .models import ORGANIZER_ROLES, UNIT_ROLES, Invitation, Membership, Organizer, Role, Unit

PRINCIPAL_PERSPECTIVE = "principal"  # assessments.Perspective.PRINCIPAL (a higher tier)

# -- perspectives: who is an assessor of another perspective than the principal's -------------
# Assessor groups live in ``assessments`` (a higher tier), which registers here the one function
# that reads them: ``source(user, organizer) -> [(group_id, unit_id, round_id), ...]``, the
# groups the user assesses in (as a user, or by an accepted e-mail invitation).
_assessor_source = None


def assessor_invitation(unit):
    """The role and scope an assessor invited by e-mail gets, as ``invite_user`` keywords: a
    contributor of the unit, who reads the unit and its plan (docs/perspectives.md)."""
    return {"role": Role.CONTRIBUTOR, "unit": unit}


def provide_assessor_groups(source):
    """Called once by ``assessments.apps`` (dependency inversion: access never imports it)."""
    global _assessor_source
    _assessor_source = source


# -- networks (issue 11, docs/networks.md): who is a member or coordinator of which network --
# Network memberships live in ``networks`` (a higher tier), which registers here the function
# that reads them: ``source(user, organizer) -> {network_id: "member" | "coordinator"}``.
_network_source = None
NETWORK_COORDINATOR = "coordinator"  # networks.NetworkMember.Role.COORDINATOR (a higher tier)


def provide_network_roles(source):
    """Called once by ``networks.apps`` (dependency inversion: access never imports it)."""
    global _network_source
    _network_source = source


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
    # personal data (privacy room): a person's data, erasure, retention rules; the audit log
    can_manage_personal_data = False
    can_read_audit = False
    # goals (goals room)
    can_read_goals = False
    can_set_any_goal = False
    can_manage_sso = False
    my_unit_ids = frozenset()
    # notifications (issue 9)
    can_remind = False
    can_set_notifications = False
    # -- certification and the council indicator (goals room, docs/goals.md) --
    can_read_certification = False
    can_manage_certification = False
    can_read_council_indicator = False
    can_set_council_indicator = False
    # -- API tokens and open data (issue 13) --
    can_manage_api_tokens = False
    can_publish_open_data = False
    # -- what works (goals room, docs/what-works.md) --
    can_read_what_works = False
    # -- local digital plans and the organiser's plan (goals room, docs/digital-plans.md) --
    can_read_digital_plans = False
    can_read_organiser_plan = False
    can_edit_organiser_plan = False

    def can_read_digital_plan(self, unit):
        return False

    def can_edit_digital_plan(self, unit):
        return False

    # -- end digital plans --

    # per thing
    def can_read_unit(self, unit):
        return False

    # -- surveys (issue 12; docs/surveys.md) --
    can_open_surveys = False
    can_read_surveys = False

    def can_open_survey_for(self, unit):
        return False

    def can_read_survey(self, survey):
        return False

    def can_manage_survey(self, survey):
        return False

    def can_read_survey_free_text(self, unit):
        return False

    def can_read_survey_organiser_results(self, survey):
        return False

    # -- end surveys --

    def can_assess(self, unit, perspective=PRINCIPAL_PERSPECTIVE, group=None):
        return False

    def can_plan(self, unit):
        return False

    def can_set_goal(self, *, scope, district=None, unit=None):
        return False

    def can_read_goal(self, goal):
        return False

    # perspectives
    def can_manage_assessors(self, unit):
        return False

    def can_read_perspectives(self, unit):
        return False

    def can_read_assessment(self, assessment, published_keys=frozenset()):
        return False

    def can_discuss(self, unit):
        return False

    def perspective_keys(self, unit, round):
        return frozenset()

    def sees_other_perspectives(self, unit, round, published_keys):
        return False

    def assessor_group_ids(self):
        return frozenset()

    def rounds_withheld(self, unit, published_group_ids):
        return frozenset()

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

    # -- calendar: the year wheel, own events, feeds (docs/calendar.md) --
    can_see_calendar = False
    can_manage_calendar = False
    # -- self-reflection (reflection room, docs/reflection.md) --
    can_manage_reflection = False
    can_read_reflection_organiser = False

    def can_read_reflection_unit(self, unit):
        return False

    def can_show_reflection_link(self, link):
        return False

    # -- networks (issue 11, docs/networks.md) --
    can_read_networks = False
    can_create_networks = False

    def can_read_network(self, network):
        return False

    def can_manage_network(self, network):
        return False

    def can_coordinate_network(self, network):
        return False

    def can_contribute_to_network(self, network):
        return False

    def can_remove_network_member(self, member):
        return False

    def can_change_action_item(self, item):
        return False

    def can_remove_meeting_file(self, meeting_file):
        return False

    def network_ids(self):
        return frozenset()

    def visible_networks(self, networks):
        return networks.none()

    # -- end networks --
    # -- competence development (development room, docs/development.md) --
    can_read_development = False
    can_create_initiative = False

    def can_own_initiative(self, initiative):
        return False

    def in_target_group(self, initiative):
        return False

    def can_take_part_in(self, initiative, *, enrolled):
        return False

    def can_read_initiative_results(self, initiative):
        return False

    def can_link_initiative_goal(self, *, initiative, goal):
        return False

    def initiative_owner_districts(self, districts):
        return districts.none()

    def initiative_owner_units(self, units):
        return units.none()

    # -- end competence development --
    # -- library of good examples (library room, docs/library.md) --
    can_use_library = False
    can_share_example = False

    def can_read_example(self, example):
        return False

    def can_change_example(self, example):
        return False

    def sees_example_people(self, example):
        return False

    def example_visibility(self):
        return Q(pk__in=[])

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

    # personal data (privacy room, docs/privacy.md)
    @property
    def can_manage_personal_data(self):
        """See, export and erase what Stegvis holds about a member; set the retention rules."""
        return self.is_admin

    @property
    def can_read_audit(self):
        """The organiser's audit log (who did what, when)."""
        return self.is_admin

    # Sign-in with school accounts (sso): the organiser's providers
    @property
    def can_manage_sso(self):
        return self.is_admin

    # -- API tokens and open data (issue 13) --
    @property
    def can_manage_api_tokens(self):
        """An API token reads everything of the organiser: organiser admins make them."""
        return self.is_admin

    @property
    def can_publish_open_data(self):
        """Publish the organiser's aggregate figures as open data: organiser admins."""
        return self.is_admin

    @property
    def can_read_organiser(self):
        return self.can_read_all_units or bool(self.district_ids)

    @property
    def can_read_rounds(self):
        return self.can_read_all_units

    # -- what works (goals room, docs/what-works.md) --
    @property
    def can_read_what_works(self):
        """The organiser's "what works" report (figures over its units, none below k): who reads
        the organiser's overview (admins, viewers, district leads). The action plan shows the same
        figures on its suggestions to whoever reads the plan."""
        return self.can_read_organiser

    # -- end what works --

    @property
    def can_export(self):
        """Organiser exports and the board report: admins and viewers (everything) and district
        leads (their districts). Principals and contributors have the unit report."""
        return self.can_read_organiser

    # -- calendar: the year wheel, own events, feeds (docs/calendar.md) --
    @property
    def can_see_calendar(self):
        """The year wheel and a personal feed: anyone with a role here (the events shown are
        those that concern them). A feed whose user has lost every role goes quiet (404)."""
        return bool(self.memberships)

    @property
    def can_manage_calendar(self):
        """Own events in the year wheel and the organiser's feed: organiser admins."""
        return self.is_admin

    # notifications (issue 9)
    @property
    def can_remind(self):
        """A round's reminder rules, "send a reminder now" on the status page, bounced addresses:
        organiser admins."""
        return self.is_admin

    @property
    def can_set_notifications(self):
        """Choose which notifications one gets: every member, for themselves."""
        return True

    # per unit
    def can_read_unit(self, unit):
        return self.can_read_all_units or unit.district_id in self.district_ids or unit.pk in self.my_unit_ids

    def can_assess(self, unit, perspective=PRINCIPAL_PERSPECTIVE, group=None):
        """Start, answer and publish the unit's assessment: the unit's principal, for the
        principal's perspective; for another perspective, the assessors of its group (``group``,
        an ``assessments.AssessorGroup`` of this unit), and no one else."""
        if perspective == PRINCIPAL_PERSPECTIVE:
            return group is None and unit.pk in self.principal_unit_ids
        return group is not None and group.unit_id == unit.pk and group.pk in self._groups

    def can_plan(self, unit):
        """Actions and follow-up notes: the unit's principal and contributors."""
        return unit.pk in self.my_unit_ids

    @cached_property
    def _my_district_ids(self):
        """The districts of the units the user works in (a district's goals concern them)."""
        return frozenset(Unit.objects.filter(pk__in=self.my_unit_ids).values_list("district_id", flat=True))

    # goals (docs/goals.md)
    @property
    def can_read_goals(self):
        """The goals page: every member (each sees the goals whose scope they may read)."""
        return True

    @property
    def can_set_any_goal(self):
        """Set some goal: an admin, a district lead (their districts) or a principal (their units)."""
        return self.is_admin or bool(self.district_ids) or bool(self.principal_unit_ids)

    def can_set_goal(self, *, scope, district=None, unit=None):
        """Set or change a goal: the organiser's own goals are its admins'; a district's also its
        district leads'; a unit's also its principal's."""
        if self.is_admin:
            return True
        if scope == "district":
            return district is not None and district.pk in self.district_ids
        if scope == "unit":
            return unit is not None and (unit.pk in self.principal_unit_ids or unit.district_id in self.district_ids)
        return False

    def can_read_goal(self, goal):
        """The organiser's goals: every member; a district's: who reads that district or works in
        it; a unit's: who reads the unit."""
        if goal.scope == "organizer" or self.can_read_all_units:
            return True
        if goal.scope == "district":
            return goal.district_id in self.district_ids or goal.district_id in self._my_district_ids
        return goal.unit is not None and self.can_read_unit(goal.unit)

    # -- certification and the council indicator (goals room, docs/goals.md) --
    @property
    def can_read_certification(self):
        """The list of certified units: who reads organiser-wide pages (a district lead sees
        their districts' units; a unit's own certification is on its unit page)."""
        return self.can_read_organiser

    @property
    def can_manage_certification(self):
        """Define, change and delete certification rules: organiser admins."""
        return self.is_admin

    @property
    def can_read_council_indicator(self):
        """The council indicator's page and board PDF: who reads organiser-wide pages."""
        return self.can_read_organiser

    @property
    def can_set_council_indicator(self):
        """Choose the measure reported to the council: organiser admins."""
        return self.is_admin

    # -- local digital plans and the organiser's plan (goals room, docs/digital-plans.md) --
    @property
    def can_read_digital_plans(self):
        """The list of the units' digital plans: every member (each sees the units they read)."""
        return True

    def can_read_digital_plan(self, unit):
        """A unit's local digital plan: who reads the unit (organiser readers, the district's
        lead, the unit's principal and contributors)."""
        return self.can_read_unit(unit)

    def can_edit_digital_plan(self, unit):
        """Draft, edit and adopt a unit's plan: the unit's principal and organiser admins."""
        return self.is_admin or unit.pk in self.principal_unit_ids

    @property
    def can_read_organiser_plan(self):
        """The organiser's plan and its board PDF: organiser admins, viewers and district leads."""
        return self.can_read_organiser

    @property
    def can_edit_organiser_plan(self):
        """Start, edit and adopt the organiser's plan, own its central actions: organiser admins."""
        return self.is_admin

    # -- end digital plans --

    # -- perspectives (issue 8, docs/perspectives.md) --------------------------------------
    @property
    def _groups(self):
        """{group_id: (unit_id, round_id)} of the assessor groups the user is in, read once."""
        if not hasattr(self, "_group_cache"):
            rows = _assessor_source(self.user, self.organizer) if _assessor_source else []
            self._group_cache = {g: (u, r) for g, u, r in rows}
        return self._group_cache

    def assessor_group_ids(self):
        """The assessor groups the user assesses in (the start page lists them)."""
        return frozenset(self._groups)

    def can_manage_assessors(self, unit):
        """Invite and remove the assessors of the other perspectives: the unit's principal and
        organiser admins."""
        return unit.pk in self.principal_unit_ids or self.is_admin

    def can_read_perspectives(self, unit):
        """The unit's comparison of perspectives: who reads the unit, and its assessors."""
        return self.can_read_unit(unit) or any(u == unit.pk for u, _r in self._groups.values())

    def can_read_assessment(self, assessment, published_keys=frozenset()):
        """Read one assessment. The principal's: who reads the unit (drafts too, as ever).
        Another perspective's: its own assessors always; who reads the unit once it is
        published. Either way not while the reader's own perspective of the unit in that round
        is unpublished, so nobody anchors on another's levels. ``published_keys``: the
        published perspective keys of the unit and round, or a function returning them (called
        only when needed)."""
        unit = assessment.unit
        if assessment.group_id is None and assessment.perspective == PRINCIPAL_PERSPECTIVE:
            if unit.pk in self.principal_unit_ids:
                return True
            allowed = self.can_read_unit(unit)
        else:
            if assessment.group_id in self._groups:
                return True
            allowed = assessment.status == "published" and self.can_read_unit(unit)
        if not allowed:
            return False
        own = self.perspective_keys(unit, assessment.round)
        if not own:
            return True
        return own <= set(published_keys() if callable(published_keys) else published_keys)

    def can_discuss(self, unit):
        """Write discussion notes on the comparison: the unit's principal and its assessors."""
        return unit.pk in self.principal_unit_ids or any(u == unit.pk for u, _r in self._groups.values())

    def perspective_keys(self, unit, round):
        """The perspectives the user assesses the unit in, in the round: "principal" and/or
        "g<group id>" (``Assessment.perspective_key``)."""
        keys = {f"g{g}" for g, (u, r) in self._groups.items() if u == unit.pk and r == round.pk}
        if unit.pk in self.principal_unit_ids:
            keys.add(PRINCIPAL_PERSPECTIVE)
        return frozenset(keys)

    def sees_other_perspectives(self, unit, round, published_keys):
        """Whether the user may see other perspectives' levels of the unit in the round: yes
        when every perspective the user assesses in has published (or they assess in none)."""
        return self.perspective_keys(unit, round) <= set(published_keys)

    def rounds_withheld(self, unit, published_group_ids):
        """The ids of the rounds whose levels of the unit (the principal's too: unit page, unit
        comparison, plan, unit report) the user may not see yet: those where they assess the
        unit through an assessor group whose assessment is not published, so they do not anchor
        on the principal (``sees_other_perspectives``, leaving out the user's own principal's
        perspective). ``published_group_ids``: a function returning the ids of the unit's groups
        with a published assessment, called (one query) only when the user is in a group of the
        unit; empty for everyone else, with no query."""
        mine = {r: set() for _g, (u, r) in self._groups.items() if u == unit.pk}
        if not mine:
            return frozenset()
        for g, (u, r) in self._groups.items():
            if u == unit.pk:
                mine[r].add(f"g{g}")
        published = {f"g{g}" for g in published_group_ids()}
        return frozenset(r for r, keys in mine.items() if not keys <= published)

    # -- surveys (issue 12; docs/surveys.md) --
    @property
    def can_open_surveys(self):
        """Open a survey: organiser admins (for many units), principals (for their units)."""
        return self.is_admin or bool(self.principal_unit_ids)

    def can_open_survey_for(self, unit):
        return self.is_admin or unit.pk in self.principal_unit_ids

    @property
    def can_read_surveys(self):
        """The survey list: organiser-wide readers, and those who work in a unit."""
        return self.can_read_organiser or bool(self.my_unit_ids)

    def can_read_survey(self, survey):
        """See a survey, its links and response rates: whoever reads the organiser's pages, and
        those who work in one of its units (they see their units only)."""
        return self.can_read_organiser or bool(self.my_unit_ids & set(survey_unit_ids(survey)))

    def can_manage_survey(self, survey):
        """Change a survey (group codes, personal links, reminders, close it): organiser admins,
        and the principal who opened it while they are principal of all its units."""
        if self.is_admin:
            return True
        return survey.created_by_id == self.user.pk and set(survey_unit_ids(survey)) <= self.principal_unit_ids

    def can_read_survey_free_text(self, unit):
        """Free-text answers (where at least ten responded): the unit's principal and organiser
        admins only (docs/anonymity.md)."""
        return self.is_admin or unit.pk in self.principal_unit_ids

    def can_read_survey_organiser_results(self, survey):
        """A survey's results per unit, district and organiser (per area and per indicator) and
        their export: organiser admins and viewers (every unit, with the organiser's total) and
        district leads (their districts, without it; ``organiser_units`` says which). Principals
        and contributors read their own units' results page."""
        return self.can_read_organiser

    # -- end surveys --

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

    # -- self-reflection (reflection room, docs/reflection.md) --
    @property
    def can_manage_reflection(self):
        """Make and close the start links (per unit or organiser-wide) and raise the smallest
        group shown: organiser admins."""
        return self.is_admin

    @property
    def can_read_reflection_organiser(self):
        """The self-reflection aggregates of every unit in view (suppressed below k): the people
        of ``can_read_organiser``; the organiser's total for ``can_read_all_units``."""
        return self.can_read_organiser

    def can_read_reflection_unit(self, unit):
        """One unit's self-reflection aggregate (suppressed below k): whoever reads the unit."""
        return self.can_read_unit(unit)

    def can_show_reflection_link(self, link):
        """Show a start link and its QR code to pass on: admins; a unit's link to whoever reads
        the unit; an organiser-wide link to every member (it is meant for all staff)."""
        if self.is_admin:
            return True
        if link.unit_id is None:
            return True
        return self.can_read_unit(link.unit)

    # -- networks (issue 11, docs/networks.md) ------------------------------------------
    # A network belongs to the organiser; its members and coordinators are users of the
    # organiser. Organiser admins create networks and appoint coordinators; coordinators (and
    # admins) run the network's members, meetings, attendance, minutes and action items;
    # members read the network and add files and comments; organiser viewers read every
    # network; anyone else of the organiser gets 404 for a network they are not in.
    @property
    def _network_roles(self):
        """{network_id: role} of the networks the user is in, read once."""
        if not hasattr(self, "_network_cache"):
            self._network_cache = dict(_network_source(self.user, self.organizer)) if _network_source else {}
        return self._network_cache

    @property
    def can_read_networks(self):
        """The networks pages: organiser admins and viewers, and whoever is in a network."""
        return self.can_read_all_units or bool(self._network_roles)

    @property
    def can_create_networks(self):
        """Create a network: organiser admins."""
        return self.is_admin

    def network_ids(self):
        """The ids of the networks the user is in (as a member or a coordinator)."""
        return frozenset(self._network_roles)

    def can_read_network(self, network):
        """A network, its meetings and their published minutes, action items and files."""
        return self.can_read_all_units or network.pk in self._network_roles

    def can_manage_network(self, network):
        """Rename a network and appoint or remove its coordinators: organiser admins."""
        return self.is_admin

    def can_coordinate_network(self, network):
        """The network's members, meetings, agenda, attendance, minutes (drafts too) and action
        items: its coordinators and organiser admins."""
        return self.is_admin or self._network_roles.get(network.pk) == NETWORK_COORDINATOR

    def can_contribute_to_network(self, network):
        """Add files and comments to the network's meetings: its members and coordinators, and
        organiser admins."""
        return self.is_admin or network.pk in self._network_roles

    def can_remove_network_member(self, member):
        """Take someone out of a network: a coordinator only organiser admins; a member also the
        network's coordinators."""
        if member.role == NETWORK_COORDINATOR:
            return self.can_manage_network(member.network)
        return self.can_coordinate_network(member.network)

    def can_change_action_item(self, item):
        """Mark an action item done (or open again): its owner, and who coordinates the network."""
        return item.owner_id == self.user.pk or self.can_coordinate_network(item.meeting.network)

    def can_remove_meeting_file(self, meeting_file):
        """Remove a meeting's file: who uploaded it, and who coordinates the network."""
        return meeting_file.uploaded_by_id == self.user.pk or self.can_coordinate_network(meeting_file.meeting.network)

    def visible_networks(self, networks):
        """Filter a Network queryset to those the user may read."""
        if self.can_read_all_units:
            return networks
        return networks.filter(pk__in=sorted(self._network_roles))

    # -- end networks --
    # -- competence development (development room, docs/development.md) --
    @property
    def can_read_development(self):
        """The initiatives, their pages and one's own path: every member."""
        return True

    @property
    def can_create_initiative(self):
        """Create an initiative: organiser admins (the organiser's), district leads (their
        district's) and principals (their unit's)."""
        return self.is_admin or bool(self.district_ids) or bool(self.principal_unit_ids)

    def can_own_initiative(self, initiative):
        """Change an initiative, its goals and tracks, enrol others, open its evaluation: organiser
        admins; a district lead for an initiative of their district; a principal for their unit's."""
        if self.is_admin:
            return True
        if initiative.owner_district_id is not None and initiative.owner_district_id in self.district_ids:
            return True
        return initiative.owner_unit_id is not None and initiative.owner_unit_id in self.principal_unit_ids

    def in_target_group(self, initiative):
        """Whether the user is in the initiative's target group: one of its roles (none named:
        any role) and one of its districts or units (none named: anywhere in the organiser)."""
        roles = set(initiative.target_roles or ())
        mine = self.memberships if not roles else [m for m in self.memberships if m.role in roles]
        if not mine:
            return False
        district_ids = {d.pk for d in initiative.target_districts.all()}
        unit_ids = {u.pk for u in initiative.target_units.all()}
        if not district_ids and not unit_ids:
            return True
        unit_districts = dict(
            Unit.objects.filter(pk__in=[m.unit_id for m in mine if m.unit_id]).values_list("pk", "district_id")
        )
        for m in mine:
            if m.unit_id and (m.unit_id in unit_ids or unit_districts.get(m.unit_id) in district_ids):
                return True
            if m.district_id and m.district_id in district_ids:
                return True
            if m.role in ORGANIZER_ROLES:
                return True
        return False

    def can_take_part_in(self, initiative, *, enrolled):
        """Enrol oneself (in the target group, while it is open for enrolment), or, once
        enrolled, choose tracks and record what follows (a linked action, a spreading meeting)."""
        if enrolled:
            return True
        return initiative.status == "open" and self.in_target_group(initiative)

    def can_read_initiative_results(self, initiative):
        """The evaluation's results (figures under the anonymity rules; free text where at
        least ten answered) and the report: the owners, and organiser admins and viewers."""
        return self.can_own_initiative(initiative) or self.can_read_all_units

    def can_link_initiative_goal(self, *, initiative, goal):
        """Link a measurable goal (goals room) to an initiative, or remove the link: the
        initiative's owners for a goal they read, and who may change the goal (they say which
        initiatives serve it). Both belong to the same organiser (docs/development.md)."""
        if goal.organizer_id != initiative.organizer_id:
            return False
        if self.can_own_initiative(initiative) and self.can_read_goal(goal):
            return True
        return self.can_set_goal(scope=goal.scope, district=goal.district, unit=goal.unit)

    def initiative_owner_districts(self, districts):
        """The districts the user may create an initiative for (as their district lead)."""
        return districts if self.is_admin else districts.filter(pk__in=self.district_ids)

    def initiative_owner_units(self, units):
        """The units the user may create an initiative for (as their principal)."""
        return units if self.is_admin else units.filter(pk__in=self.principal_unit_ids)

    # -- end competence development --
    # -- library of good examples (library room, docs/library.md) --
    @property
    def can_use_library(self):
        """Read and search the library: every member."""
        return True

    @property
    def can_share_example(self):
        """Share a document or a link: every member (principals, IT educators, staff with an
        account, organiser staff)."""
        return True

    def example_visibility(self):
        """The examples this member reads, as a filter on ``library.Example``: the organiser's
        own and those another organiser shared with every organiser."""
        return Q(organizer_id=self.organizer.pk) | Q(shared=True)

    def can_read_example(self, example):
        """One example (and its file): the organiser's own, or one shared with every organiser."""
        return example.organizer_id == self.organizer.pk or example.shared

    def can_change_example(self, example):
        """Edit or delete an example: the member who shared it and the organiser's admins."""
        return example.organizer_id == self.organizer.pk and (
            self.is_admin or (example.created_by_id is not None and example.created_by_id == self.user.pk)
        )

    def sees_example_people(self, example):
        """Who shared an example shows to its own organiser only; others see the organiser's name."""
        return example.organizer_id == self.organizer.pk

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


# -- API tokens (issue 13): what an organiser's API token reads --


class ApiTokenAccess(NoAccess):
    """The rights of an organiser's API token (docs/api.md): it reads everything of its
    organiser, as an organiser-wide reader does, and nothing a person alone may read (survey
    free text, drafts). The survey results ask it what the result pages ask ``Access``, so
    they apply the same rules (suppression with the organiser's total, as an organiser-wide
    reader sees it)."""

    can_read_all_units = True
    can_read_organiser = True
    can_read_rounds = True

    def __init__(self, *, api_token):
        self.api_token = api_token
        self.organizer = api_token.organizer

    def can_read_survey_organiser_results(self, survey):
        """The API gives every survey's results per unit, district and organiser."""
        return True

    def visible_units(self, units):
        return units

    def organiser_units(self, units):
        return units

    def visible_districts(self, districts):
        return districts


# -- end API tokens --


# -- surveys (issue 12) --


def survey_unit_ids(survey):
    """The ids of a survey's units (cached on the survey object for one request)."""
    if not hasattr(survey, "_unit_ids"):
        survey._unit_ids = frozenset(survey.survey_units.values_list("unit_id", flat=True))
    return survey._unit_ids


def survey_reminder_recipients(*, organizer, unit_ids):
    """``{unit_id: [user, ...]}``: who gets a survey reminder for a unit (its principals)."""
    found = {}
    for m in (
        Membership.objects.with_scopes_disabled()
        .filter(organizer=organizer, role=Role.PRINCIPAL, unit_id__in=unit_ids, user__is_active=True)
        .select_related("user")
    ):
        found.setdefault(m.unit_id, []).append(m.user)
    return found


# -- end surveys --


# -- competence development (development room) --
def target_group_roles():
    """The roles an initiative's target group may name, as ``(value, label)`` choices."""
    return [
        (role, role.label) for role in (Role.PRINCIPAL, Role.CONTRIBUTOR, Role.DISTRICT_LEAD, Role.ADMIN, Role.VIEWER)
    ]


def unit_ids_of_users(*, organizer, user_ids):
    """The units in which these users work (principal or contributor): an initiative's
    participating units. One query."""
    return set(
        Membership.objects.with_scopes_disabled()
        .filter(organizer=organizer, user_id__in=list(user_ids), role__in=UNIT_ROLES, unit__isnull=False)
        .values_list("unit_id", flat=True)
    )


# -- end competence development --


def organizers_of(user):
    """The organisers in which the user has a role, by name (the start page's choice)."""
    return list(Organizer.objects.filter(memberships__user=user).distinct().order_by("name"))


def people_of(organizer):
    """The active accounts with a role in the organiser, by name (who a principal may choose as
    an assessor of another perspective, docs/perspectives.md; a goal's or an action's owner)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__organizer=organizer, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


# Sign-in with school accounts (sso) and the second factor: questions about an account as a whole
def belongs_to(*, user, organizer):
    """Whether an account may sign in with the organiser's school accounts: it has a role there,
    or an invitation from the organiser is waiting for its address (docs/sso.md)."""
    if Membership.objects.with_scopes_disabled().filter(organizer=organizer, user=user).exists():
        return True
    return (
        Invitation.objects.with_scopes_disabled()
        .filter(
            organizer=organizer, email=user.email, accepted_at=None, cancelled_at=None, expires_at__gt=timezone.now()
        )
        .exists()
    )


def is_admin_anywhere(user):
    """Whether the account is an organiser admin in any organiser (a password login then needs
    the second factor, docs/sso.md)."""
    return Membership.objects.with_scopes_disabled().filter(user=user, role=Role.ADMIN).exists()


def is_member_user(user, organizer):
    """Whether ``user`` has a role in ``organizer`` (an action's owner must be one)."""
    return Membership.objects.with_scopes_disabled().filter(organizer=organizer, user=user).exists()


def principal_names(organizer):
    """{unit id: [name or e-mail of each active principal]} of the organiser; one query (the
    publication status page shows whom a reminder reaches)."""
    names = {}
    for unit_id, name, email in (
        Membership.objects.with_scopes_disabled()
        .filter(organizer=organizer, role=Role.PRINCIPAL, user__is_active=True)
        .order_by("user__full_name", "user_id")
        .values_list("unit_id", "user__full_name", "user__email")
    ):
        names.setdefault(unit_id, []).append(name or email)
    return names


class ReminderRecipients:
    """Who of one organiser gets which reminder, read in one query: the principals of each
    unit, the district leads of each district, the organiser admins, and every member; with each
    user's address, name and language (active users only). ``users`` maps a user id to (email,
    name, language)."""

    def __init__(self, rows):
        self.users = {}
        self.members = set()
        self.principals = {}  # unit id -> [user id]
        self.district_leads = {}  # district id -> [user id]
        self.admins = []
        for role, unit_id, district_id, user_id, email, name, language in rows:
            self.users[user_id] = (email, name, language)
            self.members.add(user_id)
            if role == Role.PRINCIPAL:
                self.principals.setdefault(unit_id, []).append(user_id)
            elif role == Role.DISTRICT_LEAD:
                self.district_leads.setdefault(district_id, []).append(user_id)
            elif role == Role.ADMIN and user_id not in self.admins:
                self.admins.append(user_id)

    @classmethod
    def of(cls, organizer):
        rows = (
            Membership.objects.with_scopes_disabled()
            .filter(organizer=organizer, user__is_active=True)
            .order_by("user_id", "id")
            .values_list(
                "role", "unit_id", "district_id", "user_id", "user__email", "user__full_name", "user__language"
            )
        )
        return cls(rows)
