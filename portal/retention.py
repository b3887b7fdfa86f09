"""Accounts nobody uses: warned by email, then erased. An account counts as unused from its
last sign-in (or, never signed in, from when it was made). Staff accounts are kept: someone
must be left to run the portal."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import User
from accounts.services import person_erase
from notifications.services import email_queue


def _unused_since(before: datetime) -> QuerySet[User]:
    return (
        User.objects.filter(is_staff=False)
        .annotate(seen=Coalesce(F("last_login"), F("date_joined")))
        .filter(seen__lt=before)
    )


def inactive_accounts_retire(*, now: datetime | None = None) -> tuple[int, int]:
    """Warn the people whose accounts will be erased in INACTIVE_WARNING_DAYS, then erase those
    warned at least that long ago and still unused. Idempotent: one warning per account (the
    outbox's key), and a sign-in in between clears the warning. (warned, erased)."""
    now = now or timezone.now()
    erase_after = timedelta(days=settings.INACTIVE_ACCOUNT_DAYS)
    notice = timedelta(days=settings.INACTIVE_WARNING_DAYS)
    warned = 0
    for user in _unused_since(now - erase_after + notice).filter(
        is_active=True, inactive_warned_at__isnull=True
    ):
        years = settings.INACTIVE_ACCOUNT_DAYS // 365
        days = settings.INACTIVE_WARNING_DAYS
        # Written in the person's own language: a background job has no request.
        with transaction.atomic(), translation.override(user.written_in):
            email_queue(
                key=f"inactive-warning:{user.pk}:{now:%Y%m%d}",
                to=user,
                subject=gettext("Your account on the portal will be erased unless you sign in"),
                template="assessment_notice",
                context={
                    "heading": gettext("We will erase your account unless you sign in"),
                    "paragraphs": [
                        ngettext(
                            "Nobody has signed in to your account for almost %(years)s year. "
                            "To protect your personal data, we erase accounts that are not used.",
                            "Nobody has signed in to your account for almost %(years)s years. "
                            "To protect your personal data, we erase accounts that are not used.",
                            years,
                        )
                        % {"years": years},
                        ngettext(
                            "Sign in within %(days)s day to keep it. Otherwise it will be "
                            "erased: the answers you gave stay in your council's assessments, "
                            "without your name.",
                            "Sign in within %(days)s days to keep it. Otherwise it will be "
                            "erased: the answers you gave stay in your council's assessments, "
                            "without your name.",
                            days,
                        )
                        % {"days": days},
                    ],
                    "quote": "",
                    "items": [],
                    "link_text": gettext("Sign in to keep your account"),
                    "link_url": settings.PORTAL_BASE_URL + reverse("accounts:sign-in"),
                },
            )
            User.objects.filter(pk=user.pk).update(inactive_warned_at=now)
        warned += 1
    erased = 0
    for user in _unused_since(now - erase_after).filter(inactive_warned_at__lte=now - notice):
        person_erase(user=user, by=None)
        erased += 1
    return warned, erased
