"""The survey results bench (issue 12): the result pages of a 600-unit organiser with 100,000
responses, read from the pre-aggregated figures, and how current they are after new responses.
Run inside Django by ``bench.surveys`` (PostgreSQL), on the survey bench's organiser
(``bench.survey_setup``: 600 units; this adds 12 districts, an admin and a principal).

Its own data, generated once per database in a few seconds: a second staff survey of the
shipped framework (20 scale questions) in all 600 units, with 100,000 responses put in by one
``INSERT ... SELECT generate_series`` (each with its 20 answers in ``scale_answers``, a random
step or "don't know", units of very different sizes so that suppression has work to do), and
published principal assessments in nine units of ten (a random level on every indicator).

Measured (median of ``--repeat``): the organiser's results page, its results per indicator (the
organiser and the districts; one district's 50 units), their export (CSV and xlsx, every level)
and one unit's results page (server time through the test client, and the CPU time of the
process; queries counted), one refresh of the figures
(``aggregate.refresh``: what the scheduled job does every 30 s while responses come), and the
freshness: 50 new responses through ``domain.submit``, then the scheduled job's pass, then the
page shows them. Prints one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")

RESPONSES = 100_000
DISTRICTS = 12
GROUP = "personal"
MARK = "results-bench"  # the round's name marks the survey as this bench's


def _median(fn, repeat):
    """(median wall time, median CPU time of this process): on a machine shared with other
    work the wall time waits for a core; the CPU time is the page's own work."""
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), statistics.median(cpu)


def _unit_of_each_response(unit_ids, responses):
    """The unit of each response: 30 units with 1-4 responses (hidden, with their complements),
    the rest of very different sizes (log-normal), ``responses`` in all."""
    import random

    rng = random.Random(12)
    small = {unit_id: rng.randint(1, 4) for unit_id in unit_ids[-30:]}
    weights = {unit_id: rng.lognormvariate(0, 0.8) for unit_id in unit_ids[:-30]}
    left = responses - sum(small.values())
    scale = left / sum(weights.values())
    sizes = {unit_id: max(5, round(w * scale)) for unit_id, w in weights.items()}
    sizes[unit_ids[0]] += left - sum(sizes.values())  # the exact total
    sizes.update(small)
    return [unit_id for unit_id, n in sizes.items() for _ in range(n)]


def generate(org, *, responses=RESPONSES):
    """The results survey with ``responses`` responses (once), districts, an admin, a principal."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from stegvis.cycles.models import Round
    from stegvis.frameworks.loader import DEFAULT_FRAMEWORK, load_framework
    from stegvis.frameworks.models import SurveyQuestion
    from stegvis.organisations.models import District, Membership, Role, Unit
    from stegvis.surveys import aggregate, domain
    from stegvis.surveys.models import Response, Survey

    units = list(Unit.objects.filter(organizer=org).order_by("name"))
    if not District.objects.filter(organizer=org).exists():
        districts = District.objects.bulk_create(
            District(organizer=org, name=f"Område {n + 1:02d}") for n in range(DISTRICTS)
        )
        for n, unit in enumerate(units):
            unit.district = districts[n % DISTRICTS]
        Unit.objects.bulk_update(units, ["district"])
    User = get_user_model()
    admin = User.objects.filter(email="admin@bench-surveys.se").first()
    if admin is None:
        admin = User.objects.create(email="admin@bench-surveys.se", full_name="Admin")
        Membership.objects.create(organizer=org, user=admin, role=Role.ADMIN)
        principal = User.objects.create(email="rektor@bench-surveys.se", full_name="Rektor")
        Membership.objects.create(organizer=org, user=principal, role=Role.PRINCIPAL, unit=units[0])
    principal = User.objects.get(email="rektor@bench-surveys.se")
    survey = Survey.objects.filter(organizer=org, round__name=MARK).first()
    if survey is None:
        framework, _ = load_framework(DEFAULT_FRAMEWORK)
        rnd = Round.objects.create(organizer=org, framework=framework, name=MARK, opens_on=datetime.date(2026, 8, 1))
        now = timezone.now()
        survey = domain.open_survey(
            organizer=org,
            round=rnd,
            respondent_group=GROUP,
            opens_at=now - datetime.timedelta(days=30),
            closes_at=now + datetime.timedelta(days=3650),
            units=units,
            distribution=Survey.Distribution.LINKS,
            k=5,
            by=None,
        )
        questions = list(
            SurveyQuestion.objects.filter(
                framework=framework, respondent_group=GROUP, kind=SurveyQuestion.Kind.SCALE
            ).values_list("pk", flat=True)
        )
        started = time.perf_counter()
        per_response = _unit_of_each_response([u.pk for u in units], responses)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {Response._meta.db_table} (id, organizer_id, survey_id, unit_id, code, day, submit_key,
                                                       scale_answers)
                SELECT gen_random_uuid(), %s, %s, u.unit_id, '', %s::date - (u.g %% 28)::int,
                       md5('results-bench-' || u.g),
                       (SELECT jsonb_object_agg(q::text, floor(random() * 5 + 0 * u.g)::int) FROM unnest(%s::int[]) q)
                FROM unnest(%s::int[]) WITH ORDINALITY AS u(unit_id, g)
                """,
                [org.pk, survey.pk, timezone.localdate(), questions, per_response],
            )
        generated = time.perf_counter() - started
        aggregate.refresh(survey=survey)
    else:
        generated = None
    _principal_levels(org, survey, units)
    return survey, admin, principal, units[0], generated


