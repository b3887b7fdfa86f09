"""`make bench`: time the main pages and count their queries, on a throwaway database.

Figures only: nothing here passes or fails. Tests never assert on time.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment
from django.urls import reverse

from accounts.models import CouncilMembership, CouncilRole, User
from councils.services import DEFAULT_CSV_PATH, councils_import


class Command(BaseCommand):
    help = "Print response times and query counts for the main pages (throwaway database)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=50)

    def handle(self, *args, repeat: int, **options) -> None:
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run(repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, repeat: int) -> None:
        started = time.perf_counter()
        result = councils_import(path=DEFAULT_CSV_PATH)
        self.stdout.write(
            f"import_councils, empty database: {time.perf_counter() - started:.2f} s "
            f"({result.created} created)"
        )
        started = time.perf_counter()
        councils_import(path=DEFAULT_CSV_PATH)
        self.stdout.write(f"import_councils, re-run:        {time.perf_counter() - started:.2f} s")

        user = User.objects.create_user("bench@example.com", "bench-password-123")
        council = CouncilMembership.objects.create(
            user=user, council_id=1, role=CouncilRole.LEAD
        ).council
        client = Client()
        client.force_login(user)
        pages = [
            ("/healthz", reverse("core:healthz")),
            ("home", reverse("core:home")),
            ("council directory, page 1", reverse("councils:directory")),
            ("directory, search 'borough'", reverse("councils:directory") + "?q=borough"),
            ("council page", reverse("councils:detail", args=[council.gss_code])),
            ("team page", reverse("accounts:team", args=[council.gss_code])),
        ]
        self.stdout.write(f"\n{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        connection.force_debug_cursor = True
        for label, url in pages:
            timings = []
            for _ in range(repeat):
                reset_queries()
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            queries = len(connection.queries)
            p95 = statistics.quantiles(timings, n=20)[-1]
            median = statistics.median(timings)
            self.stdout.write(f"{label:32} {median:10.1f} {p95:8.1f} {queries:8d}")
        connection.force_debug_cursor = False
        self.stdout.write(f"\n{repeat} requests a page, Django test client, {connection.vendor}.")
