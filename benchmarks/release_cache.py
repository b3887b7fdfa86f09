"""Reads that change only when a release is made or the peer groups are rebuilt, kept in the
cache (Redis in production, shared by every web process) instead of asked of the database on
every page.

Every key carries the current *generation*, a random token replaced whenever a release or a
peer-group rebuild happens: straight away, and again once its transaction commits. A page
therefore never reads a figure cached before the latest release: one that read the old
generation before the commit reads the new one after it, and a value cached in between (the
new generation, the old rows) is left behind by the second replacement. Cached values expire
after a day in any case, so nothing left behind lingers.

Without a working cache (the dummy backend) every read is simply made again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

GENERATION_KEY = "benchmarks:release-generation"
TIMEOUT_SECONDS = 24 * 60 * 60
_MISSING = object()


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    # Without a working cache there is no token to keep: a fresh one misses every time.
    return token or uuid.uuid4().hex


def moved_on() -> None:
    """Called inside the transaction that makes a release or rebuilds the peer groups."""

    def replace() -> None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)

    replace()
    transaction.on_commit(replace, robust=True)


def remembered(name: str, parts: tuple[Hashable, ...], read: Callable[[], T]) -> T:
    """`read()`, or what it gave for the same name and parts in this generation."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"benchmarks:{name}:{generation()}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value
