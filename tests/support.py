"""Helpers shared by the cross-cutting tests (and by app tests that need real services)."""

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require(condition: bool, reason: str) -> None:
    """Skip when a service this test needs is missing, but fail in CI.

    In CI (the CI environment variable is set, as .ci/run does) a missing browser or broker
    is a broken build, not a reason to pass quietly.
    """
    __tracebackhide__ = True  # report the test that needed the service, not this line
    if condition:
        return
    if running_in_ci():
        pytest.fail(f"{reason} (CI is set, so this test must run, not be skipped)", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str:
    """The real Redis the tests may use; skips (or fails in CI) when REDIS_URL is not set."""
    __tracebackhide__ = True
    url = os.environ.get("REDIS_URL", "").strip()
    require(bool(url), "REDIS_URL is not set: start a Redis server and export REDIS_URL")
    return url


def wait_for(check, *, what: str, timeout: float = 90) -> None:
    """Poll `check()` until it is true; fail saying `what` was awaited after `timeout` s.

    For work another process does (a Celery worker): a generous limit that only a broken
    build reaches, never a measure of speed."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


@contextmanager
def lock_held_elsewhere(sql: str, params: Sequence[object] = ()) -> Iterator[None]:
    """Run `sql` (a PostgreSQL lock: SELECT ... FOR UPDATE, LOCK TABLE) in a transaction on a
    separate connection and thread, and hold it until the block ends. A worker's job that
    needs the lock then waits inside the job, where the test can kill the worker."""
    from django.db import connections

    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(sql, list(params))
                taken.set()
                release.wait(60)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10), f"could not take the lock: {sql}"
        yield
    finally:
        release.set()
        holder.join(10)


def post_urlencoded(client, url: str, data: dict[str, str], **extra):
    """POST as a browser's form does. The test client's default, multipart, limits the size
    of a field's name, so a tampered name would be refused before the view sees it."""
    from urllib.parse import urlencode

    return client.post(
        url, urlencode(data), content_type="application/x-www-form-urlencoded", **extra
    )


@contextmanager
def nul_refused_as_on_postgresql() -> Iterator[None]:
    """Make the database refuse a NUL character in any text sent to it, as PostgreSQL does
    (SQLite stores one), so a test finds on SQLite what would fail in production."""
    from django.db import connection

    def refuse_nul(execute, sql, params, many, context):
        rows = params if many else [params]
        for row in rows or ():
            values = row.values() if isinstance(row, dict) else row or ()
            if any(isinstance(value, str) and "\x00" in value for value in values):
                # The words psycopg uses.
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_nul):
        yield
