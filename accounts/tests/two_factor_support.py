"""Authenticator apps for tests: a confirmed one, and the code it shows at a moment."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    """The 6-digit code the app shows now (or at `at`), as a person would read it."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def with_app(user: User) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator app the way the set-up page does; its device and recovery codes."""
    device = services.two_factor_start(user=user)
    codes = services.two_factor_confirm(user=user, device=device, code=code_for(device))
    assert isinstance(codes, list)
    device.refresh_from_db()
    return device, codes
