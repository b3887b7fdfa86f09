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


@pytest.mark.parametrize(
    ("extra", "proxies"),
    [({}, "1"), ({"BEHIND_TLS_PROXY": "false"}, "0"), ({"TRUSTED_PROXY_COUNT": "2"}, "2")],
)
def test_production_counts_clients_behind_its_tls_proxy(extra, proxies):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
        env={**PRODUCTION_ENV, **extra},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == proxies


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("AXES_PROXY_COUNT", "TRUSTED_PROXY_COUNT"),
        ("AXES_FAILURE_LIMIT", "SIGN_IN_FAILURE_LIMIT"),
        ("AXES_COOLOFF_MINUTES", "SIGN_IN_LOCK_MINUTES"),
    ],
)
def test_production_refuses_the_retired_lockout_settings(old, new):
    # They used to be read by django-axes; ignoring them quietly would undo a deployment's
    # proxy setting.
    result = manage("check", env={**PRODUCTION_ENV, old: "1"})

    assert result.returncode != 0
    assert f"{old} is no longer read: set {new} instead." in result.stderr


@pytest.mark.parametrize(
    ("port", "base_url"), [(None, "http://127.0.0.1:8000"), ("8001", "http://127.0.0.1:8001")]
)
def test_local_links_follow_the_port_make_run_serves_on(port, base_url):
    if "PORTAL_BASE_URL" in dotenv_values():
        pytest.skip("the .env file in the project root sets PORTAL_BASE_URL")
    env = {"DJANGO_ENV": "local", **({"PORT": port} if port else {})}
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.PORTAL_BASE_URL)", env=env
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == base_url
