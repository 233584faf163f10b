"""A small questionnaire for tests, loaded through the framework loader like the real one."""

from stegvis.reflection.models import Questionnaire

CONTENT = {
    "name": {"sv": "Min digitala kompetens", "en": "My digital competence"},
    "description": {"sv": "Beskrivning", "en": "Description"},
    "levels": [{"sv": f"Nivå {n}", "en": f"Level {n}"} for n in range(1, 5)],
    "areas": [
        {
            "key": key,
            "name": {"sv": f"Område {key}", "en": f"Area {key}"},
            "description": {"sv": "", "en": ""},
            "levels": [
                {
                    "text": {"sv": f"{key} nivå {n} text", "en": f"{key} level {n} text"},
                    "next": [{"sv": f"Pröva {key} {n}", "en": f"Try {key} {n}"}],
                }
                for n in range(1, 5)
            ],
        }
        for key in ("samarbete", "resurser", "undervisning")
    ],
}


def make_questionnaire(framework):
    return Questionnaire.objects.create(framework=framework, content=CONTENT)
