"""Forms of certification rules, the certification list's filters and the council indicator."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Framework, Indicator
from stegvis.organisations.models import District

from . import certification
from .forms import NEEDS_TARGET, PERCENT_MEASURES, check_survey_measure, framework_choices, survey_choices
from .models import CertificationRule, CouncilIndicator, Measure


def _top_level(organizer):
    frameworks = Framework.objects.filter(pk__in=Round.objects.filter(organizer=organizer).values("framework_id"))
    return max([fw.level_count for fw in frameworks if fw.level_count] or [4])


class RuleForm(core_forms.ModelForm):
    class Meta:
        model = CertificationRule
        fields = [
            "name",
            "description",
            "over",
            "area_key",
            "indicator_codes",
            "every_at_least",
            "none_below",
            "some_count",
            "some_level",
            "survey_group",
            "survey_area_key",
            "survey_min_share",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        self.frameworks = set(Round.objects.filter(organizer=organizer).values_list("framework_id", flat=True))
        self.top = _top_level(organizer)
        _indicators, areas = framework_choices(self.frameworks)
        groups, _questions = survey_choices(self.frameworks)
        self.fields["area_key"] = forms.ChoiceField(
            label=_("Area"), required=False, choices=[("", "–"), *areas], help_text=_("When the rule covers an area.")
        )
        self.fields["survey_group"] = forms.ChoiceField(
            label=_("Survey respondent group"),
            required=False,
            choices=[("", "–"), *groups],
            help_text=_("Optional: a survey condition."),
        )
        self.fields["survey_area_key"] = forms.ChoiceField(
            label=_("Survey area"),
            required=False,
            choices=[("", _("Every question")), *areas],
        )
        checks = [(c.key, c.label) for c in certification.PLAN_CHECKS.values()]
        if checks:
            # not a model field of the form: offered only when a check is registered
            self.fields["plan_checks"] = forms.MultipleChoiceField(
                label=_("Plan conditions"),
                required=False,
                choices=checks,
                widget=forms.CheckboxSelectMultiple,
                initial=self.instance.plan_checks if self.instance.pk else [],
            )
        for name in ("every_at_least", "none_below", "some_level"):
            self.fields[name].widget.attrs.update(min=1, max=self.top)

    def clean(self):
        data = super().clean()
        over = data.get("over")
        if over == CertificationRule.Over.AREA and not data.get("area_key"):
            self.add_error("area_key", _("Choose the area the rule covers."))
        if over != CertificationRule.Over.AREA:
            data["area_key"] = ""
        if over == CertificationRule.Over.INDICATORS:
            codes = [c.strip().upper() for c in (data.get("indicator_codes") or "").split(",") if c.strip()]
            known = set(
                Indicator.objects.filter(framework__in=self.frameworks, code__in=codes).values_list("code", flat=True)
            )
            unknown = [c for c in codes if c not in known]
            if not codes:
                self.add_error("indicator_codes", _("Give at least one indicator code."))
            elif unknown:
                self.add_error("indicator_codes", _("No such indicator: %(codes)s.") % {"codes": ", ".join(unknown)})
            data["indicator_codes"] = ", ".join(dict.fromkeys(codes))
        else:
            data["indicator_codes"] = ""
        every, none_below = data.get("every_at_least"), data.get("none_below")
        some_count, some_level = data.get("some_count"), data.get("some_level")
        for name in ("every_at_least", "none_below", "some_level"):
            value = data.get(name)
            if value is not None and not 1 <= value <= self.top:
                self.add_error(name, _("The level must be between 1 and %(top)s.") % {"top": self.top})
        if bool(some_count) != bool(some_level):
            self.add_error("some_count", _("Give both how many indicators and the level they must reach."))
        if not (every or none_below or (some_count and some_level)):
            self.add_error(None, _("Give at least one condition on the levels."))
        if data.get("survey_group"):
            share = data.get("survey_min_share")
            if share is None or not 1 <= share <= 100:
                self.add_error("survey_min_share", _("Give the share of positive answers needed, 1-100 %."))
        else:
            data["survey_area_key"], data["survey_min_share"] = "", None
        if "plan_checks" in self.fields:
            data["plan_checks"] = list(data.get("plan_checks") or [])
        return data


class ListFilter(core_forms.Form):
    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.none(), required=False)
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=CertificationRule.objects.none(), required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Certified")), ("no", _("Not certified"))],
    )

    def __init__(self, *args, organizer, access, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds]).order_by("-opens_on")
        self.fields["round"].empty_label = _("Latest started")
        self.fields["rule"].queryset = CertificationRule.objects.filter(organizer=organizer)
        self.fields["rule"].empty_label = _("Every rule in use")
        self.fields["district"].queryset = access.visible_districts(District.objects.filter(organizer=organizer))
        self.fields["district"].empty_label = _("All")


class CouncilForm(core_forms.ModelForm):
    certification_rule = forms.ModelChoiceField(
        label=_("Certification rule"), queryset=CertificationRule.objects.none(), required=False
    )

    class Meta:
        model = CouncilIndicator
        fields = [
            "title",
            "measure",
            "indicator_code",
            "area_key",
            "level",
            "respondent_group",
            "question_key",
            "certification_rule",
            "target_value",
        ]

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = set(Round.objects.filter(organizer=organizer).values_list("framework_id", flat=True))
        self.top = _top_level(organizer)
        indicators, areas = framework_choices(self.frameworks)
        groups, questions = survey_choices(self.frameworks)
        self.fields["indicator_code"] = forms.ChoiceField(
            label=_("Indicator"), required=False, choices=[("", "–"), *indicators]
        )
        self.fields["area_key"] = forms.ChoiceField(label=_("Area"), required=False, choices=[("", "–"), *areas])
        self.fields["respondent_group"] = forms.ChoiceField(
            label=_("Respondent group"), required=False, choices=[("", "–"), *groups]
        )
        self.fields["question_key"] = forms.ChoiceField(
            label=_("Survey question"), required=False, choices=[("", "–"), *questions]
        )
        self.fields["certification_rule"].queryset = CertificationRule.objects.filter(organizer=organizer)
        self.fields["title"].help_text = _("The council's goal in its own words, e.g. from the budget.")

    def clean(self):
        data = super().clean()
        measure = data.get("measure")
        indicator, area, level = data.get("indicator_code"), data.get("area_key"), data.get("level")
        if measure in NEEDS_TARGET and bool(indicator) == bool(area):
            self.add_error("indicator_code", _("Choose either an indicator or an area."))
        if measure == Measure.MATURITY_INDEX and indicator:
            self.add_error(
                "indicator_code", _("The maturity index is taken on an area or in total, not on an indicator.")
            )
        if measure == Measure.SHARE_AT_LEVEL:
            if not level:
                self.add_error("level", _("Give the level a unit must reach."))
            elif not 1 <= level <= self.top:
                self.add_error("level", _("The level must be between 1 and %(top)s.") % {"top": self.top})
        else:
            data["level"] = None
        if measure in (Measure.ACTIONS_DONE, Measure.UNITS_PUBLISHED, Measure.UNITS_CERTIFIED):
            data["indicator_code"], data["area_key"] = "", ""
        if measure == Measure.SURVEY_POSITIVE:
            check_survey_measure(self, data, self.frameworks)
        else:
            data["respondent_group"], data["question_key"] = "", ""
        if measure == Measure.UNITS_CERTIFIED:
            if not data.get("certification_rule"):
                self.add_error("certification_rule", _("Choose the certification rule counted."))
        else:
            data["certification_rule"] = None
        target = data.get("target_value")
        if target is not None and measure in PERCENT_MEASURES and not 0 <= target <= 100:
            self.add_error("target_value", _("A share or an index is between 0 and 100."))
        return data
