"""What certification and the council indicator hold about a person: the rules they defined and
the council indicator they chose last (registered in ``GoalsConfig.ready``; docs/privacy.md).
Erasing keeps the rules and the indicator (they are the organiser's) and makes their
authorship anonymous."""

from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import CertificationRule, CouncilIndicator


def export_rules(*, user, organizer):
    rows = CertificationRule.objects.filter(organizer=organizer, created_by=user).order_by("created_at", "id")
    rules = [{"what": _("Certification rule"), "name": r.name, "date": when(r.created_at)} for r in rows]
    council = CouncilIndicator.objects.filter(organizer=organizer, updated_by=user).first()
    if council:
        rules.append(
            {
                "what": _("The council indicator"),
                "name": council.title or str(council.get_measure_display()),
                "date": when(council.updated_at),
            }
        )
    return [{**r, "what": str(r["what"])} for r in rules]


def erase_rules(*, user, organizer):
    CertificationRule.objects.filter(organizer=organizer, created_by=user).update(created_by=None)
    CouncilIndicator.objects.filter(organizer=organizer, updated_by=user).update(updated_by=None)


HOLDERS = [
    Holder(
        key="goals.certification",
        label=_("Certification rules and the council indicator the person set"),
        export=export_rules,
        erase=erase_rules,
        columns=(("what", _("What")), ("name", _("Name")), ("date", _("Date"))),
        order=62,
    )
]
