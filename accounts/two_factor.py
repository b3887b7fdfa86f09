"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and single-use recovery codes.

A session counts as strongly signed in when it passed a code (django-otp's `is_verified`) or
came through the council's own identity provider, which applies the council's own rules for a
second factor (`SSO_SESSION_KEY`). `strong_sign_in_needed` is the one check the views that
sign off, agree answers, publish or change sharing make before anything else.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# Set on a session that an identity provider signed in: the provider's id.
SSO_SESSION_KEY = "sso_provider"
# Between a correct password and the code: who, through which backend, since when, and where to.
PENDING_SESSION_KEY = "two_factor_pending"
# Lower case letters and digits that cannot be mistaken for each other when copied by hand.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What someone typed, as stored: no spaces or hyphens, lower case."""
    return "".join(code.split()).replace("-", "").lower()


def shown_recovery_code(code: str) -> str:
    """A recovery code in two halves, easier to copy by hand: "abcde-fghjk"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in (base32), in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up address as an inline SVG QR code (no external image, no script)."""
    code = segno.make(device.config_url, error="m")
    return code.svg_inline(scale=5, border=2, dark="#0b0c0c", light="#ffffff")


def is_strong(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    # django-otp's middleware adds is_verified to the signed-in user.
    verified = getattr(user, "is_verified", lambda: False)()
    return bool(request.session.get(SSO_SESSION_KEY)) or bool(verified)


# What the views that need a strong sign-in pass as `doing`, in other languages: the words
# that finish "... before you ...", which in Welsh take a mutation after "cyn i chi".
DOING = {
    "approve the plan": pgettext_lazy("before you ...", "approve the plan"),
    "change what your council shares": pgettext_lazy(
        "before you ...", "change what your council shares"
    ),
    "agree the council's answers": pgettext_lazy("before you ...", "agree the council's answers"),
    "submit the assessment": pgettext_lazy("before you ...", "submit the assessment"),
    "sign off the assessment": pgettext_lazy("before you ...", "sign off the assessment"),
    "reopen an assessment": pgettext_lazy("before you ...", "reopen an assessment"),
    "change sharing": pgettext_lazy("before you ...", "change sharing"),
    "publish open data": pgettext_lazy("before you ...", "publish open data"),
    "change how your council signs in": pgettext_lazy(
        "before you ...", "change how your council signs in"
    ),
    "use the administration pages": pgettext_lazy("before you ...", "use the administration pages"),
    "erase someone's account": pgettext_lazy("before you ...", "erase someone's account"),
}


def doing_words(doing: str) -> str:
    """`doing` (English, one of DOING's keys) in the active language, as it goes in the
    sentence; anything else is shown as it is."""
    return str(DOING.get(doing, doing))


def strong_sign_in_needed(request: HttpRequest, doing: str) -> HttpResponse | None:
    """None when this session may do what needs a strong sign-in; otherwise where to go first.

    `doing` finishes the sentence "Set up an authenticator app before you ...", in English
    (one of DOING's keys; others are shown as they are).
    """
    if not settings.TWO_FACTOR_REQUIRED or is_strong(request):
        return None
    user = request.user
    assert isinstance(user, User)
    query = urlencode({"next": request.get_full_path()})
    if has_two_factor(user):
        messages.info(
            request,
            gettext("Enter a code from your authenticator app before you %(doing)s")
            % {"doing": doing_words(doing)},
        )
        return redirect(f"{reverse('accounts:sign-in-code')}?{query}")
    messages.info(
        request,
        gettext("Set up an authenticator app before you %(doing)s") % {"doing": doing_words(doing)},
    )
    return redirect(f"{reverse('accounts:two-factor-set-up')}?{query}")
