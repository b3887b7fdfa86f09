"""A real Celery worker, fed through Redis, sends an invitation email from the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from accounts.tests.factories import InvitationFactory
from config.celery import app as celery_app
from tests.support import PROJECT_ROOT, redis_url

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("transactional_db")]

CELERY = Path(sys.executable).parent / "celery"
WORKER_START_TIMEOUT = 60


def worker_database_url() -> str:
    """A DATABASE_URL for the database this test is using (the test database, not the real one)."""
    settings = connection.settings_dict
    engine = settings["ENGINE"]
    if engine.endswith("sqlite3"):
        name = Path(settings["NAME"])
        if str(name) == ":memory:" or "mode=memory" in str(name):
            pytest.fail("The worker cannot share an in-memory SQLite database")
        return f"sqlite:///{name.resolve()}"
    if engine.endswith("postgresql"):
        user, password = (
            quote(settings["USER"] or "", safe=""),
            quote(settings["PASSWORD"] or "", safe=""),
        )
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings["HOST"] or "127.0.0.1"
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        return f"postgres://{credentials}{host}{port}/{settings['NAME']}"
    pytest.fail(f"Don't know how to hand {engine} to a worker process")


@pytest.fixture
def queued_tasks(settings):
    """Send tasks through the broker (test settings run them eagerly) on a private queue.

    The private queue keeps a worker someone left running on the same Redis from taking them.
    Benchmark jobs, routed to their own queue in production, go to the same private queue.
    """
    redis_url()  # skips, or fails in CI, without a Redis server
    broker = celery_app.conf.broker_url or ""
    assert broker.startswith("redis"), f"the broker should be Redis when REDIS_URL is set: {broker}"
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = f"portal-test-{uuid.uuid4().hex[:12]}"
    settings.BENCHMARKS_QUEUE = celery_app.conf.task_default_queue
    try:
        yield celery_app.conf.task_default_queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved


@pytest.fixture
def worker(queued_tasks, tmp_path):
    """Start `celery worker` in a subprocess against Redis and the test database."""
    url = redis_url()
    mail_dir = tmp_path / "sent-mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=worker_database_url(),
        REDIS_URL=url,
        EMAIL_URL=f"filemail:///{mail_dir}",
        PYTHONUNBUFFERED="1",
    )
    command = [
        str(CELERY),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queued_tasks,
        "-n",
        f"{queued_tasks}@%h",
        "-l",
        "INFO",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(process, log_path)
        yield mail_dir
    except BaseException:
        print(f"---- Celery worker output ({log_path}) ----")
        print(log_path.read_text(errors="replace"))
        raise
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_ready(process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited with status {process.returncode}")
        if " ready." in log_path.read_text(errors="replace"):
            return
        time.sleep(0.1)
    pytest.fail(f"The Celery worker was not ready within {WORKER_START_TIMEOUT} s")


def test_worker_sends_invitation_email_once(worker, personas):
    from accounts.tasks import send_invitation_email

    mail_dir = worker
    invitation = InvitationFactory(
        council=personas.council_a, email="new.officer@hartlepool.example"
    )
    assert invitation.sent_at is None

    try:
        sent = send_invitation_email.delay(invitation.pk, invitation.nonce).get(timeout=60)
        assert sent is True

        messages = [path.read_text() for path in mail_dir.iterdir()]
        assert len(messages) == 1, f"expected one email file in {mail_dir}"
        assert "new.officer@hartlepool.example" in messages[0]
        assert "/invitations/" in messages[0]
        invitation.refresh_from_db()
        assert invitation.sent_at is not None

        # Idempotent: the same job again sends nothing.
        again = send_invitation_email.delay(invitation.pk, invitation.nonce).get(timeout=60)
        assert again is False
        assert len(list(mail_dir.iterdir())) == 1
    except BaseException:
        log = mail_dir.parent / "worker.log"
        print(f"---- Celery worker output ({log}) ----")
        print(log.read_text(errors="replace"))
        raise
