"""The survey benchmark's own data (run inside Django by ``bench.surveys``): a 600-unit
organiser with the shipped framework's staff survey (20 scale questions and one free-text
question), open, with a public link per unit. Prints, as JSON, what the load driver needs: the
answer paths and the form of a complete submission. Generated once per database and reused."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")

SLUG = "bench-surveys"
UNITS = 600


def main():
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from stegvis.core import schoolforms
    from stegvis.cycles.models import Round
    from stegvis.frameworks.loader import DEFAULT_FRAMEWORK, load_framework
    from stegvis.frameworks.models import SurveyQuestion
    from stegvis.organisations.models import Organizer, Unit
    from stegvis.surveys import domain
    from stegvis.surveys.models import Survey, SurveyLink

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        framework, _ = load_framework(DEFAULT_FRAMEWORK)
        org = Organizer.objects.filter(slug=SLUG).first()
        if org is None:
            org = Organizer.objects.create(name="Benchmark surveys", slug=SLUG)
            Unit.objects.bulk_create(
                Unit(
                    organizer=org,
                    name=f"Enhet {n:03d}",
                    code=f"{90000000 + n}",
                    school_forms=schoolforms.to_mask(["grundskola"]),
                )
                for n in range(UNITS)
            )
            rnd = Round.objects.create(
                organizer=org, framework=framework, name="Läsår 2026/27", opens_on=datetime.date(2026, 8, 1)
            )
            now = timezone.now()
            domain.open_survey(
                organizer=org,
                round=rnd,
                respondent_group="personal",
                opens_at=now - datetime.timedelta(days=1),
                closes_at=now + datetime.timedelta(days=3650),
                units=list(Unit.objects.filter(organizer=org)),
                distribution=Survey.Distribution.LINKS,
                k=5,
                by=None,
            )
        survey = Survey.objects.filter(organizer=org).first()
        links = list(SurveyLink.objects.filter(survey=survey).values_list("public_token", flat=True))
        screens = domain.questions(framework, survey.respondent_group)
        fields = [
            (f"q{q.pk}", q.step_count)
            for screen in screens
            for q in screen.questions
            if q.kind == SurveyQuestion.Kind.SCALE
        ]
    print(
        json.dumps(
            {
                "survey": survey.pk,
                "paths": [domain.answer_path(token) for token in links],
                "fields": fields,
                "last_step": len(screens) - 1,
            }
        )
    )


if __name__ == "__main__":
    main()
