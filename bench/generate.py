"""National-scale data for the benchmark: organisers, units, five rounds of published
assessments, action plans and the overview read model, in realistic proportions.

Big tables (answers, actions, read-model cells) are written with ``executemany`` over tuples;
building a model object per row would make generating 6 million rows take far too long.
Deterministic for a given seed.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.assessments.models import Assessment
from stegvis.core import schoolforms
from stegvis.cycles.models import Round, RoundUnit
from stegvis.frameworks.loader import DEFAULT_FRAMEWORK, load_framework
from stegvis.frameworks.models import Activity, Indicator
from stegvis.organisations.models import District, Membership, Organizer, Role, Unit
from stegvis.overview.models import PlanCell
from stegvis.overview.readmodel import cell_code, cell_state
from stegvis.planning.models import Action, ActionPlan

MARKER_SLUG = "generated-bench-data"  # its name records the scale
ROUND_YEARS = [2022, 2023, 2024, 2025, 2026]
# (weight, school forms) for a unit
UNIT_KINDS = [
    (44, ["forskola"]),
    (30, ["grundskola"]),
    (12, ["forskola", "grundskola"]),
    (7, ["gymnasieskola"]),
    (4, ["anpassad_skola", "grundskola"]),
    (3, ["vuxenutbildning"]),
]
PASSWORD = "bench-bench-bench"


def organiser_sizes(*, organisers, units, largest, rng):
    """Unit counts per organiser: one with ``largest`` units, the rest long-tailed, summing to ``units``."""
    rest = units - largest
    weights = sorted((rng.lognormvariate(0, 1.1) for _ in range(organisers - 1)), reverse=True)
    total = sum(weights)
    sizes = [max(1, round(rest * w / total)) for w in weights]
    sizes = [min(s, largest - 1) for s in sizes]
    diff = rest - sum(sizes)
    i = 0
    while diff and sizes:
        step = 1 if diff > 0 else -1
        if sizes[i % len(sizes)] + step >= 1 and sizes[i % len(sizes)] + step < largest:
            sizes[i % len(sizes)] += step
            diff -= step
        i += 1
    return [largest, *sizes]


def is_generated(*, organisers, units):
    with scopes_disabled():
        marker = Organizer.objects.filter(slug=MARKER_SLUG).first()
        return bool(marker and marker.name == f"{organisers}/{units}")


def generate(*, organisers=290, units=16000, largest=600, seed=16000, out=print):
    """Generate the data set (into an empty database). Returns the 600-unit organiser."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with scopes_disabled():
        framework, _created = load_framework(DEFAULT_FRAMEWORK)
        indicators = list(Indicator.objects.filter(framework=framework).values_list("pk", "school_forms", "key"))
        activities = {}
        for pk, ind, to_level, title in Activity.objects.filter(indicator__framework=framework).values_list(
            "pk", "indicator_id", "to_level", "title_sv"
        ):
            activities.setdefault((ind, to_level), (pk, title))
        top = framework.level_count
        sizes = organiser_sizes(organisers=organisers, units=units, largest=largest, rng=rng)
        User = get_user_model()
        hashed = User(email="x@example.se")
        hashed.set_password(PASSWORD)
        biggest = None
        for n, size in enumerate(sizes):
            with transaction.atomic():
                org = _organiser(n, size, framework, indicators, activities, top, rng, hashed.password)
            biggest = biggest or org
            if n % 25 == 0 or n == len(sizes) - 1:
                out(f"  organiser {n + 1}/{len(sizes)} ({size} units), {time.perf_counter() - started:.0f} s")
        Organizer.objects.create(name=f"{organisers}/{units}", slug=MARKER_SLUG)
    return biggest


