"""Two-factor sign-in over HTTP: setting up an app, signing in with a code or a recovery code,
wrong codes, the rule for strong actions, other sessions, idle sessions and the history."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, SecurityEventKind
from accounts.tests.two_factor_support import code_for, with_app

SIGN_IN = reverse("accounts:sign-in")
CODE = reverse("accounts:sign-in-code")
RECOVERY = reverse("accounts:sign-in-recovery-code")
HOME = reverse("portal:home")


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


def password_step(client, user, password):
    return client.post(SIGN_IN, {"username": user.email, "password": password})


def test_setting_up_an_app_shows_a_qr_code_and_the_key_then_the_recovery_codes_once(
    client, personas
):
    client.force_login(personas.lead_a)
    page = client.get(reverse("accounts:two-factor-set-up"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    device = TOTPDevice.objects.get(user=personas.lead_a, confirmed=False)
    # The key to type in is the device's own, in base32 groups.
    assert re.search(r'id="secret-key">([A-Z2-7]{4} ?)+<', html)

    wrong = client.post(reverse("accounts:two-factor-set-up"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()

    # A second page load keeps the same unconfirmed key, so the QR code scanned still works.
    client.get(reverse("accounts:two-factor-set-up"))
    assert TOTPDevice.objects.filter(user=personas.lead_a).count() == 1
    # After a wrong code, django-otp waits a second before it checks another.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2), tick=False):
        right = client.post(
            reverse("accounts:two-factor-set-up"), {"code": code_for(device, at=time_machine_now())}
        )
    assert right.status_code == 302 and right["Location"] == reverse("accounts:recovery-codes")
    codes_page = client.get(right["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=personas.lead_a).count() == 10
    # Shown once: the page does not show them again.
    again = client.get(reverse("accounts:recovery-codes"))
    assert again.status_code == 302 and again["Location"] == reverse("accounts:account")
    device.refresh_from_db()
    assert device.confirmed
    assert SecurityEventKind.TWO_FACTOR_ADDED in kinds(personas.lead_a)


def test_a_password_alone_does_not_sign_in_someone_with_an_app(client, personas):
    device, _ = with_app(personas.executive_a)

    response = password_step(client, personas.executive_a, personas.password)

    assert response.status_code == 302 and response["Location"] == CODE
    # Not signed in yet: home sends them to sign in.
    assert client.get(HOME).status_code == 302
    wrong = client.post(CODE, {"code": "123456"})
    assert "The code is not right" in wrong.content.decode()
    assert SecurityEventKind.SIGN_IN_REFUSED_CODE in kinds(personas.executive_a)

    # django-otp makes the device wait after a wrong code: the page says for how long.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=False):
        right = client.post(CODE, {"code": code_for(device, at=time_machine_now())})
    assert right.status_code == 302 and right["Location"] == HOME
    home = client.get(HOME)
    assert home.status_code == 200
    assert home.wsgi_request.user == personas.executive_a
    assert home.wsgi_request.user.is_verified()
    assert SecurityEventKind.SIGNED_IN_CODE in kinds(personas.executive_a)


def time_machine_now() -> float:
    return timezone.now().timestamp()


def test_too_many_wrong_codes_make_the_person_wait(client, personas):
    with_app(personas.lead_a)
    password_step(client, personas.lead_a, personas.password)

    client.post(CODE, {"code": "111111"})
    client.post(CODE, {"code": "222222"})
    waiting = client.post(CODE, {"code": "333333"}).content.decode()

    assert "You have entered too many wrong codes. Wait" in waiting


def test_a_recovery_code_signs_in_once(client, personas):
    _, codes = with_app(personas.lead_a)
    shown = f"{codes[0][:5]}-{codes[0][5:]}".upper()

    password_step(client, personas.lead_a, personas.password)
    response = client.post(RECOVERY, {"code": shown})

    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).wsgi_request.user.is_verified()
    assert SecurityEventKind.SIGNED_IN_RECOVERY in kinds(personas.lead_a)
    assert SecurityEventKind.RECOVERY_CODE_USED in kinds(personas.lead_a)
    client.post(reverse("accounts:sign-out"))

    password_step(client, personas.lead_a, personas.password)
    used_again = client.post(RECOVERY, {"code": codes[0]})
    assert "The recovery code is not right, or it has been used" in used_again.content.decode()


def test_the_code_step_expires(client, personas, settings):
    device, _ = with_app(personas.lead_a)
    password_step(client, personas.lead_a, personas.password)

    later = timezone.now() + timezone.timedelta(minutes=settings.TWO_FACTOR_PENDING_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = client.post(CODE, {"code": code_for(device, at=later.timestamp())})

    assert response.status_code == 302 and response["Location"] == SIGN_IN


def test_someone_without_an_app_signs_in_with_a_password_and_it_is_recorded(client, personas):
    response = password_step(client, personas.officer_a, personas.password)

    assert response.status_code == 302 and response["Location"] == HOME
    assert kinds(personas.officer_a) == [SecurityEventKind.SIGNED_IN_PASSWORD]
    history = client.get(reverse("accounts:history")).content.decode()
    assert "Signed in with a password" in history


def test_new_recovery_codes_replace_the_old(client, personas):
    _, old = with_app(personas.lead_a)
    client.force_login(personas.lead_a)

    client.post(reverse("accounts:recovery-codes-renew"))
    page = client.get(reverse("accounts:recovery-codes")).content.decode()

    new = [c.replace("-", "") for c in re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", page)]
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_removing_the_app_needs_a_confirmation(client, personas):
    with_app(personas.lead_a)
    client.force_login(personas.lead_a)

    unconfirmed = client.post(reverse("accounts:two-factor-remove"), {})
    assert "Confirm you want to remove your authenticator app" in unconfirmed.content.decode()
    assert TOTPDevice.objects.filter(user=personas.lead_a).exists()

    client.post(reverse("accounts:two-factor-remove"), {"confirm": "on"})
    assert not TOTPDevice.objects.filter(user=personas.lead_a).exists()
    assert SecurityEventKind.TWO_FACTOR_REMOVED in kinds(personas.lead_a)


def test_signing_out_everywhere_else_ends_other_sessions_only(client, personas, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(personas.officer_a)
    client.force_login(personas.officer_a)

    client.post(reverse("accounts:sessions-end-others"))

    assert client.get(HOME).status_code == 200
    assert other.get(HOME).status_code == 302
    assert SecurityEventKind.OTHER_SESSIONS_ENDED in kinds(personas.officer_a)


def test_an_idle_session_is_signed_out_and_the_sign_in_page_says_why(client, personas, settings):
    client.force_login(personas.officer_a)
    idle = timezone.timedelta(minutes=settings.SESSION_IDLE_MINUTES)

    with time_machine.travel(timezone.now() + idle - timezone.timedelta(minutes=2)):
        assert client.get(HOME).status_code == 200
    # Activity restarts the clock.
    with time_machine.travel(timezone.now() + idle + timezone.timedelta(minutes=1)):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(timezone.now() + 2 * idle + timezone.timedelta(minutes=5)):
        response = client.get(HOME)
        assert response.status_code == 302
        page = client.get(SIGN_IN).content.decode()
    assert f"You were signed out because you did nothing for {settings.SESSION_IDLE_MINUTES}" in (
        page
    )
    assert SecurityEventKind.SIGNED_OUT_IDLE in kinds(personas.officer_a)


@pytest.mark.parametrize("persona", ["officer_a", "lead_a"])
def test_the_time_out_warning_is_on_signed_in_pages_only(client, personas, persona, settings):
    assert 'id="timeout-warning"' not in client.get(SIGN_IN).content.decode()
    client.force_login(getattr(personas, persona))
    page = client.get(HOME).content.decode()
    assert 'id="timeout-warning"' in page
    assert f'data-idle-seconds="{settings.SESSION_IDLE_MINUTES * 60}"' in page


def test_staying_signed_in_is_a_post(client, personas):
    client.force_login(personas.officer_a)
    assert client.post(reverse("accounts:keep-alive")).status_code == 204
    assert client.get(reverse("accounts:keep-alive")).status_code == 405


def test_sign_in_history_is_kept_as_long_as_the_privacy_notice_says(client, personas, settings):
    from accounts import services

    services.security_event_record(user=personas.officer_a, kind=SecurityEventKind.TWO_FACTOR_ADDED)
    days = settings.SECURITY_EVENT_RETENTION_DAYS
    notice = client.get(reverse("core:privacy")).content.decode()
    assert f"Your sign-in history is deleted after {days} days" in notice

    with time_machine.travel(timezone.now() + timezone.timedelta(days=days - 1)):
        assert services.security_events_purge() == 0
    with time_machine.travel(timezone.now() + timezone.timedelta(days=days + 1)):
        assert services.security_events_purge() == 1
