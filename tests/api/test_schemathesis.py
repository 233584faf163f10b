"""schemathesis against the REST API (in process, through the WSGI application): for every
operation, generated requests with a read-write token of a seeded organiser; no answer is a
server error and every answer matches its schema in the OpenAPI document. Bounded: a few dozen
examples per operation (about a minute in all)."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from stegvis.api import domain
from stegvis.goals import domain as goals
from stegvis.planning import domain as planning
from stegvis.surveys import aggregate
from stegvis.surveys import domain as surveys
from stegvis.wsgi import application
from tests import factories as f

EXAMPLES = 25


@pytest.fixture
def seeded(world):
    """An organiser with published assessments, a plan with an action and figures, a goal, a
    survey, and a token."""
    _assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    planning.add_action(plan=plan, by=world.bob, title="Fortbildning")
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    goals.set_goal(
        organizer=world.org,
        by=world.alice,
        title="Fler enheter på steg 3",
        scope="organizer",
        measure="share_at_level",
        indicator_code="A1.1",
        level=3,
        baseline_round=world.rnd,
        target_value=100,
        target_date=datetime.date(2028, 6, 30),
    )
    f.add_survey_questions(world.rnd.framework)
    now = timezone.now()
    survey = surveys.open_survey(
        organizer=world.org,
        round=world.rnd,
        respondent_group="personal",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        units=[world.unit, world.other_unit],
        distribution="links",
        k=5,
        by=world.alice,
    )
    aggregate.refresh(survey=survey)
    _row, token = domain.create_api_token(organizer=world.org, by=world.alice, name="schemathesis", scope="write")
    return token


# Loaded through the application itself (the served document, no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def unlimited():
    """No rate limit, and the test's database connection kept open across requests (the WSGI
    handler closes connections when a request ends; Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with override_settings(STEGVIS_API_RATE_LIMIT=0):
            yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        cache.clear()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, seeded, unlimited):
    case.call_and_validate(
        # identity: the checks read the body as sent; compression (GZipMiddleware) is tested in test_production
        headers={"Authorization": f"Bearer {seeded}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance],
    )
