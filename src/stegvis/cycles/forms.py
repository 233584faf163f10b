from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.frameworks.models import Framework

from .models import FollowUpDate, Round

DATE_WIDGET = {"type": "date"}


def _date_input():
    return forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")


# The perspectives besides the principal's a round may expect: assessments.Perspective (a higher
# tier) without the principal; tests/assessments/test_perspectives.py checks they agree.
EXPECTABLE_PERSPECTIVES = [
    ("it_educator", _("IT educator")),
    ("leadership_group", _("Leadership group")),
    ("work_team", _("Work team")),
]


class RoundForm(core_forms.ModelForm):
    expected_perspectives = forms.MultipleChoiceField(
        label=_("Perspectives expected besides the principal's"),
        choices=EXPECTABLE_PERSPECTIVES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Principals invite them to assess their unit; the publication status shows them."),
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "framework",
            "opens_on",
            "deadline",
            "closes_on",
            "survey_opens_on",
            "survey_closes_on",
            "expected_perspectives",
        ]
        widgets = {
            "opens_on": _date_input(),
            "deadline": _date_input(),
            "closes_on": _date_input(),
            "survey_opens_on": _date_input(),
            "survey_closes_on": _date_input(),
        }
        help_texts = {
            "name": _("For example “Läsår 2026/27”."),
            "opens_on": _("Until this date the round is upcoming: nobody can start an assessment in it yet."),
            "deadline": _("The date by which units should have published."),
            "closes_on": _("The last day of the round (shown in the calendar; you close the round yourself)."),
            "survey_opens_on": _("Optional: when staff and pupils answer the surveys. Inside the round."),
            "survey_closes_on": _("The last day of the survey window."),
        }

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        self.fields["framework"].queryset = Framework.objects.available_to(organizer).order_by("key", "-version")
        self.fields["framework"].label_from_instance = lambda fw: f"{fw.name_sv} ({fw.version})"
        # The framework of a round with assessments cannot change: their answers belong to it.
        if self.instance.pk and self.instance.assessments.exists():
            self.fields["framework"].disabled = True

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Round.objects.filter(organizer=self.organizer, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("There is already a round with this name."))
        return name

    def clean(self):
        data = super().clean()
        opens_on, deadline, closes_on = data.get("opens_on"), data.get("deadline"), data.get("closes_on")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("The deadline cannot be before the round opens."))
        if closes_on and opens_on and closes_on < opens_on:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        elif closes_on and deadline and closes_on < deadline:
            self.add_error("closes_on", _("The round cannot close before the deadline for publishing."))
        self._clean_survey_window(data, opens_on, closes_on)
        if self.instance.pk and opens_on and not self.errors:
            outside = [
                fu.date.isoformat()
                for fu in self.instance.follow_ups.all()
                if fu.date < opens_on or (closes_on and fu.date > closes_on)
            ]
            if outside:
                self.add_error(
                    None,
                    _("These follow-up dates fall outside the round: %(dates)s. Move or remove them first.")
                    % {"dates": ", ".join(outside)},
                )
        return data

    def _clean_survey_window(self, data, opens_on, closes_on):
        s_open, s_close = data.get("survey_opens_on"), data.get("survey_closes_on")
        if bool(s_open) != bool(s_close):
            missing = "survey_closes_on" if s_open else "survey_opens_on"
            if missing not in self.errors:
                self.add_error(missing, _("Give both the first and the last day of the survey window, or neither."))
            return
        if not s_open:
            return
        if s_close < s_open:
            self.add_error("survey_closes_on", _("The survey window cannot close before it opens."))
        elif opens_on and s_open < opens_on:
            self.add_error("survey_opens_on", _("The survey window must lie inside the round: it opens too early."))
        elif closes_on and s_close > closes_on:
            self.add_error("survey_closes_on", _("The survey window must lie inside the round: it closes too late."))


class FollowUpForm(core_forms.ModelForm):
    """A follow-up date of a round: inside the round, one per day."""

    class Meta:
        model = FollowUpDate
        fields = ["date", "title"]
        widgets = {"date": _date_input()}
        help_texts = {"title": _("For example “Halvårsuppföljning”. Empty: “Follow-up”.")}

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_date(self):
        date = self.cleaned_data["date"]
        rnd = self.round
        if date < rnd.opens_on:
            raise forms.ValidationError(
                _("A follow-up date must lie inside the round: the round opens on %(date)s.")
                % {"date": rnd.opens_on.isoformat()}
            )
        if rnd.closes_on and date > rnd.closes_on:
            raise forms.ValidationError(
                _("A follow-up date must lie inside the round: the round closes on %(date)s.")
                % {"date": rnd.closes_on.isoformat()}
            )
        clash = FollowUpDate.objects.filter(round=rnd, date=date).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The round already has a follow-up on this day."))
        return date


class RoundUnitsForm(core_forms.Form):
    """Choose units outside an open round to add to it (``domain.units_outside``). The choices
    are checked against the listed units in Python, so nonsense never reaches the database."""

    unit = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Choose at least one unit to add."),
            "invalid_choice": _("One of the chosen units cannot be added: reload the page and choose again."),
        },
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(str(unit.pk), unit.name) for unit in units]
