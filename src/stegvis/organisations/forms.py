"""Forms for the organisation admin room. They check input; domain functions make the change.

Every form that offers districts or units takes the ``organizer`` and offers only its own.
"""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core import schoolforms

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
        label=_("CSV file"),
        allow_empty_file=True,  # the import says "The file is empty." itself
        help_text=_("UTF-8, at most 2 MB. Columns: name, unit code, school forms, district."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


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
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("Also the user's login."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Tell it to the user, who should change it after the first login."),
    )
    role = _role_field()
    district, unit = _scope_fields()

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_scope_fields(organizer)

    def clean_email(self):
        email = domain.normalise_email(self.cleaned_data["email"])
        if domain.email_taken(email):
            member = (
                User.objects.filter(email=email).filter(memberships__organizer=self.organizer).order_by("pk").first()
            )
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
            raise forms.ValidationError(
                _("The e-mail address %(email)s is taken. Ask the person which address to use instead."),
                params={"email": email},
            )
        return email

    def clean(self):
        cleaned = self._clean_scope(super().clean())
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class UserEditForm(core_forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=150, help_text=_("Also the user's login."))
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
        email = domain.normalise_email(self.cleaned_data["email"])
        if domain.email_taken(email, exclude_user=self.user):
            raise forms.ValidationError(_("The e-mail address %(email)s is taken."), params={"email": email})
        return email


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
