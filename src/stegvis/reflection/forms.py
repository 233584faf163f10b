from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core.forms import Form


class ReflectionForm(Form):
    """One level per competence area (radio buttons with the level's description) and, where the
    respondent chooses it, the unit. Fields ``area-<key>``; ``levels()`` gives ``{key: level}``."""

    def __init__(self, *args, questionnaire, lang, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = questionnaire.areas(lang)
        for area in self.areas:
            self.fields[f"area-{area['key']}"] = forms.TypedChoiceField(
                label=area["name"],
                choices=[(lv["number"], lv["name"]) for lv in area["levels"]],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the level that fits you best.")},
            )
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Where do you work?"),
                queryset=units,
                required=False,
                empty_label=_("No particular unit"),
                help_text=_("Your unit's figures are shown only when enough colleagues have answered."),
            )

    def levels(self):
        return {area["key"]: self.cleaned_data[f"area-{area['key']}"] for area in self.areas}

    def area_rows(self):
        """``[(area, bound field, chosen level number or None)]`` for the template."""
        rows = []
        for area in self.areas:
            field = self[f"area-{area['key']}"]
            value = field.value()
            try:
                chosen = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                chosen = None
            rows.append((area, field, chosen))
        return rows


class StartLinkForm(Form):
    unit = forms.ModelChoiceField(
        label=_("For"),
        queryset=None,
        required=False,
        empty_label=_("The whole organiser (the respondent chooses the unit)"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MinGroupForm(Form):
    k = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=5,
        max_value=100,
        help_text=_("No figure is shown that rests on fewer people. At least 5; you may raise it, not lower it."),
    )
