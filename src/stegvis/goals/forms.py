from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core.i18n import pick, ui_language
from stegvis.cycles.models import Round
from stegvis.development.models import Initiative
from stegvis.frameworks.models import Area, Indicator
from stegvis.organisations.access import people_of
from stegvis.organisations.models import District, Unit

from .models import CertificationRule, Goal, GoalTemplate, Measure

PERCENT_MEASURES = {
    Measure.SHARE_AT_LEVEL,
    Measure.ACTIONS_DONE,
    Measure.UNITS_PUBLISHED,
    Measure.MATURITY_INDEX,
    Measure.UNITS_CERTIFIED,
    Measure.SURVEY_POSITIVE,
}
NEEDS_TARGET = {Measure.SHARE_AT_LEVEL, Measure.MEAN_LEVEL}


def framework_choices(frameworks):
    """(indicator choices, area choices) over the frameworks of the organiser's rounds, by code and key."""
    indicators, areas = {}, {}
    for code, title_sv, title_en in (
        Indicator.objects.filter(framework__in=frameworks)
        .values_list("code", "title_sv", "title_en")
        .order_by("area__order", "order")
    ):
        indicators.setdefault(code, f"{code} {pick(title_sv, title_en)}")
    for key, name_sv, name_en in (
        Area.objects.filter(framework__in=frameworks).values_list("key", "name_sv", "name_en").order_by("order")
    ):
        areas.setdefault(key, pick(name_sv, name_en))
    return list(indicators.items()), list(areas.items())


def survey_choices(frameworks):
    """(respondent group choices, scale question choices) over the frameworks, by key."""
    from stegvis.frameworks.models import Framework, SurveyQuestion, survey_group_name

    groups, questions = {}, {}
    for framework in Framework.objects.filter(pk__in=frameworks):
        for group in framework.survey_groups or []:
            groups.setdefault(group["key"], survey_group_name(framework, group["key"], ui_language()))
    for key, group, text_sv, text_en in (
        SurveyQuestion.objects.filter(framework__in=frameworks, kind=SurveyQuestion.Kind.SCALE)
        .values_list("key", "respondent_group", "text_sv", "text_en")
        .order_by("respondent_group", "order")
    ):
        questions.setdefault(key, f"{groups.get(group, group)}: {pick(text_sv, text_en)[:90]}")
    return list(groups.items()), list(questions.items())


def check_survey_measure(form, data, frameworks):
    """The survey measure's fields: a group, and a question of that group or an area (or neither)."""
    from stegvis.frameworks.models import SurveyQuestion

    group, question = data.get("respondent_group"), data.get("question_key")
    if not group:
        form.add_error("respondent_group", _("Choose the respondent group."))
    if question and data.get("area_key"):
        form.add_error("question_key", _("Choose either a question or an area."))
    if data.get("indicator_code"):
        form.add_error("indicator_code", _("A survey measure is taken on a question or an area."))
    if (
        group
        and question
        and not SurveyQuestion.objects.filter(framework__in=frameworks, respondent_group=group, key=question).exists()
    ):
        form.add_error("question_key", _("The question is not one of the group's."))


