import datetime

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.cycles.models import Round
from stegvis.organisations.models import Unit

from . import anonymity
from .models import Survey

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SurveyForm(core_forms.Form):
    """Open a survey: round, respondent group, window, units, distribution, k."""

    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.none())
    respondent_group = forms.ChoiceField(label=_("Respondent group"))
    opens_at = forms.DateTimeField(label=_("Opens"), widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT))
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)
    )
    all_units = forms.BooleanField(label=_("All active units"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=Survey.Distribution.choices,
        initial=Survey.Distribution.LINKS,
        widget=forms.RadioSelect,
    )
    k = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=anonymity.K_DEFAULT,
        max_value=100,
        initial=anonymity.K_DEFAULT,
        help_text=_("No figure resting on fewer answers is shown. At least 5."),
    )

    def __init__(self, *args, organizer, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        rounds = Round.objects.filter(organizer=organizer, status=Round.Status.OPEN).select_related("framework")
        self.fields["round"].queryset = rounds
        choices, seen = [], set()
        for rnd in rounds:
            for group in rnd.framework.survey_groups or []:
                if group["key"] not in seen:
                    seen.add(group["key"])
                    choices.append((group["key"], group["name"].get("sv") or group["key"]))
        self.fields["respondent_group"].choices = choices
        units = Unit.objects.filter(organizer=organizer, active=True).order_by("name")
        if not access.can_manage:
            units = units.filter(pk__in=access.my_unit_ids)
            del self.fields["all_units"]
        self.fields["units"].queryset = units
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + datetime.timedelta(days=14)

    def clean(self):
        data = super().clean()
        rnd, group = data.get("round"), data.get("respondent_group")
        if rnd and group and group not in {g["key"] for g in rnd.framework.survey_groups or []}:
            self.add_error("respondent_group", _("The round's framework has no such respondent group."))
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        elif data.get("closes_at") and data["closes_at"] <= timezone.now():
            self.add_error("closes_at", _("The closing time has already passed."))
        units = list(data.get("units") or [])
        if data.get("all_units"):
            units = list(self.fields["units"].queryset)
        if not units:
            self.add_error("units", _("Choose at least one unit."))
        for unit in units:
            if not self.access.can_open_survey_for(unit):
                self.add_error("units", _("You cannot open a survey for %(unit)s.") % {"unit": unit.name})
        data["units"] = units
        return data


class GroupCodeForm(core_forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    code = forms.RegexField(
        label=_("Group code"),
        regex=r"^[\w][\w .-]{0,19}$",
        max_length=20,
        help_text=_("A class or a work team, for example 4A. 1-20 letters, digits, spaces, dots or dashes."),
        error_messages={"invalid": _("A group code is 1-20 letters, digits, spaces, dots or dashes.")},
    )
    expected = forms.IntegerField(
        label=_("Expected respondents"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("How many can answer, for the response rate (optional)."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PersonalLinksForm(core_forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=50000,
        help_text=_(
            "One per line. Each gets a personal link that can be used once. The addresses are not kept with the survey."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_emails(self):
        found = []
        for line in self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").splitlines():
            address = line.strip().lower()
            if not address:
                continue
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Not an e-mail address: %(address)s") % {"address": address[:80]}
                ) from None
            if address not in found:
                found.append(address)
        if not found:
            raise forms.ValidationError(_("Give at least one e-mail address."))
        if len(found) > 500:
            raise forms.ValidationError(_("At most 500 addresses at a time."))
        return found


class ReminderForm(core_forms.Form):
    below = forms.IntegerField(
        label=_("Remind units with a response rate below (%)"), min_value=1, max_value=100, initial=50
    )
