"""The overview's read model: never written by hand, only by ``overview.readmodel``."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class PlanCell(models.Model):
    """Read model: one row per unit x indicator x round, for the organiser's overview grid.

    Kept current by ``overview.readmodel`` whenever an assessment is published or an action
    changes; never edited by hand. ``state`` is what the grid's plan mode shows:
      na       grey: not assessed, or not relevant for the unit
      none     empty: assessed below the top level, nothing planned
      planned  yellow with the priority: an action is planned or in progress
      done     green: the top level is reached, or an action for it is done
    """

    class State(models.TextChoices):
        NA = "na", _("Not assessed or not relevant")
        NONE = "none", _("Nothing planned")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Reached or done")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    district_id = models.BigIntegerField(null=True, db_index=False)
    indicator = models.ForeignKey("frameworks.Indicator", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(null=True)
    not_relevant = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices)
    priority = models.PositiveSmallIntegerField(null=True)
    # level + 10 x state code + 100 x priority (readmodel.cell_code): the overview grid reads
    # this one integer per cell instead of four columns.
    code = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit", "indicator"], name="plancell_unique")]
        indexes = [models.Index(fields=["organizer", "round", "unit"], name="plancell_org_round")]


class PlanCellVersion(models.Model):
    """Read model: a counter per round that moves whenever any of the round's PlanCell rows are
    rebuilt (``readmodel.refresh_unit``, in the same transaction as the rows).

    Readers that keep figures computed from the cells (``maturity.ensure_fresh``) compare it with
    the version they computed from: one small row per round instead of aggregating the round's
    tens of thousands of cells on every page. No row yet means version 0 (cells that no rebuild
    has touched, e.g. generated in bulk).
    """

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField("cycles.Round", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveBigIntegerField(default=0)

    objects = ScopedManager(organizer="organizer")
