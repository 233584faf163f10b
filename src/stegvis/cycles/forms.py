from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.frameworks.models import Framework

from .models import Round

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
        fields = ["name", "framework", "opens_on", "deadline", "expected_perspectives"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "name": _("For example “Läsår 2026/27”."),
            "opens_on": _("Until this date the round is upcoming: nobody can start an assessment in it yet."),
            "deadline": _("The date by which units should have published."),
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
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("The deadline cannot be before the round opens."))
        return data
