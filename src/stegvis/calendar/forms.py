from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms

from .models import Event
from .sources import KINDS


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(core_forms.ModelForm):
    """The organiser's own event: a day (or several), optionally with times, for the whole
    organiser or one district."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=None,  # the organiser's districts, set in __init__
        required=False,
        help_text=_("Empty: the event concerns the whole organiser."),
    )

    class Meta:
        model = Event
        fields = ["title", "starts_on", "ends_on", "starts_at", "ends_at", "district", "location", "description"]
        widgets = {
            "starts_on": _date(),
            "ends_on": _date(),
            "starts_at": _time(),
            "ends_at": _time(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"title": _("For example “Kvalitetsdialog med nämnden”.")}

    def __init__(self, *args, organizer, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = _("The whole organiser")

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", _("The last day cannot be before the first."))
            elif ends_on == starts_on:
                data["ends_on"] = None  # one day
        if ends_at and not starts_at:
            self.add_error("starts_at", _("Give the start time too, or no times at all."))
        elif starts_at and ends_at and not data.get("ends_on") and ends_at <= starts_at:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data


def school_year_label(year):
    return _("School year %(first)d/%(second)02d") % {"first": year, "second": (year + 1) % 100}


class WheelFilter(core_forms.Form):
    """The year wheel's filters (GET): the school year, a district, kinds of events."""

    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False, empty_value=None)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False, empty_label=_("All"))
    kind = forms.MultipleChoiceField(label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, districts, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, school_year_label(y)) for y in years]
        self.fields["district"].queryset = districts
        self.fields["kind"].choices = [(k.code, k.label) for k in KINDS.values()]
