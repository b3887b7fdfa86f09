"""Fixtures for tests that need real services: a Celery worker process fed through Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.support import PROJECT_ROOT, redis_url

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
    settings.REPORTS_QUEUE = celery_app.conf.task_default_queue
    try:
        yield celery_app.conf.task_default_queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    mail_dir: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def start_worker(queued_tasks, tmp_path):
    """Start `celery worker` processes against Redis and the test database; stop them after."""
    url = redis_url()
    mail_dir = tmp_path / "sent-mail"
    mail_dir.mkdir()
    started: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        log_path = tmp_path / f"worker-{len(started) + 1}.log"
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT")
        env = {key: os.environ[key] for key in keep if key in os.environ}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=worker_database_url(),
            REDIS_URL=url,
            EMAIL_URL=f"filemail:///{mail_dir}",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra_env)  # may replace any of those, EMAIL_URL for a real SMTP server
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
            f"{queued_tasks}-{len(started) + 1}@%h",
            "-l",
            "INFO",
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        worker = Worker(process, log_path, mail_dir)
        started.append(worker)
        _wait_until_ready(process, log_path)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
                try:
                    worker.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.process.kill()
                    worker.process.wait(timeout=10)


@pytest.fixture
def worker(start_worker):
    """One worker; yields the folder its emails are written to."""
    return start_worker().mail_dir


def _wait_until_ready(process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited with status {process.returncode}")
        if " ready." in log_path.read_text(errors="replace"):
            return
        time.sleep(0.1)
    pytest.fail(f"The Celery worker was not ready within {WORKER_START_TIMEOUT} s")
