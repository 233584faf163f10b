import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms

from .models import ApiToken

MAX_DAYS = 2 * 366


class ApiTokenForm(core_forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI, the board's report”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=[
            (ApiToken.Scope.READ, _("Read: every figure, unit, round, assessment and plan")),
            (ApiToken.Scope.WRITE, _("Read and write: also create and change units")),
        ],
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        help_text=_("At most two years ahead. The token stops working at the end of this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"expires_on": timezone.localdate() + datetime.timedelta(days=365)})
        super().__init__(*args, **kwargs)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > today + datetime.timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Choose a day at most two years ahead."))
        return day

    def expires_at(self):
        """The end of the chosen day, in the site's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["expires_on"], datetime.time.max))


class OpenDataForm(core_forms.Form):
    enabled = forms.BooleanField(
        label=_("Publish our aggregate figures as open data"),
        required=False,
        help_text=_(
            "The maturity index per area and round, and the share of units per level for each indicator, "
            "of closed rounds, at a public address as CSV and JSON. No figure rests on fewer than %(k)s units."
        ),
    )

    def __init__(self, *args, k, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"].help_text = self.fields["enabled"].help_text % {"k": k}
