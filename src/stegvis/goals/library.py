"""The shipped library of goals (Swedish and English), from which a goal is set in a few
clicks; an organiser adds its own as ``GoalTemplate`` rows. Indicator codes and area keys are
those of the shipped framework; with another framework the form asks for the indicator."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from stegvis.core.i18n import pick

from .models import Measure


@dataclass(frozen=True)
class Template:
    key: str
    title_sv: str
    title_en: str
    measure: str
    indicator_code: str = ""
    area_key: str = ""
    level: int | None = None
    target_value: float | None = None
    organizer_id: int | None = None  # set for the organiser's own templates
    respondent_group: str = ""  # survey measures: the group, and a question (or the area's questions)
    question_key: str = ""

    def title(self, lang):
        return pick(self.title_sv, self.title_en, lang)


SHIPPED = [
    Template(
        "all-published",
        "Alla enheter har publicerat sin värdering i tid",
        "Every unit has published its assessment on time",
        Measure.UNITS_PUBLISHED,
        target_value=100,
    ),
    Template(
        "k2-step3",
        "80 % av enheterna når steg 3 på K2 (plan för kompetensutveckling)",
        "80% of units reach step 3 on K2 (competence development plan)",
        Measure.SHARE_AT_LEVEL,
        indicator_code="K2",
        level=3,
        target_value=80,
    ),
    Template(
        "l2-step3",
        "Alla enheter når steg 3 på L2 (lokal digital plan)",
        "Every unit reaches step 3 on L2 (local digital plan)",
        Measure.SHARE_AT_LEVEL,
        indicator_code="L2",
        level=3,
        target_value=100,
    ),
    Template(
        "kompetens-mean",
        "Medelnivån i området Kompetens når 3,0",
        "The mean level in the area Competence reaches 3.0",
        Measure.MEAN_LEVEL,
        area_key="kompetens",
        target_value=3.0,
    ),
    Template(
        "anvandning-step3",
        "Hälften av enheterna har medelnivå 3 eller högre i Användning",
        "Half of the units have a mean level of 3 or more in Use",
        Measure.SHARE_AT_LEVEL,
        area_key="anvandning",
        level=3,
        target_value=50,
    ),
    Template(
        "index-70",
        "Den digitala mognaden (index) når 70",
        "The digital maturity index reaches 70",
        Measure.MATURITY_INDEX,
        target_value=70,
    ),
    Template(
        "actions-75",
        "Tre av fyra planerade aktiviteter är genomförda",
        "Three in four planned actions are done",
        Measure.ACTIONS_DONE,
        target_value=75,
    ),
    # -- surveys and certification --
    Template(
        "staff-use-75",
        "Andelen personal som instämmer i frågorna om Användning ökar till 75 %",
        "The share of staff who agree with the questions on Use rises to 75%",
        Measure.SURVEY_POSITIVE,
        area_key="anvandning",
        target_value=75,
        respondent_group="personal",
    ),
    Template(
        "staff-vision-75",
        "Andelen personal som instämmer i att de vet vilka mål enheten har för digitaliseringen ökar till 75 %",
        "The share of staff who agree that they know the unit's goals for digitalisation rises to 75%",
        Measure.SURVEY_POSITIVE,
        target_value=75,
        respondent_group="personal",
        question_key="personal-vision",
    ),
    Template(
        "certified-50",
        "Hälften av enheterna är digitalt certifierade",
        "Half of the units are digitally certified",
        Measure.UNITS_CERTIFIED,
        target_value=50,
    ),
]

LABEL = _("Stegvis's library")


def templates_for(organizer):
    """The shipped templates, then the organiser's own."""
    from .models import GoalTemplate

    own = [
        Template(
            f"own-{t.pk}",
            t.title,
            t.title,
            t.measure,
            t.indicator_code,
            t.area_key,
            t.level,
            t.target_value,
            organizer_id=organizer.pk,
            respondent_group=t.respondent_group,
            question_key=t.question_key,
        )
        for t in GoalTemplate.objects.filter(organizer=organizer)
    ]
    return SHIPPED + own


def find(organizer, key):
    return next((t for t in templates_for(organizer) if t.key == key), None)
