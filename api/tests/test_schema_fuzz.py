"""schemathesis fuzzes every operation of the live OpenAPI schema, served by the portal itself
(WSGI), with a real token: no answer may be a server error, and every answer (status, headers,
body) must match what the schema says."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from api import services
from benchmarks.tests.dashboard_data import build_sector

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request; inside a test's
    transaction that would close it for good, so (as Django's own test client does) it is kept."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas):
    _, text = services.api_token_create(
        council=personas.council_a, name="Fuzzing", days=30, by=personas.lead_a
    )
    return text


@pytest.fixture
def sector(personas, settings):
    # Generous enough that fuzzing never meets the rate limit; test_api.py tests the limit.
    settings.API_RATE_LIMIT = "100000/m"
    return build_sector(personas, settings)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_matches_its_schema_and_never_fails(case, sector, token):
    # The WSGI transport does not undo GZipMiddleware's compression, so ask for none.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    )


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_about_a_real_round_matches_its_schema(case, sector, token):
    # Random slugs find nothing; this time each round operation asks about a signed-off round,
    # so the full answers (scores, positions) are checked against the schema too.
    if "slug" in (case.path_parameters or {}):
        case.path_parameters = {**case.path_parameters, "slug": sector["latest"].slug}
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    )
