"""The sign-in lockout, tried as an attacker would, through the real views and middleware.

Each test names the hole a probe of the portal found (issue 10) that it closes.
"""

import re
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import SignInCounter
from accounts.tasks import purge_sign_in_counters
from accounts.tests.factories import UserFactory
from tests.support import require

SIGN_IN = reverse("accounts:sign-in")
PROXY = "10.0.0.2"
OUTER_PROXY = "10.0.0.1"
ATTACKER = "198.51.100.7"
VICTIM_ADDRESS = "203.0.113.9"
EMAIL = "brute@example.org"
WRONG = "not-the-password"


def sign_in(client, email, password, *, address=ATTACKER, forwarded=None):
    """POST the sign-in form from `address`; with `forwarded`, through proxies that wrote it."""
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}
    return client.post(SIGN_IN, {"username": email, "password": password}, **extra)


def refused(response) -> bool:
    return response.status_code == 429 and "Too many sign-in attempts" in response.text


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("portal:home")


@pytest.fixture
def brute(db, personas):
    return UserFactory(email=EMAIL)


def lock_out(client, email=EMAIL, *, address=ATTACKER, limit=5):
    for _ in range(limit):
        response = sign_in(client, email, WRONG, address=address)
        assert "Enter a correct email address and password" in response.text


# Counting on the address as typed let every spelling guess afresh.


@pytest.mark.parametrize(
    "spelling", ["brute@example.org", "BRUTE@example.org", "Brute@Example.org", "bRuTe@EXAMPLE.ORG"]
)
def test_every_spelling_of_a_locked_address_is_refused(client, brute, personas, spelling):
    lock_out(client, "Brute@EXAMPLE.org")

    response = sign_in(client, spelling, personas.password)

    assert refused(response)
    assert "_auth_user_id" not in client.session


case_spellings = st.lists(st.booleans(), min_size=len(EMAIL), max_size=len(EMAIL)).map(
    lambda upper: "".join(c.upper() if up else c for c, up in zip(EMAIL, upper, strict=True))
)


