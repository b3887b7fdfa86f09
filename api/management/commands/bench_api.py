"""`make bench`: the read-only API's time and SQL queries per endpoint, at 1x and 10x the sector.

In a throwaway PostgreSQL database (as bench_dashboard: the real councils, three rounds, the
synthetic sector, results rebuilt and released), a token of the council bench_dashboard picks
calls each endpoint. For each endpoint and size it prints one JSON line, "measure": "api":
median and 95th percentile over --requests GETs, and the queries of one. Then one line,
"measure": "api_queries", with both sizes' counts and whether they are equal. Figures only;
nothing passes or fails.

    .ci/with-postgres .venv/bin/python manage.py bench_api --requests 50
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import CouncilMembership, CouncilRole, User
from api.services import api_token_create
from benchmarks.management.commands.bench_dashboard import _chosen_council, _rebuild
from benchmarks.synthetic import bench_rounds, grow_sector, throwaway_database
from councils.models import Council


class Command(BaseCommand):
    help = "Print the API's time and queries per endpoint at 1x and 10x (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--requests", type=int, default=50, help="GETs an endpoint to time.")

    def handle(self, *args: Any, requests: int, **options: Any) -> None:
        if requests < 2:
            raise CommandError("--requests must be at least 2.")
        # The rate limit is for people's tools; the bench makes thousands of requests a minute.
        with throwaway_database(), override_settings(DEBUG=False, API_RATE_LIMIT="1000000/m"):
            self._run(requests)

    def _run(self, requests: int) -> None:
        rounds = bench_rounds()
        grow_sector(1, 0)
        _rebuild(rounds)
        council, _ = _chosen_council(rounds[-1])
        lead = User.objects.create_user("bench-lead@example.com", "bench-password-1")
        CouncilMembership.objects.create(user=lead, council=council, role=CouncilRole.LEAD)
        _, token = api_token_create(council=council, name="Bench", days=30, by=lead)
        client = Client(headers={"Authorization": f"Bearer {token}"})
        latest = rounds[-1].slug
        endpoints = {
            "council": reverse("api:council"),
            "rounds": reverse("api:rounds"),
            **{n: reverse(f"api:{n}", args=[latest]) for n in ("scores", "positions", "plan")},
            "open_data": reverse("api:open_data"),
        }
        self.stdout.write(f"API of {council.name} ({council.gss_code}), {requests} requests each")
        counts = {"1x": self._measure(client, endpoints, requests, "1x")}
        grow_sector(10, 1)
        _rebuild(rounds)
        counts["10x"] = self._measure(client, endpoints, requests, "10x")
        equal = counts["1x"] == counts["10x"]
        self.stdout.write(json.dumps({"measure": "api_queries", **counts, "equal": equal}))

    def _measure(
        self, client: Client, endpoints: dict[str, str], requests: int, size: str
    ) -> dict[str, int]:
        counts = {}
        for label, url in endpoints.items():
            client.get(url)  # warm up
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            counts[label] = len(captured)
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                json.dumps(
                    {
                        "measure": "api",
                        "size": size,
                        "councils": Council.objects.count(),
                        "endpoint": label,
                        "status": status,
                        "median_ms": round(statistics.median(timings), 1),
                        "p95_ms": round(statistics.quantiles(timings, n=20)[-1], 1),
                        "queries": counts[label],
                    }
                )
            )
        return counts
