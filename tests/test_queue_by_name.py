"""A lower app queues a higher app's job by name. A web process (gunicorn) never imports the
tasks modules itself, so the lookup must find them in a process that has only started Django:
this runs in one, as gunicorn would have it."""

from tests.test_settings import manage


def test_jobs_queued_by_name_are_found_in_a_freshly_started_process():
    code = (
        "from assessments.services import MAKE_RELEASE, UPDATE_BENCHMARKS\n"
        "from core.queue import registered\n"
        "print(registered(UPDATE_BENCHMARKS).name, registered(MAKE_RELEASE).name)\n"
    )

    result = manage("shell", "--no-imports", "-c", code, env={})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "benchmarks.tasks.update_benchmarks_for_council",
        "benchmarks.tasks.make_release",
    ]
