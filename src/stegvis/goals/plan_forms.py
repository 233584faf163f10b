"""Forms of the local digital plans and the organiser's plan (docs/digital-plans.md)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core import schoolforms
from stegvis.organisations.access import people_of
from stegvis.organisations.models import District

from . import plans
from .models import CentralAction, Goal

FORMATTING_HELP = _(
    'Plain text: a blank line starts a new paragraph, a line that begins with "- " is a bullet, **text** is bold.'
)

SECTION_HELP = {
    "leadership": _("How the unit is led and organised for digital development."),
    "infrastructure": _("Devices, networks, digital tools and support."),
    "competence": _("The staff's digital competence and how it is developed."),
    "use": _("How digital tools are used in teaching and learning."),
    "diversity": _("Different needs and conditions: equity, accessibility, pupils' different starting points."),
    "food_for_thought": _("What else to keep in mind: risks, questions, ideas for later."),
}


def _goal_label(goal):
    if goal.scope == Goal.Scope.UNIT:
        return goal.title
    where = goal.district.name if goal.scope == Goal.Scope.DISTRICT and goal.district else _("the whole organiser")
    return f"{goal.title} ({where})"


def _section_field(field):
    section = next(s for s in plans.SECTIONS if s.field == field)
    return forms.CharField(
        label=section.label,
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy("{} {}", SECTION_HELP[field], FORMATTING_HELP),
    )


class UnitPlanForm(core_forms.Form):
    """The six sections and the goals of a draft plan; ``revision`` is the version the form was
    opened on (a save over a newer one is refused without losing the text)."""

    leadership = _section_field("leadership")
    infrastructure = _section_field("infrastructure")
    competence = _section_field("competence")
    use = _section_field("use")
    diversity = _section_field("diversity")
    food_for_thought = _section_field("food_for_thought")
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals of the plan"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=format_lazy(_("A few clear, measurable goals: at most {}."), plans.MAX_GOALS),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        choices = plans.unit_goal_choices(unit=unit)
        self.fields["goals"].queryset = Goal.objects.filter(organizer=unit.organizer, pk__in=[g.pk for g in choices])
        self.fields["goals"].label_from_instance = _goal_label

    def clean_goals(self):
        goals = self.cleaned_data["goals"]
        if len(goals) > plans.MAX_GOALS:
            raise forms.ValidationError(
                _("Choose at most %(n)s goals: a few clear, measurable goals."), params={"n": plans.MAX_GOALS}
            )
        return goals


class OrganiserPlanForm(core_forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=FORMATTING_HELP,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("The organiser's goals in the plan"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        choices = plans.organiser_goal_choices(organizer=organizer)
        self.fields["goals"].queryset = Goal.objects.filter(organizer=organizer, pk__in=[g.pk for g in choices])
        self.fields["goals"].label_from_instance = _goal_label


class CentralActionForm(core_forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(), required=False)

    class Meta:
        model = CentralAction
        fields = ["title", "description", "owner", "due_date", "status"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organizer, adopted, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(organizer)
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["description"].help_text = FORMATTING_HELP
        if adopted:  # an adopted plan is followed up: only the status changes
            for name in ["title", "description", "owner", "due_date"]:
                del self.fields[name]


STATUS_FILTERS = [
    ("adopted", _("Adopted")),
    ("draft", _("Draft only")),
    ("none", _("No plan")),
]


class PlanListFilter(core_forms.Form):
    """The filters of the list of units' plans (GET): school year, district, school form, status."""

    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False, empty_value=None)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("All")
    )
    form = forms.ChoiceField(label=_("School form"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, organizer, access, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, plans.year_label(y)) for y in years]
        self.fields["district"].queryset = access.visible_districts(District.objects.filter(organizer=organizer))
        self.fields["form"].choices = [("", _("All")), *schoolforms.choices()]
        self.fields["status"].choices = [("", _("All")), *STATUS_FILTERS]

    def values(self):
        """The valid values; an invalid one counts as "all"."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if name not in self.errors}
