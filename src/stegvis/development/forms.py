"""Forms of competence development; every scoped choice is set in ``__init__``."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core.i18n import bilingual
from stegvis.frameworks.models import Area, Indicator
from stegvis.organisations import access as access_rules
from stegvis.organisations.models import District, Unit

from .models import Initiative

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InitiativeForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.ChoiceField(
        label=_("Owned by"), required=False, help_text=_("Who runs the initiative and may change it.")
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Linked indicators"), queryset=Indicator.objects.none(), required=False,
        help_text=_("The need it answers; the evaluation and the follow-up look at them."),
    )  # fmt: skip
    areas = forms.ModelMultipleChoiceField(
        label=_("Linked areas"), queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_roles = forms.MultipleChoiceField(
        label=_("Target group: roles"), choices=access_rules.target_group_roles, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every role."),
    )  # fmt: skip
    target_districts = forms.ModelMultipleChoiceField(
        label=_("Target group: districts"), queryset=District.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    target_units = forms.ModelMultipleChoiceField(
        label=_("Target group: units"), queryset=Unit.objects.none(), required=False,
        help_text=_("No district or unit chosen: the whole organiser."),
    )  # fmt: skip
    budget = forms.IntegerField(label=_("Budget (SEK)"), min_value=0, max_value=1_000_000_000, required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)
    choose_at_most = forms.IntegerField(
        label=_("Tracks each participant may choose"), min_value=1, max_value=100, required=False,
        help_text=_("Empty: no limit."),
    )  # fmt: skip

    def __init__(self, *args, access, organizer, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        lang = None
        indicators = Indicator.objects.filter(framework__in=frameworks).select_related("area")
        self.fields["indicators"].queryset = indicators.order_by("framework_id", "area__order", "order")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {bilingual(i, 'title', lang)}"
        self.fields["areas"].queryset = Area.objects.filter(framework__in=frameworks).order_by("framework_id", "order")
        self.fields["areas"].label_from_instance = lambda a: bilingual(a, "name", lang)
        self.fields["target_districts"].queryset = District.objects.filter(organizer=organizer).order_by("name")
        self.fields["target_units"].queryset = Unit.objects.filter(organizer=organizer, active=True).order_by("name")
        owners = []
        if access.can_manage:
            owners.append(("", _("The organiser")))
        districts = access.initiative_owner_districts(District.objects.filter(organizer=organizer)).order_by("name")
        owners += [(f"d{d.pk}", d.name) for d in districts]
        units = access.initiative_owner_units(Unit.objects.filter(organizer=organizer)).order_by("name")
        owners += [(f"u{u.pk}", u.name) for u in units]
        self.fields["owner"].choices = owners
        self._districts = {f"d{d.pk}": d for d in districts}
        self._units = {f"u{u.pk}": u for u in units}

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if owner == "" and not self.access.can_manage:
            raise forms.ValidationError(_("Choose the district or unit that owns the initiative."))
        return owner

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The initiative must end on or after the day it starts."))
        return data

    def split(self):
        """``(fields, relations)`` for ``domain.create_initiative``/``update_initiative``."""
        d = self.cleaned_data
        owner = d["owner"]
        fields = {
            "title": d["title"],
            "purpose": d["purpose"],
            "owner_district": self._districts.get(owner),
            "owner_unit": self._units.get(owner),
            "target_roles": list(d["target_roles"]),
            "budget": d["budget"],
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "status": d["status"],
            "choose_at_most": d["choose_at_most"],
        }
        relations = {name: list(d[name]) for name in ("target_districts", "target_units", "indicators", "areas")}
        return fields, relations

    @staticmethod
    def initial_of(initiative):
        owner = ""
        if initiative.owner_district_id:
            owner = f"d{initiative.owner_district_id}"
        elif initiative.owner_unit_id:
            owner = f"u{initiative.owner_unit_id}"
        return {
            "title": initiative.title,
            "purpose": initiative.purpose,
            "owner": owner,
            "indicators": list(initiative.indicators.all()),
            "areas": list(initiative.areas.all()),
            "target_roles": initiative.target_roles,
            "target_districts": list(initiative.target_districts.all()),
            "target_units": list(initiative.target_units.all()),
            "budget": initiative.budget,
            "starts_on": initiative.starts_on,
            "ends_on": initiative.ends_on,
            "status": initiative.status,
            "choose_at_most": initiative.choose_at_most,
        }


class GoalForm(core_forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=300)
    check = forms.CharField(
        label=_("How it is checked"), max_length=300, help_text=_("For example: the evaluation, a follow-up visit.")
    )


class TrackForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=100_000, required=False, help_text=_("Empty: no limit.")
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("A track must end after it starts."))
        return data


class ChooseTracksForm(core_forms.Form):
    tracks = forms.ModelMultipleChoiceField(
        label=_("Your tracks"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracks"].queryset = initiative.tracks.all()
        if initiative.choose_at_most:
            self.fields["tracks"].help_text = _("Choose at most %(n)s.") % {"n": initiative.choose_at_most}
        self.initiative = initiative

    def clean_tracks(self):
        tracks = self.cleaned_data["tracks"]
        limit = self.initiative.choose_at_most
        if limit and len(tracks) > limit:
            raise forms.ValidationError(_("Choose at most %(n)s tracks.") % {"n": limit})
        return tracks


class EnrolOtherForm(core_forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name or u.email} ({u.email})"


class EvaluationForm(core_forms.Form):
    closes_on = forms.DateField(label=_("Open for answers until"), widget=DATE)

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def closes_at(self):
        day = self.cleaned_data["closes_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


class LinkActionForm(core_forms.Form):
    action = forms.ModelChoiceField(label=_("Action in a unit's action plan"), queryset=None)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].label_from_instance = lambda a: f"{a.unit.name}: {a.title}"


class SpreadMeetingForm(core_forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(
        label=_("What was shared, with whom"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InitiativeFilter(core_forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Initiative.Status.choices]
