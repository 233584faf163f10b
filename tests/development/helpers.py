import datetime

from django.utils import timezone

from stegvis.development import domain
from stegvis.frameworks.models import Indicator


def make_initiative(world, *, by=None, status="open", choose_at_most=2, tracks=0, capacity=None, **fields):
    relations = {
        "indicators": fields.pop("indicators", []),
        "target_units": fields.pop("target_units", []),
        "target_districts": fields.pop("target_districts", []),
        "areas": [],
    }
    initiative = domain.create_initiative(
        organizer=world.org,
        by=by or world.alice,
        fields={
            "title": fields.pop("title", "Ledarskap i digital skolutveckling"),
            "purpose": "Stärka ledarskapet.",
            "owner_district": fields.pop("owner_district", None),
            "owner_unit": fields.pop("owner_unit", None),
            "target_roles": fields.pop("target_roles", []),
            "budget": None,
            "starts_on": fields.pop("starts_on", datetime.date(2026, 9, 1)),
            "ends_on": datetime.date(2027, 5, 31),
            "status": status,
            "choose_at_most": choose_at_most,
        },
        relations=relations,
    )
    for n in range(tracks):
        domain.add_track(
            initiative=initiative,
            by=world.alice,
            title=f"Spår {n + 1}",
            starts_at=timezone.now() + datetime.timedelta(days=10 + n),
            capacity=capacity,
        )
    return initiative


def first_indicator(world):
    return Indicator.objects.filter(framework=world.rnd.framework).order_by("area__order", "order").first()
