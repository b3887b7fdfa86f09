"""Checks behind /healthz. Each returns "ok", "in-process" or "error" and never raises."""

import logging

import redis
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return "error"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        # No broker: background jobs run inside the web process (the `make run` default).
        return "in-process"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        client.close()
    except Exception:
        logger.exception("Health check: broker unreachable")
        return "error"
    return "ok"
