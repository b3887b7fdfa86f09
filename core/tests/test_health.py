"""/healthz: anonymous, JSON, 200 when the database and broker answer, 503 when one does not."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.support import redis_url

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


def get_health(client):
    response = client.get(reverse("core:healthz"))
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def test_health_is_anonymous_json_and_not_cached(client, settings):
    settings.REDIS_URL = ""
    response, body = get_health(client)

    assert response.status_code == 200
    assert set(body) == {"status", "database", "broker"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_in_process_broker_without_redis(client, settings):
    settings.REDIS_URL = ""
    response, body = get_health(client)

    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_real_redis_is_ok(client, settings):
    settings.REDIS_URL = redis_url()
    response, body = get_health(client)

    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "broker": "ok"}


def test_unreachable_broker_is_503(client, settings):
    settings.REDIS_URL = CLOSED_PORT
    response, body = get_health(client)

    assert response.status_code == 503
    assert body == {"status": "error", "database": "ok", "broker": "error"}


def test_unreachable_database_is_503(client, settings, monkeypatch):
    from core import health

    class BrokenConnection:
        def cursor(self):
            raise OperationalError("database is down")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    settings.REDIS_URL = ""
    response, body = get_health(client)

    assert response.status_code == 503
    assert body == {"status": "error", "database": "error", "broker": "in-process"}


def test_only_get(client):
    assert client.post(reverse("core:healthz")).status_code == 405
