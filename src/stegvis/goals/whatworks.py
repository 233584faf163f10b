"""What works (issue 10, item 8; docs/what-works.md): for each suggested activity, how often the
units that completed it rose on its indicator by the next round, against the units at the same
starting level that did not.

For every pair of consecutive rounds of an organiser on one framework lineage (R, then the next
round R' by opening date), and every unit with a published level ``l`` on an indicator in R and
a published level on the same indicator (followed into R's successor version) in R':

- the unit is *at the starting level* of each activity of that indicator with ``to_level = l + 1``;
- it *did* the activity when its plan for R has a done action made from that suggestion;
- it *rose* when its level in R' is above ``l``.

A unit counts once per activity: in the group of those that did it when it did it in any round
(the first such round gives its outcome), else in the group of those that did not (its first
round at the starting level). Units are counted over all units (``school_form`` 0) and per
school form the unit runs. The national figures are the sums over the organisers that share
theirs (``Organizer.share_national``), for the shipped frameworks' activities only, with how
many organisers each group's units come from; what may be shown is decided where they are read
(``planning.outcomes``).

Set-based: per organiser five reads (its rounds, their frameworks' lineages, its published
levels from the overview's read model as tuples, its done actions made from suggestions, its
units' school forms), counted in memory; the national figures are one grouped query over the organisers'
stored rows. A pass recomputes only the organisers whose read model or actions changed since
(``WhatWorksSnapshot``). The scheduler runs it (``refresh``, the "refresh-what-works" job).
"""

import hashlib
import time
from collections import defaultdict
from itertools import pairwise

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import task

from stegvis.core.schoolforms import SCHOOL_FORMS
from stegvis.cycles.lineage import key_map, lineage_ids
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Activity, Indicator
from stegvis.organisations.models import Organizer, Unit
from stegvis.overview.models import PlanCell
from stegvis.planning import domain as planning
from stegvis.planning.models import Action, ActivityOutcome

from .models import WhatWorksSnapshot

FORM_BITS = [bit for bit, _label in SCHOOL_FORMS.values()]


class _Frameworks:
    """What the pass needs of the frameworks, read once per pass: each framework's activities per
    step and, for two versions of a lineage, which indicator of the newer follows which of the older."""

    def __init__(self):
        self._steps, self._maps = {}, {}

    def steps(self, framework_id):
        """{(indicator_id, to_level): [activity_id, ...]} of a framework."""
        if framework_id not in self._steps:
            steps = defaultdict(list)
            for pk, ind, to_level in Activity.objects.filter(indicator__framework_id=framework_id).values_list(
                "pk", "indicator_id", "to_level"
            ):
                steps[(ind, to_level)].append(pk)
            self._steps[framework_id] = dict(steps)
        return self._steps[framework_id]

    def indicator_map(self, older, newer):
        """None for the same framework (an indicator is itself), else {older id: newer id}."""
        if older.pk == newer.pk:
            return None
        key = (older.pk, newer.pk)
        if key not in self._maps:
            back = key_map(older=older, newer=newer)  # newer key -> older key
            old_ids = dict(Indicator.objects.filter(framework=older).values_list("key", "pk"))
            new_ids = dict(Indicator.objects.filter(framework=newer).values_list("key", "pk"))
            self._maps[key] = {old_ids[o]: new_ids[n] for n, o in back.items() if o in old_ids and n in new_ids}
        return self._maps[key]


def round_pairs(rounds):
    """[(round, next round)] of consecutive rounds on each framework lineage, by opening date."""
    rounds = list(rounds)
    lineage = lineage_ids({r.framework_id: r.framework for r in rounds}.values())
    by_lineage = defaultdict(list)
    for r in rounds:
        by_lineage[lineage[r.framework_id]].append(r)
    pairs = []
    for group in by_lineage.values():
        group.sort(key=lambda r: (r.opens_on, r.pk))
        pairs.extend(pairwise(group))
    return pairs


def organiser_counts(organizer, *, frameworks=None, today=None):
    """{(activity_id, school_form): [did, did_rose, others, others_rose]} of one organiser."""
    frameworks = frameworks or _Frameworks()
    today = today or timezone.localdate()
    rounds = [r for r in Round.objects.filter(organizer=organizer).select_related("framework") if r.opens_on <= today]
    pairs = round_pairs(rounds)
    if not pairs:
        return {}
    levels = defaultdict(dict)  # round id -> {(unit id, indicator id): level}
    for round_id, unit_id, indicator_id, level in PlanCell.objects.filter(
        organizer=organizer, round_id__in={r.pk for pair in pairs for r in pair}, level__isnull=False
    ).values_list("round_id", "unit_id", "indicator_id", "level"):
        levels[round_id][(unit_id, indicator_id)] = level
    done = set(
        Action.objects.filter(organizer=organizer, status=Action.Status.DONE, activity__isnull=False).values_list(
            "plan__round_id", "unit_id", "activity_id"
        )
    )
    chosen = {}  # (activity id, unit id) -> (did, rose)
    for rnd, nxt in sorted(pairs, key=lambda pair: (pair[0].opens_on, pair[0].pk)):
        steps = frameworks.steps(rnd.framework_id)
        mapping = frameworks.indicator_map(rnd.framework, nxt.framework)
        later_levels = levels.get(nxt.pk)
        if not steps or not later_levels:
            continue
        for (unit_id, indicator_id), level in levels.get(rnd.pk, {}).items():
            activities = steps.get((indicator_id, level + 1))
            if not activities:
                continue
            later = later_levels.get((unit_id, indicator_id if mapping is None else mapping.get(indicator_id)))
            if later is None:
                continue
            rose = later > level
            for activity_id in activities:
                did = (rnd.pk, unit_id, activity_id) in done
                key = (activity_id, unit_id)
                before = chosen.get(key)
                if before is None or (did and not before[0]):
                    chosen[key] = (did, rose)
    if not chosen:
        return {}
    forms = dict(Unit.objects.filter(organizer=organizer).values_list("pk", "school_forms"))
    counts = defaultdict(lambda: [0, 0, 0, 0])
    for (activity_id, unit_id), (did, rose) in chosen.items():
        mask = forms.get(unit_id, 0)
        for form in (0, *(bit for bit in FORM_BITS if mask & bit)):
            c = counts[(activity_id, form)]
            if did:
                c[0] += 1
                c[1] += rose
            else:
                c[2] += 1
                c[3] += rose
    return dict(counts)


