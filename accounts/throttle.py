"""The sign-in lockout's rules, with no database: which limit an attempt would break.

Failed sign-ins are counted in fixed windows of SIGN_IN_LOCK_MINUTES against three things:

- one account from one client (SIGN_IN_FAILURE_LIMIT, 5): someone guessing one person's
  password. The lock stops only that client, so an attacker cannot lock the person out.
- one client across accounts (SIGN_IN_CLIENT_FAILURE_LIMIT, 20): password spraying, one
  common password tried against many accounts.
- one account from anywhere (SIGN_IN_ACCOUNT_FAILURE_LIMIT, 50): guessing spread over many
  addresses. Only an attacker with at least ten addresses can reach it, and the person can
  end it by resetting their password.

A full counter refuses every attempt until its window ends, the right password included.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.crypto import salted_hmac


class Scope(enum.Enum):
    ACCOUNT_FROM_CLIENT = "account from client"
    CLIENT = "client"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Limits:
    account_from_client: int
    client: int
    account: int
    window: timedelta

    def of(self, scope: Scope) -> int:
        return {
            Scope.ACCOUNT_FROM_CLIENT: self.account_from_client,
            Scope.CLIENT: self.client,
            Scope.ACCOUNT: self.account,
        }[scope]


@dataclass(frozen=True)
class Count:
    scope: Scope
    failures: int
    window_started_at: datetime


@dataclass(frozen=True)
class Refusal:
    scope: Scope
    until: datetime


def scope_of(*, account: str, client: str) -> Scope:
    if account and client:
        return Scope.ACCOUNT_FROM_CLIENT
    return Scope.ACCOUNT if account else Scope.CLIENT


def failures_now(count: Count, *, now: datetime, window: timedelta) -> int:
    """Failures that still count: none once the window has ended."""
    return count.failures if now < count.window_started_at + window else 0


def refusal(counts: Iterable[Count], *, now: datetime, limits: Limits) -> Refusal | None:
    """The limit a new attempt would go past, if any: the one whose lock lasts longest."""
    refusals = [
        Refusal(count.scope, count.window_started_at + limits.window)
        for count in counts
        if failures_now(count, now=now, window=limits.window) >= limits.of(count.scope)
    ]
    return max(refusals, key=lambda found: found.until, default=None)


def key(kind: str, value: str) -> str:
    """A keyed hash (SECRET_KEY) of an account or client, 64 hex characters whatever it was."""
    return salted_hmac(f"accounts.sign-in.{kind}", value, algorithm="sha256").hexdigest()
