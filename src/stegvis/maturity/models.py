"""Pre-aggregated figures for the organiser's reports: the digital maturity index.

Written only by ``maturity.figures`` (``refresh_maturity``, ``refresh_national``), never by
hand; the formula is in docs/maturity.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class MaturityFigure(models.Model):
    """One maturity figure (0-100): a unit, a district, an organiser or the nation, in a round,
    for one area (``area_key``) or in total (``area_key == ""``).

    National rows have no organiser and no round: they are grouped by framework and school
    year (``period``, e.g. "2026/27"), since rounds belong to one organiser.
    """

    class Scope(models.TextChoices):
        UNIT = "unit", _("Unit")
        DISTRICT = "district", _("District")
        ORGANIZER = "organizer", _("Organiser")
        NATIONAL = "national", _("National")

    organizer = models.ForeignKey(
        "organisations.Organizer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey("cycles.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=9)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    scope_id = models.BigIntegerField(null=True, blank=True)
    area_key = models.CharField(max_length=60, blank=True)
    value = models.FloatField()
    unit_count = models.PositiveIntegerField()
    # National rows only: how many organisers the figure rests on, and each one's unit count
    # ({organiser id: units}), so a reader can check that the others alone meet the minimum.
    organizer_count = models.PositiveIntegerField(default=0)
    contributors = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    # National rows (organizer is null) are shared by all; read them only through ``unscoped``.
    objects = ScopedManager(organizer="organizer")
    unscoped = models.Manager()  # noqa: DJ012 (a manager, declared after the default one on purpose)

    class Meta:
        indexes = [
            models.Index(fields=["organizer", "round", "scope"], name="maturity_org_round"),
            models.Index(fields=["framework", "period", "scope"], name="maturity_national"),
        ]


class MaturitySnapshot(models.Model):
    """When an organiser's figures for a round were computed, and from which read-model state.

    ``source`` fingerprints the PlanCell rows (their ``overview.PlanCellVersion``) and the units'
    districts; a read that sees another fingerprint recomputes first (see ``maturity.ensure_fresh``).
    """

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=120)
    computed_at = models.DateTimeField()

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organizer", "round"], name="maturity_snapshot_unique")]