@hypothesis_settings(
    max_examples=25, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(failures=st.lists(case_spellings, min_size=5, max_size=5), then=case_spellings)
def test_failures_under_any_spellings_lock_every_spelling(client, brute, personas, failures, then):
    SignInCounter.objects.all().delete()
    for spelling in failures:
        assert not refused(sign_in(client, spelling, WRONG))

    assert refused(sign_in(client, then, personas.password))


def test_a_fullwidth_spelling_counts_against_the_same_account(client, brute, personas):
    # Django folds Unicode compatibility forms (NFKC) before it looks the account up.
    lock_out(client, "ｂｒｕｔｅ@example.org")

    assert refused(sign_in(client, EMAIL, personas.password))


def test_the_right_password_while_locked_does_not_clear_the_lock(client, brute, personas):
    lock_out(client)

    for _ in range(3):
        assert refused(sign_in(client, "BRUTE@example.org", personas.password))
    assert refused(sign_in(client, EMAIL, personas.password))


def test_a_success_before_the_limit_starts_the_count_again(client, brute, personas):
    lock_out(client, limit=4)
    assert signed_in(sign_in(client, EMAIL, personas.password))
    client.logout()

    lock_out(client, limit=4)
    assert signed_in(sign_in(client, EMAIL, personas.password))


def test_the_lock_ends_with_its_window(client, brute, personas, settings):
    lock_out(client)
    assert refused(sign_in(client, EMAIL, personas.password))

    SignInCounter.objects.update(
        window_started_at=F("window_started_at") - timedelta(minutes=settings.SIGN_IN_LOCK_MINUTES)
    )

    assert signed_in(sign_in(client, EMAIL, personas.password))


# Behind a proxy every client was the proxy: anyone could lock anyone out.


def test_a_lock_holds_only_the_client_that_caused_it(client, brute, personas):
    lock_out(client, address=ATTACKER)

    assert refused(sign_in(client, EMAIL, personas.password, address=ATTACKER))
    assert signed_in(sign_in(Client(), EMAIL, personas.password, address=VICTIM_ADDRESS))


@pytest.mark.parametrize(
    ("proxies", "route"),
    [
        # What each proxy appends: the client wrote whatever stands left of the real address.
        (1, lambda spoof, real: f"{spoof}, {real}"),
        (2, lambda spoof, real: f"{spoof}, {real}, {OUTER_PROXY}"),
    ],
    ids=["one proxy", "two proxies"],
)
def test_behind_proxies_the_client_is_the_address_the_outer_proxy_saw(
    client, brute, personas, settings, proxies, route
):
    settings.TRUSTED_PROXY_COUNT = proxies
    for n in range(5):
        # A new made-up X-Forwarded-For each time does not make a new client.
        response = sign_in(client, EMAIL, WRONG, forwarded=route(f"192.0.2.{n}", ATTACKER))
        assert not refused(response)

    response = sign_in(client, EMAIL, personas.password, forwarded=route("192.0.2.99", ATTACKER))
    assert refused(response)
    # The same proxy, another real client: the chief executive is not locked out.
    victim = sign_in(Client(), EMAIL, personas.password, forwarded=route(ATTACKER, VICTIM_ADDRESS))
    assert signed_in(victim)


def test_a_made_up_forwarded_header_is_ignored_without_proxies(client, brute, personas):
    for n in range(5):
        client.post(
            SIGN_IN,
            {"username": EMAIL, "password": WRONG},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert refused(sign_in(client, EMAIL, personas.password, address=ATTACKER))


def test_ipv6_clients_are_told_apart_by_their_64_bit_network(client, brute, personas):
    for n in range(5):
        sign_in(client, EMAIL, WRONG, address=f"2001:db8:1:2::{n + 1:x}")

    assert refused(sign_in(client, EMAIL, personas.password, address="2001:db8:1:2::ffff"))
    assert signed_in(sign_in(Client(), EMAIL, personas.password, address="2001:db8:1:3::1"))


# Password spraying: one client, one password, many accounts.


def test_one_client_trying_many_accounts_is_stopped(client, personas, settings):
    accounts = [UserFactory(email=f"sprayed{n}@example.org") for n in range(25)]
    outcomes = [refused(sign_in(client, user.email, "Winter2026!")) for user in accounts]

    assert outcomes.count(False) == settings.SIGN_IN_CLIENT_FAILURE_LIMIT
    assert all(outcomes[settings.SIGN_IN_CLIENT_FAILURE_LIMIT :])
    response = sign_in(client, personas.lead_a.email, personas.password)
    assert refused(response)
    assert "from your network" in response.text
    # Everyone else still signs in.
    assert signed_in(
        sign_in(Client(), personas.lead_a.email, personas.password, address=VICTIM_ADDRESS)
    )


def test_failures_for_addresses_with_no_account_count_against_the_client(
    client, personas, settings
):
    for n in range(settings.SIGN_IN_CLIENT_FAILURE_LIMIT):
        sign_in(client, f"nobody{n}@example.org", WRONG)

    assert refused(sign_in(client, personas.officer_a.email, personas.password))


# Guessing from many addresses meets an account-wide ceiling, which a password reset ends.


@pytest.fixture
def small_limits(settings):
    settings.SIGN_IN_FAILURE_LIMIT = 2
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 4
    return settings


def test_an_account_guessed_at_from_many_clients_is_locked_everywhere(
    client, brute, personas, small_limits
):
    for address in ("198.51.100.1", "198.51.100.2"):
        lock_out(Client(), address=address, limit=2)

    response = sign_in(Client(), EMAIL, personas.password, address=VICTIM_ADDRESS)
    assert refused(response)
    assert "from several places" in response.text


def test_a_password_reset_ends_the_account_lock(client, brute, personas, small_limits, mailoutbox):
    for address in ("198.51.100.1", "198.51.100.2"):
        lock_out(Client(), address=address, limit=2)
    victim = Client()
    victim.post(reverse("accounts:password-reset"), {"email": EMAIL}, REMOTE_ADDR=VICTIM_ADDRESS)
    link = re.search(r"http://testserver(/password-reset/\S+/)", mailoutbox[0].body).group(1)
    page = victim.get(link, follow=True, REMOTE_ADDR=VICTIM_ADDRESS)
    victim.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"},
        REMOTE_ADDR=VICTIM_ADDRESS,
    )

    assert signed_in(sign_in(victim, EMAIL, "a-brand-new-password", address=VICTIM_ADDRESS))
    # The reset ends the lock on the account; the clients that guessed start again from zero.
    assert not SignInCounter.objects.filter(failures__gt=0, client="").exclude(account="").exists()


def test_refused_attempts_do_not_bring_the_account_lock_nearer(
    client, brute, personas, small_limits
):
    # One client, locked out of the account, keeps trying: it must not lock the person out
    # everywhere by itself.
    for _ in range(20):
        sign_in(client, EMAIL, WRONG, address=ATTACKER)

    assert signed_in(sign_in(Client(), EMAIL, personas.password, address=VICTIM_ADDRESS))


# An email of 5,000 or 100,000 characters gave a DataError (PostgreSQL) or "LIKE or GLOB
# pattern too complex" (SQLite).


@pytest.mark.parametrize("length", [255, 5_000, 100_000])
def test_an_overlong_email_gets_an_error_message(client, db, length):
    response = client.post(SIGN_IN, {"username": "a" * length + "@example.org", "password": "x"})

    assert response.status_code == 200
    assert "Enter an email address of 254 characters or fewer" in response.text
    assert not SignInCounter.objects.exists()


def test_the_counters_hold_no_email_address_or_ip(client, brute):
    lock_out(client)

    stored = " ".join(f"{row.account} {row.client}" for row in SignInCounter.objects.all())
    assert "brute" not in stored.lower()
    assert ATTACKER not in stored
    assert all(len(row.account) in (0, 64) for row in SignInCounter.objects.all())


# Parallel guesses must not check more passwords than the limit allows.


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_check_no_more_passwords_than_the_limit(settings):
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite runs one write at a time",
    )
    UserFactory(email=EMAIL)
    attempts = 12
    barrier = threading.Barrier(attempts)
    outcomes: list[int] = []

    def guess() -> None:
        try:
            barrier.wait()
            response = sign_in(Client(), EMAIL, WRONG)
            outcomes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [200] * settings.SIGN_IN_FAILURE_LIMIT + [429] * (
        attempts - settings.SIGN_IN_FAILURE_LIMIT
    )


