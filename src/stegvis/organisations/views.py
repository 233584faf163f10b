"""The organisation admin room: districts, units (with CSV import and export), users and roles.

Views are thin: check access, fetch for this organiser or 404, run a form, call a domain function.
"""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.core import schoolforms
from stegvis.core.csvutil import safe_cell

from . import domain, forms
from .access import organizers_of
from .models import District, Invitation, Membership, Role, Unit

User = get_user_model()
UNITS_PER_PAGE = 100


@login_required
def start(request):
    """After login: straight into the user's organiser, or a choice when there are several."""
    organizers = organizers_of(request.user)
    if len(organizers) == 1:
        return redirect("org_home", organizer_slug=organizers[0].slug)
    return render(request, "core/start.html", {"organizers": organizers})


def _manage(request):
    request.access.require(request.access.can_manage)


def _data(request):
    """Form data when the request is a POST (even an empty one), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _url(request, name, **kwargs):
    return reverse(name, kwargs={"organizer_slug": request.organizer.slug, **kwargs})


def _form_page(request, form, *, title, cancel_url, submit_label=None, intro=None, multipart=False):
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "intro": intro,
            "multipart": multipart,
        },
    )


# Districts


def district_list(request):
    _manage(request)
    districts = (
        District.objects.filter(organizer=request.organizer)
        .annotate(unit_count=Count("units", distinct=True))
        .prefetch_related(
            Prefetch(
                "membership_set",
                queryset=Membership.objects.filter(organizer=request.organizer, role=Role.DISTRICT_LEAD).select_related(
                    "user"
                ),
                to_attr="leads",
            )
        )
        .order_by("name")
    )
    return render(request, "organisations/district_list.html", {"districts": districts})


def district_new(request):
    _manage(request)
    form = forms.DistrictForm(_data(request), organizer=request.organizer)
    if form.is_valid():
        try:
            district = domain.create_district(organizer=request.organizer, by=request.user, **form.cleaned_data)
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The district “%(name)s” was created.") % {"name": district.name})
            return redirect(_url(request, "districts"))
    return _form_page(request, form, title=_("New district"), cancel_url=_url(request, "districts"))


def district_edit(request, district_id):
    _manage(request)
    district = get_object_or_404(District, organizer=request.organizer, pk=district_id)
    form = forms.DistrictForm(_data(request), organizer=request.organizer, district=district)
    if form.is_valid():
        try:
            domain.rename_district(district=district, by=request.user, **form.cleaned_data)
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The district was saved."))
            return redirect(_url(request, "districts"))
    unit_count = Unit.objects.filter(organizer=request.organizer, district=district).count()
    return render(
        request, "organisations/district_form.html", {"form": form, "district": district, "unit_count": unit_count}
    )


@require_POST
def district_delete(request, district_id):
    _manage(request)
    district = get_object_or_404(District, organizer=request.organizer, pk=district_id)
    try:
        domain.delete_district(district=district, by=request.user)
    except domain.OrganisationError as error:
        messages.error(request, str(error))
        return redirect(_url(request, "district_edit", district_id=district.pk))
    messages.success(request, _("The district “%(name)s” was deleted.") % {"name": district.name})
    return redirect(_url(request, "districts"))


# Units


def _filtered_units(request):
    access = request.access
    form = forms.UnitFilterForm(request.GET or None, organizer=request.organizer, access=access)
    units = access.visible_units(Unit.objects.filter(organizer=request.organizer))
    return form, form.filter(units)


def unit_list(request):
    request.access.require(request.access.can_read_organiser)
    form, units = _filtered_units(request)
    units = units.select_related("district").order_by("name", "code")
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/unit_list.html",
        {"filter_form": form, "page": page, "count": page.paginator.count, "query": request.GET.urlencode()},
    )


def units_export(request):
    """The filtered unit list as CSV, in the import format (docs/unit-import.md)."""
    request.access.require(request.access.can_read_organiser)
    _form, units = _filtered_units(request)
    rows = units.order_by("name", "code").values_list("name", "code", "school_forms", "district__name", "active")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"units-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so that Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    # The header is a file format (read back by the import), not translated.
    writer.writerow(["name", "unit code", "school forms", "district", "active"])
    yes, no = "yes", "no"
    for name, code, mask, district, active in rows:
        writer.writerow(
            [
                safe_cell(name),
                code,
                "|".join(schoolforms.labels(mask)),
                safe_cell(district or ""),
                yes if active else no,
            ]
        )
    return response


def unit_new(request):
    _manage(request)
    form = forms.UnitForm(_data(request), organizer=request.organizer)
    if form.is_valid():
        try:
            unit = domain.create_unit(organizer=request.organizer, by=request.user, **form.cleaned_data)
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The unit “%(name)s” was created.") % {"name": unit.name})
            return redirect(_url(request, "units"))
    return _form_page(request, form, title=_("New unit"), cancel_url=_url(request, "units"))


def unit_edit(request, unit_id):
    _manage(request)
    unit = get_object_or_404(Unit, organizer=request.organizer, pk=unit_id)
    form = forms.UnitForm(_data(request), organizer=request.organizer, unit=unit)
    if form.is_valid():
        try:
            domain.update_unit(unit=unit, by=request.user, **form.cleaned_data)
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The unit “%(name)s” was saved.") % {"name": unit.name})
            return redirect(_url(request, "units"))
    return _form_page(
        request, form, title=_("Edit unit %(name)s") % {"name": unit.name}, cancel_url=_url(request, "units")
    )


# Users and roles


def _members(request):
    """Accounts with at least one role in this organiser."""
    return User.objects.filter(pk__in=Membership.objects.filter(organizer=request.organizer).values("user_id"))


def _get_member(request, user_id):
    return get_object_or_404(_members(request), pk=user_id)


def _memberships_of(request, user):
    return Membership.objects.filter(organizer=request.organizer, user=user).select_related("district", "unit")


def _filtered_users(request):
    """The members matching the list's filters: ``q`` (name or e-mail) and ``role``."""
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = _members(request).order_by("full_name", "email")
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role in Role.values:
        users = users.filter(pk__in=Membership.objects.filter(organizer=request.organizer, role=role).values("user_id"))
    else:
        role = ""
    return q, role, users


