"""Reads that change only when a release is made or the peer groups are rebuilt, kept in the
cache (Redis in production, shared by every web process) instead of asked of the database on
every page, and in the process's own memory in front of it.

Every key carries the current *generation*, a random token replaced whenever a release or a
peer-group rebuild happens: straight away, and again once its transaction commits. A page
therefore never reads a figure cached before the latest release: one that read the old
generation before the commit reads the new one after it, and a value cached in between (the
new generation, the old rows) is left behind by the second replacement. Cached values expire
after a day in any case, so nothing left behind lingers.

A page reads the generation once (`Reads()`), from the shared cache, so every process sees a
new release at once. Since a key names its generation, what is under it never changes: the
process keeps the last values it used as they are, not pickled, and asks Redis only for the
others. Callers must treat what they get as read-only.

What is kept holds no words in any language, because the cache is shared by every reader,
English and Welsh: figures with their reason codes (GroupFigures), ids, scores, sets of
councils, and council names as the register has them. Every word about them (a withheld
reason, a heading, a summary, "Overall score", a group's Welsh name) is put in when the page is
rendered, in the reader's language. A read that would give words must put the language in its
`parts` (`translation.get_language()`), or better, keep the codes and word them afterwards.

Without a working cache (the dummy backend, or Redis unreachable) every read is simply made
again, so pages keep working. Making a release does need the cache: if the new generation cannot
be written, the release's transaction fails and the job is retried, rather than leave pages on
the old figures.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
logger = logging.getLogger(__name__)

GENERATION_KEY = "benchmarks:release-generation"
TIMEOUT_SECONDS = 24 * 60 * 60
# Values this process keeps unpickled: a dashboard's figures are some tens of kilobytes.
LOCAL_ENTRIES = 64
_MISSING = object()
_local: OrderedDict[str, Any] = OrderedDict()
_local_lock = threading.Lock()


def generation() -> str:
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            token = cache.get(GENERATION_KEY)
    except Exception:  # the cache is unreachable: every read below is made afresh
        logger.warning("release_cache: the cache is unreachable; reading afresh", exc_info=True)
        return ""
    # Without a working cache there is no token to keep: a fresh one misses every time.
    return token or uuid.uuid4().hex


def moved_on() -> None:
    """Called inside the transaction that makes a release or rebuilds the peer groups."""

    def replace() -> None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)

    replace()
    transaction.on_commit(replace, robust=True)


class Reads:
    """One page's reads, all of the generation current when it started."""

    def __init__(self) -> None:
        self.generation = generation()

    def remembered(self, name: str, parts: tuple[Hashable, ...], read: Callable[[], T]) -> T:
        """`read()`, or what it gave for the same name and parts in this generation."""
        if not self.generation:  # no cache to trust: never keep or reuse anything
            return read()
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        key = f"benchmarks:{name}:{self.generation}:{digest}"
        with _local_lock:
            value = _local.get(key, _MISSING)
            if value is not _MISSING:
                _local.move_to_end(key)
                return value
        try:
            value = cache.get(key, _MISSING)
        except Exception:  # unreachable since the generation was read: read afresh
            logger.warning("release_cache: the cache is unreachable; reading afresh", exc_info=True)
            return read()
        if value is _MISSING:
            value = read()
            try:
                cache.set(key, value, TIMEOUT_SECONDS)
            except Exception:
                logger.warning("release_cache: could not keep %s", key, exc_info=True)
        with _local_lock:
            _local[key] = value
            while len(_local) > LOCAL_ENTRIES:
                _local.popitem(last=False)
        return value