# Support can end a lock for someone who cannot wait.


def test_support_ends_a_lock_on_an_account_or_a_network(client, brute, personas):
    lock_out(client)
    for n in range(20):
        sign_in(client, f"nobody{n}@example.org", WRONG, address=VICTIM_ADDRESS)
    assert refused(sign_in(client, EMAIL, personas.password))
    assert refused(
        sign_in(client, personas.lead_a.email, personas.password, address=VICTIM_ADDRESS)
    )

    out = StringIO()
    call_command("unlock_sign_in", "--email", "BRUTE@example.org", stdout=out)
    call_command("unlock_sign_in", "--client", VICTIM_ADDRESS, stdout=out)

    assert signed_in(sign_in(Client(), EMAIL, personas.password))
    assert signed_in(
        sign_in(Client(), personas.lead_a.email, personas.password, address=VICTIM_ADDRESS)
    )
    assert "Removed" in out.getvalue()


def test_counters_whose_window_has_ended_are_deleted(client, brute, settings):
    lock_out(client, limit=2)
    SignInCounter.objects.update(
        window_started_at=F("window_started_at") - timedelta(minutes=settings.SIGN_IN_LOCK_MINUTES)
    )
    sign_in(client, "someone.else@example.org", WRONG, address=VICTIM_ADDRESS)

    assert purge_sign_in_counters.delay().get() == 3
    assert SignInCounter.objects.count() == 3
    assert "accounts.tasks.purge_sign_in_counters" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