def user_list(request):
    _manage(request)
    q, role, users = _filtered_users(request)
    users = users.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(organizer=request.organizer).select_related("district", "unit"),
            to_attr="roles_here",
        )
    )
    invitations = Invitation.objects.filter(
        organizer=request.organizer, accepted_at__isnull=True, cancelled_at__isnull=True
    ).select_related("district", "unit")
    if q:
        invitations = invitations.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        invitations = invitations.filter(role=role)
    return render(
        request,
        "organisations/user_list.html",
        {
            "users": users,
            "invitations": invitations.order_by("-sent_at", "-pk"),
            "now": timezone.now(),
            "q": q,
            "role": role,
            "roles": Role.choices,
            "query": request.GET.urlencode(),
        },
    )


def users_export(request):
    """The filtered user list as CSV: one row per role, for mailing lists and checks."""
    _manage(request)
    _q, _role, users = _filtered_users(request)
    rows = (
        Membership.objects.filter(organizer=request.organizer, user__in=users)
        .order_by("user__full_name", "user__email", "role")
        .values_list(
            "user__full_name", "user__email", "role", "district__name", "unit__name", "unit__code", "user__is_active"
        )
    )
    labels = dict(Role.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"users-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so that Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("E-mail address"), _("Role"), _("District"), _("Unit"), _("Unit code"), _("Status")])
    for name, email, role, district, unit, code, active in rows:
        writer.writerow(
            [
                safe_cell(name),
                safe_cell(email),
                labels.get(role, role),
                safe_cell(district or ""),
                safe_cell(unit or ""),
                code or "",
                _("Active") if active else _("Inactive"),
            ]
        )
    return response


def user_new(request):
    """Invite a new user: the person gets a mail and chooses their own password."""
    _manage(request)
    form = forms.UserCreateForm(_data(request), organizer=request.organizer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = domain.invite_user(
                organizer=request.organizer,
                by=request.user,
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                district=data.get("district"),
                unit=data.get("unit"),
                language=data["language"],
                request=request,
            )
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. The link in it works for %(days)s days.")
                % {"email": invitation.email, "days": domain.INVITATION_DAYS},
            )
            return redirect(_url(request, "users"))
    return _form_page(
        request,
        form,
        title=_("New user"),
        cancel_url=_url(request, "users"),
        submit_label=_("Send invitation"),
        intro=_(
            "The person gets an e-mail with a link, valid for 7 days, to choose a password and start. "
            "The first role can be a district or unit role; add more roles on the user's page afterwards."
        ),
    )


def _open_invitation(request, invitation_id):
    return get_object_or_404(
        Invitation,
        organizer=request.organizer,
        pk=invitation_id,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
    )


@require_POST
def invitation_resend(request, invitation_id):
    _manage(request)
    invitation = _open_invitation(request, invitation_id)
    domain.resend_invitation(invitation=invitation, by=request.user, request=request)
    messages.success(
        request,
        _("The invitation to %(email)s was sent again. The earlier link no longer works.")
        % {"email": invitation.email},
    )
    return redirect(_url(request, "users"))


@require_POST
def invitation_cancel(request, invitation_id):
    _manage(request)
    invitation = _open_invitation(request, invitation_id)
    domain.cancel_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation to %(email)s was cancelled.") % {"email": invitation.email})
    return redirect(_url(request, "users"))


def _user_page(request, user, *, form=None, membership_form=None, status=200):
    shared = domain.shared_elsewhere(user=user, organizer=request.organizer)
    form = form or forms.UserEditForm(organizer=request.organizer, user=user, shared=shared)
    membership_form = membership_form or forms.MembershipForm(organizer=request.organizer, user=user)
    return render(
        request,
        "organisations/user_edit.html",
        {
            "member": user,
            "form": form,
            "membership_form": membership_form,
            "memberships": _memberships_of(request, user),
            "email_change": domain.open_email_change(organizer=request.organizer, user=user),
        },
        status=status,
    )


def user_edit(request, user_id):
    _manage(request)
    user = _get_member(request, user_id)
    if request.method != "POST":
        return _user_page(request, user)
    shared = domain.shared_elsewhere(user=user, organizer=request.organizer)
    form = forms.UserEditForm(request.POST, organizer=request.organizer, user=user, shared=shared)
    if form.is_valid():
        try:
            change = domain.update_user(
                organizer=request.organizer, user=user, by=request.user, request=request, **form.cleaned_data
            )
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The user was saved."))
            if change is not None:
                messages.info(
                    request,
                    _("A confirmation was sent to the new address; the change takes effect when it is confirmed."),
                )
            return redirect(_url(request, "user_edit", user_id=user.pk))
    user.refresh_from_db()
    return _user_page(request, user, form=form)


@require_POST
def email_change_cancel(request, user_id):
    _manage(request)
    user = _get_member(request, user_id)
    if domain.cancel_email_change(organizer=request.organizer, user=user, by=request.user) is not None:
        messages.success(request, _("The change of e-mail address was cancelled. Its link no longer works."))
    return redirect(_url(request, "user_edit", user_id=user.pk))


def membership_add(request, user_id):
    _manage(request)
    user = _get_member(request, user_id)
    form = forms.MembershipForm(_data(request), organizer=request.organizer, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            domain.add_membership(
                organizer=request.organizer,
                user=user,
                role=data["role"],
                district=data.get("district"),
                unit=data.get("unit"),
                by=request.user,
            )
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The role was added."))
            return redirect(_url(request, "user_edit", user_id=user.pk))
    return _form_page(
        request,
        form,
        title=_("Add a role for %(name)s") % {"name": user.display_name},
        cancel_url=_url(request, "user_edit", user_id=user.pk),
        submit_label=_("Add role"),
    )


@require_POST
def membership_delete(request, user_id, membership_id):
    _manage(request)
    user = _get_member(request, user_id)
    membership = get_object_or_404(Membership, organizer=request.organizer, user=user, pk=membership_id)
    try:
        domain.remove_membership(membership=membership, by=request.user)
    except domain.OrganisationError as error:
        messages.error(request, str(error))
        return redirect(_url(request, "user_edit", user_id=user.pk))
    if Membership.objects.filter(organizer=request.organizer, user=user).exists():
        messages.success(request, _("The role was removed."))
        return redirect(_url(request, "user_edit", user_id=user.pk))
    messages.success(
        request,
        _("The role was removed. %(name)s has no role left in this organiser.") % {"name": user.display_name},
    )
    return redirect(_url(request, "users"))


# The organiser's settings


def organizer_settings(request):
    """The organiser's settings (organiser admins): for now whether to share figures nationally."""
    _manage(request)
    form = forms.OrganizerSettingsForm(_data(request), organizer=request.organizer)
    if form.is_valid():
        domain.set_share_national(
            organizer=request.organizer, share=form.cleaned_data["share_national"], by=request.user
        )
        messages.success(request, _("Saved."))
        return redirect(_url(request, "organizer_settings"))
    return _form_page(
        request,
        form,
        title=_("Settings for %(organizer)s") % {"organizer": request.organizer.name},
        cancel_url=_url(request, "org_home"),
    )