def _principal_levels(org, survey, units):
    """Published principal assessments of the survey's round in nine units of ten (once), a
    level on every indicator, written in bulk: the per-indicator page shows them beside."""
    import random

    from django.utils import timezone

    from stegvis.assessments.models import Answer, Assessment
    from stegvis.frameworks.models import Indicator

    if Assessment.objects.filter(round_id=survey.round_id).exists():
        return
    rng, now = random.Random(7), timezone.now()
    published = Assessment.objects.bulk_create(
        Assessment(
            organizer=org, unit=u, round_id=survey.round_id, status=Assessment.Status.PUBLISHED, published_at=now
        )
        for n, u in enumerate(units)
        if n % 10
    )
    indicators = list(Indicator.objects.filter(framework_id=survey.round.framework_id).values_list("pk", flat=True))
    Answer.objects.bulk_create(
        (
            Answer(
                organizer=org, assessment=a, indicator_id=i, level=rng.randint(1, survey.round.framework.level_count)
            )
            for a in published
            for i in indicators
        ),
        batch_size=5000,
    )


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.survey_results")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--responses", type=int, default=RESPONSES)
    args = parser.parse_args()

    import django

    os.environ.setdefault("STEGVIS_ADMIN_SECOND_FACTOR", "0")  # the admin is signed in by the test client
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_scopes import scope, scopes_disabled

    from stegvis.organisations.models import Organizer
    from stegvis.surveys import aggregate, domain
    from stegvis.surveys.models import Response, SurveyLink

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages link the hashed names
    with scopes_disabled():
        org = Organizer.objects.get(slug="bench-surveys")
        survey, admin, principal, unit, generated = generate(org, responses=args.responses)
        count = Response.objects.filter(survey=survey).count()
    organiser_url = f"/{org.slug}/surveys/{survey.pk}/results/"
    unit_url = f"/{org.slug}/units/{unit.pk}/survey-results/?round={survey.round_id}"
    indicators_url = f"/{org.slug}/surveys/{survey.pk}/results/indicators/"
    district_url = f"{indicators_url}?district={unit.district_id}"
    export_url = f"/{org.slug}/surveys/{survey.pk}/indicators.export?format="
    found = {"responses": count, "units": 600, "generated_seconds": generated}
    for name, user, url in (
        ("organiser_page", admin, organiser_url),
        ("unit_page", principal, unit_url),
        ("unit_page_admin", admin, unit_url),  # the same page decided over the admin's whole tree
        ("indicator_page", admin, indicators_url),  # the organiser and its 12 districts per indicator
        ("indicator_district_page", admin, district_url),  # one district and its 50 units
        ("indicator_export_csv", admin, export_url + "csv"),  # every level: 613 columns by the rows
        ("indicator_export_xlsx", admin, export_url + "xlsx"),
    ):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = []

        def counting(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            client.get(url)
        found[name], found[name + "_cpu"] = _median(lambda client=client, url=url: client.get(url), args.repeat)
        found[name + "_queries"] = len(queries)
    with scopes_disabled():
        found["refresh"], found["refresh_cpu"] = _median(
            lambda: aggregate.refresh(survey=survey), max(3, args.repeat // 5)
        )
    # freshness: new responses, the scheduled job's pass, the page shows them
    client = Client()
    client.force_login(admin)
    with scopes_disabled():
        links = list(SurveyLink.objects.filter(survey=survey).select_related("survey", "unit")[:50])
        screens = domain.questions(survey.round.framework, GROUP)
        answers = {q.pk: 3 for q in domain.all_questions(screens) if q.kind == "scale"}
    import secrets

    with scope(organizer=org):
        for link in links:
            domain.submit(
                link=link, survey=survey, answers=answers, submit_key=secrets.token_urlsafe(24), screens=screens
            )
    started = time.perf_counter()
    with scopes_disabled():
        refreshed = aggregate.refresh_changed()
    found["scheduled_pass"] = time.perf_counter() - started
    found["refreshed_surveys"] = refreshed
    html = client.get(organiser_url).content.decode()
    found["page_shows_new_total"] = f"{count + len(links)}" in html.replace("\xa0", "").replace(" ", "")
    found["freshness_bound"] = 30 + found["scheduled_pass"]  # the job runs every 30 s
    print(json.dumps(found))


if __name__ == "__main__":
    main()