class GoalForm(core_forms.ModelForm):
    # scoped models: the querysets are set per organiser in __init__
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    baseline_round = forms.ModelChoiceField(label=_("Baseline round"), queryset=Round.objects.none())
    parent = forms.ModelChoiceField(label=_("Sub-goal of"), queryset=Goal.objects.none(), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(), required=False)
    certification_rule = forms.ModelChoiceField(
        label=_("Certification rule"), queryset=CertificationRule.objects.none(), required=False
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Competence development that serves the goal"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "scope",
            "district",
            "unit",
            "measure",
            "indicator_code",
            "area_key",
            "level",
            "respondent_group",
            "question_key",
            "certification_rule",
            "baseline_round",
            "target_value",
            "target_date",
            "owner",
            "parent",
        ]
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organizer, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        self.access = access
        rounds = Round.objects.filter(organizer=organizer).order_by("-opens_on")
        self.fields["baseline_round"].queryset = rounds
        frameworks = {r.framework_id for r in rounds}
        indicator_choices, area_choices = framework_choices(frameworks)
        self.fields["indicator_code"] = forms.ChoiceField(
            label=_("Indicator"), required=False, choices=[("", "–"), *indicator_choices]
        )
        self.fields["area_key"] = forms.ChoiceField(label=_("Area"), required=False, choices=[("", "–"), *area_choices])
        self.frameworks = frameworks
        group_choices, question_choices = survey_choices(frameworks)
        self.fields["respondent_group"] = forms.ChoiceField(
            label=_("Respondent group"),
            required=False,
            choices=[("", "–"), *group_choices],
            help_text=_("For a survey measure."),
        )
        self.fields["question_key"] = forms.ChoiceField(
            label=_("Survey question"),
            required=False,
            choices=[("", "–"), *question_choices],
            help_text=_("For a survey measure: one question, or choose an area for its questions."),
        )
        self.fields["certification_rule"].queryset = CertificationRule.objects.filter(organizer=organizer)
        self.fields["certification_rule"].help_text = _("For the share of units certified.")
        self.fields["district"].queryset = access.visible_districts(District.objects.filter(organizer=organizer))
        self.fields["unit"].queryset = access.visible_units(Unit.objects.filter(organizer=organizer, active=True))
        self.fields["owner"].queryset = people_of(organizer)
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["parent"].queryset = Goal.objects.filter(organizer=organizer, parent__isnull=True).exclude(
            pk=self.instance.pk or 0
        )
        self.fields["parent"].label = _("Sub-goal of")
        # the organiser's competence-development initiatives (docs/development.md); the link is
        # shown on the initiative's page with the goal's figures
        self.fields["initiatives"].queryset = Initiative.objects.filter(organizer=organizer).order_by(
            "-starts_on", "title"
        )
        self.fields["initiatives"].label_from_instance = lambda i: f"{i.title} ({i.get_status_display().lower()})"
        if self.instance.pk and "initiatives" not in self.initial:
            self.initial["initiatives"] = [link.initiative_id for link in self.instance.initiative_links.all()]
        if not self.fields["initiatives"].queryset.exists():
            del self.fields["initiatives"]
        self.fields["level"].help_text = _("For a share: the level a unit must reach.")
        self.fields["target_value"].help_text = _("A share or an index in per cent (0-100); a mean level in steps.")
        self.fields["area_key"].help_text = _(
            "Choose an indicator or an area (the maturity index: an area or nothing for the total)."
        )

    def clean(self):
        data = super().clean()
        scope, district, unit = data.get("scope"), data.get("district"), data.get("unit")
        if scope == Goal.Scope.DISTRICT and not district:
            self.add_error("district", _("Choose the district the goal belongs to."))
        if scope == Goal.Scope.UNIT and not unit:
            self.add_error("unit", _("Choose the unit the goal belongs to."))
        if scope != Goal.Scope.DISTRICT:
            data["district"] = None
        if scope != Goal.Scope.UNIT:
            data["unit"] = None
        if scope and not self.access.can_set_goal(scope=scope, district=data.get("district"), unit=data.get("unit")):
            self.add_error("scope", _("You may not set goals there."))
        measure = data.get("measure")
        indicator, area, level = data.get("indicator_code"), data.get("area_key"), data.get("level")
        rnd = data.get("baseline_round")
        if measure in NEEDS_TARGET and bool(indicator) == bool(area):
            self.add_error("indicator_code", _("Choose either an indicator or an area."))
        if measure == Measure.MATURITY_INDEX and indicator:
            self.add_error(
                "indicator_code", _("The maturity index is taken on an area or in total, not on an indicator.")
            )
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
        if measure != Measure.SHARE_AT_LEVEL:
            data["level"] = None
        top = None
        if rnd:
            top = rnd.framework.level_count or None
            if rnd.is_upcoming:
                self.add_error("baseline_round", _("The baseline round has not started yet."))
            if indicator and not Indicator.objects.filter(framework_id=rnd.framework_id, code=indicator).exists():
                self.add_error(
                    "indicator_code",
                    _("The baseline round's framework has no indicator %(code)s.") % {"code": indicator},
                )
            if area and not Area.objects.filter(framework_id=rnd.framework_id, key=area).exists():
                self.add_error("area_key", _("The baseline round's framework has no such area."))
            if data.get("target_date") and data["target_date"] <= rnd.opens_on:
                self.add_error("target_date", _("The target date must come after the baseline round opened."))
        if measure == Measure.SHARE_AT_LEVEL:
            if not level:
                self.add_error("level", _("Give the level a unit must reach."))
            elif top and not 1 <= level <= top:
                self.add_error("level", _("The level must be between 1 and %(top)s.") % {"top": top})
        target = data.get("target_value")
        if target is not None:
            if measure in PERCENT_MEASURES and not 0 <= target <= 100:
                self.add_error("target_value", _("A share or an index is between 0 and 100."))
            if measure == Measure.MEAN_LEVEL and top and not 1 <= target <= top:
                self.add_error("target_value", _("A mean level is between 1 and %(top)s.") % {"top": top})
        return data


class CommentForm(core_forms.Form):
    comment = forms.CharField(
        label=_("Follow-up comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionsForm(core_forms.Form):
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions that serve the goal"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions
        self.fields["actions"].label_from_instance = lambda a: f"{a.title} ({a.plan.round.name})"


class TemplateForm(core_forms.ModelForm):
    class Meta:
        model = GoalTemplate
        fields = [
            "title",
            "measure",
            "indicator_code",
            "area_key",
            "level",
            "respondent_group",
            "question_key",
            "target_value",
        ]

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        frameworks = set(Round.objects.filter(organizer=organizer).values_list("framework_id", flat=True))
        self.frameworks = frameworks
        indicator_choices, area_choices = framework_choices(frameworks)
        self.fields["indicator_code"] = forms.ChoiceField(
            label=_("Indicator"), required=False, choices=[("", "–"), *indicator_choices]
        )
        self.fields["area_key"] = forms.ChoiceField(label=_("Area"), required=False, choices=[("", "–"), *area_choices])
        group_choices, question_choices = survey_choices(frameworks)
        self.fields["respondent_group"] = forms.ChoiceField(
            label=_("Respondent group"), required=False, choices=[("", "–"), *group_choices]
        )
        self.fields["question_key"] = forms.ChoiceField(
            label=_("Survey question"), required=False, choices=[("", "–"), *question_choices]
        )

    def clean(self):
        data = super().clean()
        if data.get("measure") in NEEDS_TARGET and bool(data.get("indicator_code")) == bool(data.get("area_key")):
            self.add_error("indicator_code", _("Choose either an indicator or an area."))
        if data.get("measure") == Measure.SHARE_AT_LEVEL and not data.get("level"):
            self.add_error("level", _("Give the level a unit must reach."))
        if data.get("measure") == Measure.SURVEY_POSITIVE:
            check_survey_measure(self, data, self.frameworks)
        return data
