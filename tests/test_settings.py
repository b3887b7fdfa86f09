"""Production settings pass Django's deployment checks and refuse to start without secrets."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.support import PROJECT_ROOT

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
    "DATABASE_URL": "postgres://portal:secret@db.internal.example:5432/portal",
    "ALLOWED_HOSTS": "portal.example.gov.uk",
    "REDIS_URL": "redis://redis.internal.example:6379/0",
    "EMAIL_URL": "smtp://portal:secret@smtp.example.gov.uk:587",
    "PORTAL_BASE_URL": "https://portal.example.gov.uk",
}
assert len(PRODUCTION_ENV["SECRET_KEY"]) == 60


def dotenv_values() -> set[str]:
    """Names the developer's .env file (if any) gives a non-empty value."""
    path = PROJECT_ROOT / ".env"
    if not path.exists():
        return set()
    names = set()
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and not name.startswith("#") and value.strip().strip("'\"").strip():
            names.add(name.strip())
    return names


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a process needs to run: nothing from this test run (DJANGO_SETTINGS_MODULE,
    # DATABASE_URL, REDIS_URL, CI...) leaks into the settings being checked.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**base, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("how", ["unset", "blank"])
@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(name, how):
    if how == "unset" and name in dotenv_values():
        # base.py reads .env for unset variables, so that file supplies this one.
        pytest.skip(f"the .env file in the project root sets {name}")
    env = dict(PRODUCTION_ENV)
    if how == "unset":
        del env[name]
    else:
        env[name] = ""

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be set" in result.stderr, result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "too-short"})

    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr, result.stderr