def _organiser(n, size, framework, indicators, activities, top, rng, password_hash):
    now = timezone.now()
    # bench organisers share their figures, so the national average is computed and shown
    org = Organizer.objects.create(
        name=f"Kommun {n:03d}" if n else "Storstad", slug=f"bench-{n:03d}", share_national=True
    )
    districts = District.objects.bulk_create(
        District(organizer=org, name=f"Område {d + 1}") for d in range(max(1, min(12, size // 40)))
    )
    kinds = [k for w, k in UNIT_KINDS for _ in range(w)]
    units = Unit.objects.bulk_create(
        Unit(
            organizer=org,
            district=districts[u % len(districts)],
            name=f"Enhet {n:03d}-{u:04d}",
            code=f"{n:03d}{u:05d}",
            school_forms=schoolforms.to_mask(rng.choice(kinds)),
        )
        for u in range(size)
    )
    admin = get_user_model().objects.create(email=f"admin@bench-{n:03d}.se", full_name="Admin", password=password_hash)
    Membership.objects.create(organizer=org, user=admin, role=Role.ADMIN)
    rounds = [
        Round.objects.create(
            organizer=org,
            framework=framework,
            name=f"Läsår {y}/{(y + 1) % 100:02d}",
            opens_on=datetime.date(y, 8, 15),
            deadline=datetime.date(y, 12, 15),
            status=Round.Status.OPEN if y == ROUND_YEARS[-1] else Round.Status.CLOSED,
        )
        for y in ROUND_YEARS
    ]
    # every unit takes part in every round (as cycles.domain.open_round enrols the active units)
    _insert(
        RoundUnit._meta.db_table,
        ["organizer_id", "round_id", "unit_id"],
        [(org.pk, rnd.pk, u.pk) for rnd in rounds for u in units],
    )
    applicable = {}
    baseline = {u.pk: rng.uniform(1.2, 3.0) for u in units}
    answer_rows, cell_rows, action_rows = [], [], []
    for r_index, rnd in enumerate(rounds):
        current = r_index == len(rounds) - 1
        published, drafts = [], []
        for u in units:
            x = rng.random()
            if x < (0.55 if current else 0.88):
                published.append(u)
            elif x < (0.75 if current else 0.93):
                drafts.append(u)
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    organizer=org,
                    unit=u,
                    round=rnd,
                    status=Assessment.Status.PUBLISHED,
                    published_at=now,
                    published_by=admin,
                    created_by=admin,
                )
                for u in published
            ]
            + [Assessment(organizer=org, unit=u, round=rnd, created_by=admin) for u in drafts]
        )
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(organizer=org, unit=a.unit, round=rnd, assessment=a) for a in assessments[: len(published)]
        )
        plan_of = {p.unit_id: p.pk for p in plans}
        for a in assessments:
            forms = a.unit.school_forms
            if forms not in applicable:
                applicable[forms] = [(pk, key) for pk, mask, key in indicators if mask & forms]
            inds = applicable[forms]
            is_published = a.status == Assessment.Status.PUBLISHED
            chosen = inds if is_published else inds[: len(inds) // 2]
            levels = {}
            for pk, _key in chosen:
                if rng.random() < 0.03:
                    levels[pk] = None
                else:
                    value = baseline[a.unit_id] + 0.25 * r_index + rng.gauss(0, 0.7)
                    levels[pk] = min(top, max(1, round(value)))
                answer_rows.append((org.pk, a.pk, pk, levels[pk], levels[pk] is None, "", 1, admin.pk, now))
            if not is_published:
                continue
            plan_id = plan_of[a.unit_id]
            below = [pk for pk, _k in chosen if levels[pk] is not None and levels[pk] < top]
            statuses = {}
            for pk in rng.sample(below, min(len(below), rng.randint(2, 8))):
                act_pk, title = activities.get((pk, levels[pk] + 1), (None, "Egen åtgärd"))
                age = len(rounds) - 1 - r_index
                status = rng.choices(
                    ["planned", "in_progress", "done", "dropped"],
                    weights=[6, 4, 1, 0.3] if age == 0 else [1, 2, 6, 1],
                )[0]
                priority = rng.choice([1, 1, 2, 2, 2, 3])
                statuses.setdefault(pk, []).append((status, priority))
                action_rows.append(
                    (
                        org.pk,
                        plan_id,
                        a.unit_id,
                        pk,
                        act_pk,
                        title,
                        "",
                        priority,
                        "Rektor",
                        None,
                        status,
                        None,
                        1,
                        admin.pk,
                        now,
                        admin.pk,
                        now,
                    )
                )
            for pk, _key in inds:
                level = levels.get(pk)
                nr = pk in levels and level is None
                state, priority = cell_state(
                    level=level, not_relevant=nr, top=top, action_statuses=statuses.get(pk, [])
                )
                code = cell_code(level=level, not_relevant=nr, state=state, priority=priority)
                cell_rows.append(
                    (org.pk, rnd.pk, a.unit_id, a.unit.district_id, pk, level, nr, state, priority, code, now)
                )
    _insert(
        "assessments_answer",
        [
            "organizer_id",
            "assessment_id",
            "indicator_id",
            "level",
            "not_relevant",
            "comment",
            "revision",
            "updated_by_id",
            "updated_at",
        ],
        answer_rows,
    )
    _insert(
        Action._meta.db_table,
        [
            "organizer_id",
            "plan_id",
            "unit_id",
            "indicator_id",
            "activity_id",
            "title",
            "description",
            "priority",
            "owner",
            "due_date",
            "status",
            "carried_from_id",
            "revision",
            "created_by_id",
            "created_at",
            "updated_by_id",
            "updated_at",
        ],
        action_rows,
    )
    _insert(
        PlanCell._meta.db_table,
        [
            "organizer_id",
            "round_id",
            "unit_id",
            "district_id",
            "indicator_id",
            "level",
            "not_relevant",
            "state",
            "priority",
            "code",
            "updated_at",
        ],
        cell_rows,
    )
    return org


def _insert(table, columns, rows, batch=20000):
    """Insert tuples: COPY on PostgreSQL, executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, rows[i : i + batch])
