from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms


class AnswerForm(core_forms.Form):
    """One indicator's answer. ``choice`` is a level number or "nr" (not relevant)."""

    choice = forms.CharField(required=False)
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)  # several lines
    revision = forms.IntegerField(min_value=0)

    def __init__(self, *args, level_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_count = level_count

    def clean_choice(self):
        choice = self.cleaned_data["choice"].strip()
        if choice in ("", "nr"):
            return choice
        try:
            level = int(choice)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the levels or “not relevant”.")) from None
        if not 1 <= level <= self.level_count:
            raise forms.ValidationError(
                _("Level %(level)s is out of range: choose a level from 1 to %(max)s.")
                % {"level": level, "max": self.level_count}
            )
        return level
