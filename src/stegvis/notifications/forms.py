from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms

from . import kinds


class RulesForm(core_forms.Form):
    days_before = forms.CharField(
        label=_("Remind principals who have not published, days before the publish-by date"),
        help_text=_("Whole numbers separated by commas; 0 is the day itself. Empty: no reminders before."),
        required=False,
        max_length=60,
    )
    days_after = forms.IntegerField(
        label=_("Remind the principal and the district lead, days after the publish-by date"),
        help_text=_("Empty: no reminder after the date."),
        required=False,
        min_value=1,
        max_value=365,
    )
    action_days_before = forms.IntegerField(
        label=_("Remind an action's owner, days before its due date"),
        help_text=_("Empty: no reminder before the due date."),
        required=False,
        min_value=1,
        max_value=365,
    )
    action_overdue = forms.BooleanField(label=_("Remind an action's owner when it is overdue"), required=False)
    follow_up = forms.BooleanField(
        label=_("At each follow-up date, ask principals with open actions to review their plan"), required=False
    )
    digest = forms.BooleanField(label=_("Send organiser admins a weekly digest"), required=False)
    digest_survey_rate = forms.IntegerField(
        label=_("In the digest, name the units of open surveys below this response rate (%)"),
        help_text=_("A whole number from 1 to 100."),
        min_value=1,
        max_value=100,
        error_messages={
            "required": _("Give a response rate from 1 to 100 per cent."),
            "invalid": _("Give a response rate from 1 to 100 per cent."),
            "min_value": _("Give a response rate from 1 to 100 per cent."),
            "max_value": _("Give a response rate from 1 to 100 per cent."),
        },
    )

    def clean_days_before(self):
        text = self.cleaned_data["days_before"].replace(" ", "")
        if not text:
            return []
        days = []
        for part in text.split(","):
            if not part:
                continue
            if not part.isdigit() or int(part) > 365:
                raise forms.ValidationError(_("Write whole numbers from 0 to 365, separated by commas, e.g. 14, 3, 0."))
            days.append(int(part))
        if len(days) > 10:
            raise forms.ValidationError(_("At most ten reminders before the date."))
        return sorted(set(days), reverse=True)


class NudgeForm(core_forms.Form):
    unit = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput, required=False)
    batch = forms.RegexField(regex=r"^[0-9a-f]{12}$", widget=forms.HiddenInput)
    personal_line = forms.CharField(
        label=_("A personal line (optional)"),
        help_text=_("Shown in the mail under the reminder, e.g. “Call me if you need help.”"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices

    def clean_unit(self):
        units = self.cleaned_data["unit"]
        if not units:
            raise forms.ValidationError(_("Choose at least one unit."))
        return units


class PreferencesForm(core_forms.Form):
    def __init__(self, *args, muted=(), **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds.LABELS.items():
            mandatory = kind in kinds.MANDATORY
            self.fields[kind.replace(".", "_")] = forms.BooleanField(
                label=label,
                required=False,
                initial=mandatory or kind not in muted,
                disabled=mandatory,
                help_text=_("Always sent: only the organiser can switch it off.") if mandatory else "",
            )

    def muted(self):
        return [k for k in kinds.OPTIONAL if not self.cleaned_data.get(k.replace(".", "_"))]
