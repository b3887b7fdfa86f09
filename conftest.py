"""Personas shared by every app's tests.

Council A has an officer, an assessment lead and a chief executive; council B has an officer.
The network analyst belongs to a network whose members are A and B. Staff run the platform.
"""

from dataclasses import dataclass

import factory.random
import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accounts.models import CouncilRole, User
from accounts.tests.factories import (
    PASSWORD,
    CouncilMembershipFactory,
    NetworkMembershipFactory,
    UserFactory,
)
from assessments.outline import forget_outlines
from benchmarks import release_cache
from councils.models import Council, Network
from councils.tests.factories import CouncilFactory, NetworkFactory

# No timing thresholds in tests: hypothesis's default 200 ms deadline per example fails
# correct code on a busy CI machine. Speed is measured in `make bench` instead.
hypothesis_settings.register_profile("portal", deadline=None)
hypothesis_settings.load_profile("portal")


# Tests that start Chromium, a Celery worker or poppler, or lay out PDFs: `make test-fast`
# leaves them out of the edit loop; `make test` and CI run everything.
SLOW_FIXTURES = {"chromium", "poppler", "page", "worker", "start_worker"}
SLOW_MARKERS = {"browser", "worker"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        markers = {marker.name for marker in item.iter_markers()}
        if fixtures & SLOW_FIXTURES or markers & SLOW_MARKERS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _no_cached_release_reads():
    """Each test's database is new but the cache is not: reads cached by an earlier test
    (benchmarks.release_cache) must not be found, whatever ids the new rows happen to get."""
    cache.delete(release_cache.GENERATION_KEY)


@pytest.fixture(autouse=True)
def _english_unless_a_test_says():
    """A request leaves its language active in the thread (LocaleMiddleware activates, nothing
    deactivates), so a test calling code directly would read the last request's language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_kept_outlines():
    """Framework outlines are kept per process by id, and a rolled-back test's ids come back."""
    forget_outlines()


@pytest.fixture(autouse=True)
def _no_kept_fragments():
    """What a sign-off fixes is kept per process under the assessment's id and sign-off time
    (benchmarks.dashboard), and a rolled-back test's ids come back, often with no time."""
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _seeded_factories():
    """The same made-up names and values in every run of a test, whatever ran before it."""
    factory.random.reseed_random("council-digital-maturity-portal")


@dataclass
class Personas:
    council_a: Council
    council_b: Council
    network: Network
    officer_a: User
    lead_a: User
    executive_a: User
    officer_b: User
    analyst: User
    staff: User
    password: str = PASSWORD


@pytest.fixture
def personas(db) -> Personas:
    council_a = CouncilFactory(
        gss_code="E06000001", name="Hartlepool Borough Council", short_name="Hartlepool"
    )
    council_b = CouncilFactory(
        gss_code="E06000002", name="Middlesbrough Borough Council", short_name="Middlesbrough"
    )
    network = NetworkFactory(name="North East Digital Partnership", slug="north-east-digital")
    network.members.add(council_a, council_b)

    # Fixed names, with nothing HTML escapes, so a test can look for them in a page.
    def member(email: str, name: str, council: Council, role: str) -> User:
        return CouncilMembershipFactory(
            user=UserFactory(email=email, full_name=name), council=council, role=role
        ).user

    return Personas(
        council_a=council_a,
        council_b=council_b,
        network=network,
        officer_a=member(
            "officer.a@hartlepool.example", "Olivia Okafor", council_a, CouncilRole.OFFICER
        ),
        lead_a=member("lead.a@hartlepool.example", "Liam Lewis", council_a, CouncilRole.LEAD),
        executive_a=member(
            "ceo.a@hartlepool.example", "Eleanor Evans", council_a, CouncilRole.EXECUTIVE
        ),
        officer_b=member(
            "officer.b@middlesbrough.example", "Omar Bashir", council_b, CouncilRole.OFFICER
        ),
        analyst=NetworkMembershipFactory(
            user=UserFactory(email="analyst@network.example", full_name="Anita Patel"),
            network=network,
        ).user,
        staff=UserFactory(
            email="staff@portal.example",
            full_name="Sam Stafford",
            is_staff=True,
            is_superuser=True,
        ),
    )


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, which Django sends to for this
    test. Yields its Mailbox: `.messages` (parsed EmailMessage objects), `.wait_for(n)`,
    `.to(address)`; `.refuse = True` makes it answer 451, `.hold = threading.Event()` makes it
    wait mid-message until the event is set (then refuse it)."""
    from tests.smtp import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield server.mailbox
