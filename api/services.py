"""Writes with rules for API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.services import ensure_lead
from councils.models import Council

from .models import ApiToken

logger = logging.getLogger(__name__)

# "cdmp_" says where a token came from when one turns up in a log or a repository.
TOKEN_PREFIX = "cdmp_"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, council: Council, name: str, days: int, by: User) -> tuple[ApiToken, str]:
    """A new read-only token for the council; returns it with the token text, shown once."""
    ensure_lead(council=council, user=by, to="manage API tokens")
    if days not in settings.API_TOKEN_DAYS:
        raise ValueError(f"A token lasts one of {settings.API_TOKEN_DAYS} days.")
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        council=council,
        name=name.strip(),
        prefix=text[: len(TOKEN_PREFIX) + 6],
        digest=digest_of(text),
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    logger.info("%s made API token %s for %s", by.pk, token.pk, council.gss_code)
    return token, text


def api_token_revoke(*, token: ApiToken, by: User) -> None:
    """Stop the token working at once. Revoking twice changes nothing."""
    ensure_lead(council=token.council, user=by, to="manage API tokens")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    logger.info("%s revoked API token %s", by.pk, token.pk)


def api_token_use(text: str) -> ApiToken | None:
    """The usable token with this text, its last use noted; None for anything else (unknown,
    revoked or expired), which the API answers with 401."""
    if not text.startswith(TOKEN_PREFIX) or len(text) > 100:
        return None
    token = ApiToken.objects.usable().select_related("council").filter(digest=digest_of(text))
    found = token.first()
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
