"""Forms for the organisation admin room. They check input; domain functions make the change.

Every form that offers districts or units takes the ``organizer`` and offers only its own.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core import mail, schoolforms
from stegvis.core.models import SentMail

from . import domain
from .models import ORGANIZER_ROLES, UNIT_ROLES, District, Membership, Role, Unit, unit_code_validator

User = get_user_model()


class DistrictForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, organizer, district=None, **kwargs):
        self.organizer, self.district = organizer, district
        if district is not None:
            kwargs.setdefault("initial", {"name": district.name})
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = District.objects.filter(organizer=self.organizer, name__iexact=name)
        if self.district is not None:
            others = others.exclude(pk=self.district.pk)
        if others.exists():
            raise forms.ValidationError(_("There is already a district called “%(name)s”."), params={"name": name})
        return name


def district_choices(organizer):
    return District.objects.filter(organizer=organizer).order_by("name")


class UnitForm(core_forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(
        label=_("Unit code"),
        max_length=8,
        validators=[unit_code_validator],
        help_text=_("Eight digits, the unit's code in the Swedish school unit register (skolenhetskod)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    school_forms = forms.MultipleChoiceField(
        label=_("School forms"),
        choices=schoolforms.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one school form.")},
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("– no district –")
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organizer, unit=None, **kwargs):
        self.organizer, self.unit = organizer, unit
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": unit.name,
                    "code": unit.code,
                    "school_forms": unit.school_form_codes,
                    "district": unit.district_id,
                    "active": unit.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = district_choices(organizer)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = Unit.objects.filter(organizer=self.organizer, code=code)
        if self.unit is not None:
            others = others.exclude(pk=self.unit.pk)
        other = others.first()
        if other is not None:
            raise forms.ValidationError(
                _("The unit code %(code)s is already used by %(unit)s."), params={"code": code, "unit": other.name}
            )
        return code

    def clean_school_forms(self):
        return schoolforms.to_mask(self.cleaned_data["school_forms"])


ACTIVE_CHOICES = [("", _("All")), ("1", _("Active")), ("0", _("Inactive"))]


class UnitFilterForm(core_forms.Form):
    """The unit list's filters, read from the query string; invalid values are ignored."""

    q = forms.CharField(label=_("Name or unit code"), required=False, max_length=200)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("All districts")
    )
    school_form = forms.ChoiceField(label=_("School form"), required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, organizer, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = access.visible_districts(district_choices(organizer))
        self.fields["school_form"].choices = [("", _("All school forms")), *schoolforms.choices()]

    def filter(self, units):
        """Apply the valid filters to a Unit queryset."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            q = data["q"].strip()
            units = units.filter(Q(name__icontains=q) | Q(code__startswith=q))
        if data.get("district"):
            units = units.filter(district=data["district"])
        if data.get("school_form"):
            bit = schoolforms.to_mask([data["school_form"]])
            units = units.alias(has_form=F("school_forms").bitand(bit)).filter(has_form__gt=0)
        if data.get("active") == "1":
            units = units.filter(active=True)
        elif data.get("active") == "0":
            units = units.filter(active=False)
        return units


class ImportForm(core_forms.Form):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # the import says "The file is empty." itself
        help_text=_(
            "CSV (UTF-8), Excel (.xlsx) or JSON from Skolverket's school-unit register, at most 5 MB. "
            "Nothing changes before you have seen what the import would do."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.json,text/csv,application/json,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    municipality = forms.CharField(
        label=_("Only units in the municipality (kommunkod)"),
        required=False,
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits, for example 0180."))],
        help_text=_("For a file of the whole country: four digits, for example 1384. Leave empty to read every unit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
    organisation = forms.CharField(
        label=_("Only units of the organiser (organisation number)"),
        required=False,
        max_length=13,
        help_text=_("Your organisation number, for example 212000-1306, to leave out other organisers' schools."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 14}),
    )

    def clean_organisation(self):
        value = self.cleaned_data["organisation"].strip()
        digits = value.replace("-", "").replace(" ", "")
        if len(digits) == 12 and digits.startswith("16"):
            digits = digits[2:]
        if value and not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
            raise forms.ValidationError(_("An organisation number is ten digits, for example 212000-1306."))
        return digits


class ConfirmImportForm(core_forms.Form):
    """The preview's form: a tick when the import changes many units (``imports.ImportPlan``)."""

    confirm = forms.BooleanField(label=_("Yes, make the changes listed above."), required=False)
    join_open_rounds = forms.BooleanField(
        label=_("New units take part in the rounds that are open now"),
        required=False,
        initial=True,
        help_text=_("Untick to add them only to rounds opened from now on. Closed rounds keep the units they had."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if not plan.needs_confirmation:
            del self.fields["confirm"]
        if not plan.new:
            del self.fields["join_open_rounds"]

    def clean(self):
        if self.plan.needs_confirmation and not self.cleaned_data.get("confirm"):
            self.add_error("confirm", _("This import changes many units: tick the box to confirm."))
        return self.cleaned_data


class RoleScopeMixin:
    """Role plus the district or unit the role needs; both offered from this organiser only."""

    def _setup_scope_fields(self, organizer):
        self.organizer = organizer
        self.fields["district"].queryset = district_choices(organizer)
        self.fields["unit"].queryset = Unit.objects.filter(organizer=organizer).order_by("name")

    def _clean_scope(self, cleaned):
        role, district, unit = cleaned.get("role"), cleaned.get("district"), cleaned.get("unit")
        if not role:
            return cleaned
        if role == Role.DISTRICT_LEAD:
            if district is None:
                self.add_error("district", _("Choose the district this person leads."))
            cleaned["unit"] = None
        elif role in UNIT_ROLES:
            if unit is None:
                self.add_error("unit", _("Choose the unit for this role."))
            cleaned["district"] = None
        elif role in ORGANIZER_ROLES:
            cleaned["district"] = cleaned["unit"] = None
        return cleaned


LANGUAGE_CHOICES = [("sv", _("Swedish")), ("en", _("English"))]


def _role_field():
    return forms.ChoiceField(label=_("Role"), choices=[("", "–"), *Role.choices])


def _scope_fields():
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("Only for a district lead."),
        empty_label="–",
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Only for a principal or unit contributor."),
        empty_label="–",
    )
    return district, unit


class MembershipForm(RoleScopeMixin, core_forms.Form):
    role = _role_field()
    district, unit = _scope_fields()

    def __init__(self, *args, organizer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._setup_scope_fields(organizer)

    def clean(self):
        cleaned = self._clean_scope(super().clean())
        if not self.errors and cleaned.get("role"):
            duplicate = Membership.objects.filter(
                organizer=self.organizer,
                user=self.user,
                role=cleaned["role"],
                district=cleaned.get("district"),
                unit=cleaned.get("unit"),
            )
            if duplicate.exists():
                raise forms.ValidationError(_("This person already has this role."))
        return cleaned


class UserCreateForm(RoleScopeMixin, core_forms.Form):
    """A new person: the form invites them (``domain.invite_user``); they choose their password.

    Says plainly only what concerns this organiser (already a member here, already invited
    here). An address with an account elsewhere goes through exactly like a new one.
    """

    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("The invitation goes here; it is also the user's login."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = _role_field()
    district, unit = _scope_fields()
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=LANGUAGE_CHOICES, initial="sv", required=False
    )

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_scope_fields(organizer)

    def clean_email(self):
        email = domain.normalise_email(self.cleaned_data["email"])
        member = domain.is_member(organizer=self.organizer, email=email)
        if member is not None:
            url = reverse("user_edit", kwargs={"organizer_slug": self.organizer.slug, "user_id": member.pk})
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("%(email)s is already a member here.") % {"email": email},
                    url,
                    _("Give the existing account another role instead."),
                )
            )
        waiting = domain.open_invitation(organizer=self.organizer, email=email)
        if waiting is not None and not waiting.is_expired():
            raise forms.ValidationError(
                _("An invitation to %(email)s is already waiting for an answer. Send it again or cancel it."),
                params={"email": email},
            )
        return email

    def clean_language(self):
        return self.cleaned_data.get("language") or "sv"

    def clean(self):
        return self._clean_scope(super().clean())


class AcceptInvitationForm(core_forms.Form):
    """A new account from an invitation: the name (as the admin typed it, to correct) and a password."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    new_password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters. Not only digits, not a common password, and not like your name or "
            "e-mail address. A few words in a row are easy to remember."
        ),
    )
    new_password2 = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        kwargs.setdefault("initial", {"full_name": invitation.full_name})
        super().__init__(*args, **kwargs)

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Write your name."))
        return name

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
        elif first:
            candidate = User(email=self.invitation.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class UserEditForm(core_forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("Also the user's login. A new address takes effect when it is confirmed from a mail sent to it."),
    )
    is_active = forms.BooleanField(
        label=_("Active (may log in)"),
        required=False,
    )

    def __init__(self, *args, organizer, user, shared=False, **kwargs):
        self.organizer, self.user = organizer, user
        kwargs.setdefault(
            "initial",
            {"full_name": user.full_name, "email": user.email, "is_active": user.is_active},
        )
        super().__init__(*args, **kwargs)
        if shared:
            help_text = _("This account is also used outside this organiser, so only its name can be changed here.")
            for name in ("email", "is_active"):
                self.fields[name].disabled = True
                self.fields[name].help_text = help_text

    def clean_email(self):
        # Whether an account elsewhere has the address is not checked (nor told) here: a change
        # of address waits for confirmation by the new address (domain.update_user).
        return domain.normalise_email(self.cleaned_data["email"])


class OrganizerSettingsForm(core_forms.Form):
    """The organiser's own settings (for now: the national comparison)."""

    share_national = forms.BooleanField(
        label=_("Share our figures for the national comparison"),
        required=False,
        help_text=_(
            "Our units' maturity figures then count in the national average. The average is shown "
            "only when at least %(organizers)s other organisers with %(units)s units share theirs, "
            "so no organiser can work out another's figures."
        ),
    )

    def __init__(self, *args, organizer, **kwargs):
        from django.conf import settings

        kwargs.setdefault("initial", {"share_national": organizer.share_national})
        super().__init__(*args, **kwargs)
        field = self.fields["share_national"]
        field.help_text = field.help_text % {
            "organizers": settings.STEGVIS_NATIONAL_MIN_ORGANIZERS,
            "units": settings.STEGVIS_NATIONAL_MIN_UNITS,
        }


class MailFilterForm(core_forms.Form):
    """The mail page's filters, read from the query string; invalid values are ignored."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    to = forms.CharField(label=_("Recipient"), required=False, max_length=254)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *mail.kinds()]
        self.fields["status"].choices = [("", _("All")), *SentMail.Status.choices]

    def filter(self, mails):
        """Apply the valid filters to a SentMail queryset."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        if data.get("kind"):
            mails = mails.filter(kind=data["kind"])
        if data.get("status"):
            mails = mails.filter(status=data["status"])
        if data.get("to"):
            mails = mails.filter(to_email__icontains=data["to"].strip())
        tz = timezone.get_current_timezone()
        if data.get("since"):
            mails = mails.filter(created_at__gte=datetime.datetime.combine(data["since"], datetime.time.min, tz))
        if data.get("until"):
            day_after = data["until"] + datetime.timedelta(days=1)
            mails = mails.filter(created_at__lt=datetime.datetime.combine(day_after, datetime.time.min, tz))
        return mails