def refresh_organizer(organizer, *, frameworks=None, now=None, source=""):
    """Compute and store one organiser's figures. Side effects: its ActivityOutcome rows
    (``planning.domain.replace_activity_outcomes``) and its WhatWorksSnapshot. Returns the rows."""
    now = now or timezone.now()
    started = time.perf_counter()
    counts = organiser_counts(organizer, frameworks=frameworks)
    rows = [(act, form, *c, 0, 0) for (act, form), c in counts.items()]
    with transaction.atomic():  # one commit per organiser
        written = planning.replace_activity_outcomes(organizer=organizer, rows=rows, computed_at=now)
        WhatWorksSnapshot.unscoped.update_or_create(
            organizer=organizer,
            defaults={"source": source, "computed_at": now, "seconds": time.perf_counter() - started},
        )
    return written


def refresh_national(*, now=None, source=""):
    """The national figures: the organisers' stored figures summed over those that share theirs,
    for the shipped frameworks' activities, with how many organisers each group rests on. One
    grouped query. Side effects: the national ActivityOutcome rows and their WhatWorksSnapshot."""
    now = now or timezone.now()
    started = time.perf_counter()
    rows = list(
        ActivityOutcome.unscoped.filter(
            organizer__share_national=True, activity__indicator__framework__organizer__isnull=True
        )
        .values("activity_id", "school_form")
        .annotate(
            s_did=Sum("did"),
            s_did_rose=Sum("did_rose"),
            s_others=Sum("others"),
            s_others_rose=Sum("others_rose"),
            n_did=Count("organizer_id", filter=Q(did__gt=0)),
            n_others=Count("organizer_id", filter=Q(others__gt=0)),
        )
        .values_list(
            "activity_id", "school_form", "s_did", "s_did_rose", "s_others", "s_others_rose", "n_did", "n_others"
        )
    )
    with transaction.atomic():
        written = planning.replace_activity_outcomes(organizer=None, rows=rows, computed_at=now)
        WhatWorksSnapshot.unscoped.filter(organizer__isnull=True).delete()
        WhatWorksSnapshot.unscoped.create(
            organizer=None, source=source, computed_at=now, seconds=time.perf_counter() - started
        )
    return written


def sources():
    """{organiser id: what its figures rest on}: its read-model cells and its actions made from
    suggestions (count and newest change). Two grouped queries over all organisers."""
    cells = {
        org: f"{count}/{newest.isoformat() if newest else ''}"
        for org, count, newest in PlanCell.objects.values("organizer_id")
        .annotate(n=Count("id"), newest=Max("updated_at"))
        .values_list("organizer_id", "n", "newest")
    }
    actions = {
        org: f"{count}/{newest.isoformat() if newest else ''}"
        for org, count, newest in Action.objects.filter(activity__isnull=False)
        .values("organizer_id")
        .annotate(n=Count("id"), newest=Max("updated_at"))
        .values_list("organizer_id", "n", "newest")
    }
    return {org: f"{cells.get(org, '')}|{actions.get(org, '')}" for org in cells.keys() | actions.keys()}


def refresh_changed(*, force=False):
    """One pass: recompute the organisers whose cells or actions changed since their figures
    were computed (every organiser with ``force``), then the national figures when any did or
    the set of sharing organisers changed. Returns the number of organisers recomputed."""
    now = timezone.now()
    frameworks = _Frameworks()
    current = sources()
    stored = dict(WhatWorksSnapshot.unscoped.filter(organizer__isnull=False).values_list("organizer_id", "source"))
    changed = 0
    for organizer in Organizer.objects.order_by("pk"):
        source = current.get(organizer.pk, "")
        if force or stored.get(organizer.pk) != source:
            refresh_organizer(organizer, frameworks=frameworks, now=now, source=source)
            changed += 1
    sharing = ",".join(
        str(pk) for pk in Organizer.objects.filter(share_national=True).order_by("pk").values_list("pk", flat=True)
    )
    national_source = hashlib.sha256(sharing.encode()).hexdigest()
    was = WhatWorksSnapshot.unscoped.filter(organizer__isnull=True).values_list("source", flat=True).first()
    if changed or was != national_source:
        refresh_national(now=now, source=national_source)
    return changed


@task()
def refresh():
    """The scheduler's "refresh-what-works" job (``STEGVIS_SCHEDULE``): ``refresh_changed``."""
    with scopes_disabled():
        return refresh_changed()


def last_computed(organizer):
    """When the organiser's figures were last computed (None: not yet)."""
    return WhatWorksSnapshot.objects.filter(organizer=organizer).values_list("computed_at", flat=True).first()
