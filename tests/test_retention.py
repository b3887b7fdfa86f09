"""Retention: the privacy notice states exactly the periods the code applies (read from the same
settings), and unused accounts are warned by email, then erased, unless someone signs in."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from notifications.models import OutboxEmail
from portal.retention import inactive_accounts_retire


@pytest.mark.parametrize(
    ("setting", "value", "sentence"),
    [
        ("SECURITY_EVENT_RETENTION_DAYS", 400, "Your sign-in history is deleted after 400 days"),
        (
            "EXPIRED_INVITATION_RETENTION_DAYS",
            45,
            "Invitations that are never accepted are deleted 45 days after they expire",
        ),
        ("SIGN_IN_LOCK_MINUTES", 20, "when their 20-minute window ends"),
        ("REPORT_EXPIRY_DAYS", 9, "deleted 9 days after they are made"),
        ("INACTIVE_ACCOUNT_DAYS", 900, "nobody has signed in to for 900 days is erased"),
        ("INACTIVE_WARNING_DAYS", 21, "after an email 21 days before"),
    ],
)
def test_the_privacy_notice_states_the_periods_the_code_applies(
    client, db, settings, setting, value, sentence
):
    setattr(settings, setting, value)
    assert sentence in client.get(reverse("core:privacy")).content.decode()


def test_expired_invitations_go_after_the_period_the_notice_states(personas, settings):
    from accounts.services import invitations_purge_expired
    from accounts.tests.factories import InvitationFactory

    settings.EXPIRED_INVITATION_RETENTION_DAYS = 10
    InvitationFactory(council=personas.council_a, expires_at=timezone.now() - timedelta(days=9))
    InvitationFactory(council=personas.council_a, expires_at=timezone.now() - timedelta(days=11))
    assert invitations_purge_expired() == 1


def test_an_unused_account_is_warned_then_erased(personas, settings):
    settings.INACTIVE_ACCOUNT_DAYS, settings.INACTIVE_WARNING_DAYS = 730, 30
    now = timezone.now()
    unused = UserFactory(email="unused@hartlepool.example", full_name="Ursula Unused")
    User.objects.filter(pk=unused.pk).update(last_login=now - timedelta(days=710))
    recent = UserFactory(email="recent@hartlepool.example")
    User.objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=10))

    assert inactive_accounts_retire(now=now) == (1, 0)
    assert inactive_accounts_retire(now=now) == (0, 0)  # one warning only
    email = OutboxEmail.objects.get(to_email="unused@hartlepool.example")
    assert "unless you sign in" in email.subject

    later = now + timedelta(days=31)
    with time_machine.travel(later):
        assert inactive_accounts_retire(now=later) == (0, 1)
    assert not User.objects.filter(email="unused@hartlepool.example").exists()
    assert User.objects.filter(pk=recent.pk).exists()
    # Staff are never erased this way.
    assert User.objects.filter(pk=personas.staff.pk).exists()


def test_signing_in_after_the_warning_keeps_the_account(client, personas, settings):
    now = timezone.now()
    User.objects.filter(pk=personas.officer_a.pk).update(last_login=now - timedelta(days=720))
    inactive_accounts_retire(now=now)
    personas.officer_a.refresh_from_db()
    assert personas.officer_a.inactive_warned_at is not None

    client.post(
        reverse("accounts:sign-in"),
        {"username": personas.officer_a.email, "password": personas.password},
    )

    personas.officer_a.refresh_from_db()
    assert personas.officer_a.inactive_warned_at is None
    later = now + timedelta(days=31)
    assert inactive_accounts_retire(now=later) == (0, 0)
    assert User.objects.filter(pk=personas.officer_a.pk).exists()
