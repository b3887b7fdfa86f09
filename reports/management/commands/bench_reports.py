"""`make bench`: the seconds and peak memory to build the all-UK sector report.

Builds a throwaway PostgreSQL test database (refuses anything else): the 382 real councils, the
framework, three rounds, and the synthetic sector of `benchmarks.synthetic.grow_sector` (about 85%
of councils signed off in each round, every peer group), with the last two rounds' benchmark
results rebuilt and released (the report reads released figures only). For each size (1x, then
10x: 3,820 councils) a fresh Python process (`--child`, so its peak memory is its own) builds
the UK-wide sector report: `sector_data`, the PDF, the XLSX written to a temporary file and the
CSV written to a temporary file. It prints one JSON line per size:

- seconds: the first build in the process (cold: templates, fonts) and the median of the
  warm ones, with the warm build split into its parts (data, pdf, xlsx, csv);
- tracemalloc_peak_mb: the peak of Python allocations during one build;
- peak_rss_mb: the process's peak resident memory (Linux VmHWM) after the timed builds, and
  baseline_peak_rss_mb, the same just before the first build (Django and the libraries
  loaded); maxrss_mb and baseline_maxrss_mb, the same from getrusage's ru_maxrss, which Linux
  carries across execve, so it can start at the size of the parent (this command, holding the
  synthetic sector) rather than the child's own;
- queries: SQL queries `sector_data` ran; the bytes of each file.

Figures only; nothing passes or fails.

    .ci/with-postgres .venv/bin/python manage.py bench_reports
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import (
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from benchmarks.models import PeerGroup
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.synthetic import bench_rounds, grow_sector
from councils.models import Council
from reports.sector.csv_file import write_sector_csv
from reports.sector.data import sector_data
from reports.sector.pdf_file import build_sector_pdf
from reports.sector.xlsx_file import write_sector_xlsx

MB = 1024 * 1024


class Command(BaseCommand):
    help = "Print the time and peak memory to build the all-UK sector report (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sizes", default="1,10", help="Multiples of the 382 councils.")
        parser.add_argument("--repeats", type=int, default=3, help="Warm builds to time.")
        # Internal: build the report for this round id in this process and print one JSON line.
        parser.add_argument("--child", type=int, default=None, help="(internal)")

    def handle(
        self, *args: Any, sizes: str, repeats: int, child: int | None, **options: Any
    ) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: run it through `make bench`.")
        if repeats < 1:
            raise CommandError("--repeats must be at least 1.")
        if child is not None:
            self.stdout.write(json.dumps(_build(child, repeats)))
            return
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run([int(size) for size in sizes.split(",")], repeats)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, multiples: list[int], repeats: int) -> None:
        rounds = bench_rounds()
        made = 0
        for multiple in multiples:
            started = time.perf_counter()
            grow_sector(multiple, made)
            made = multiple
            for round_ in rounds[-2:]:  # the report's round and the one it compares with
                benchmarks_rebuild(round_id=round_.pk)
                release_make(round_id=round_.pk)  # the report reads released figures only
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            setup_seconds = time.perf_counter() - started
            measured = self._child(rounds[-1].pk, repeats)
            self.stdout.write(
                json.dumps(
                    {
                        "measure": "sector_report_all_uk",
                        "multiple": multiple,
                        "councils": Council.objects.count(),
                        "signed_off": rounds[-1].assessments.signed_off().count(),
                        "peer_groups": PeerGroup.objects.count(),
                        "sector_setup_s": round(setup_seconds, 1),
                        **measured,
                    }
                )
            )

    def _child(self, round_id: int, repeats: int) -> dict[str, Any]:
        """Run the build in a fresh process on the test database, for a clean peak memory."""
        url = urlsplit(os.environ.get("DATABASE_URL", ""))
        test_url = urlunsplit(url._replace(path="/" + str(connection.settings_dict["NAME"])))
        done = subprocess.run(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "bench_reports",
                "--child",
                str(round_id),
                "--repeats",
                str(repeats),
            ],
            env={**os.environ, "DATABASE_URL": test_url},
            check=True,
            capture_output=True,
            text=True,
        )
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _maxrss_mb() -> float:
    """getrusage's ru_maxrss (kilobytes on Linux). Linux keeps it across execve, so in a child
    it starts at least at the parent's resident size when it was forked."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _peak_rss_mb() -> float | None:
    """VmHWM, the peak resident memory of this process's own address space (Linux only)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _build(round_id: int, repeats: int) -> dict[str, Any]:
    """Build the all-UK report 1 + `repeats` times, then once more under tracemalloc."""
    import weasyprint  # noqa: F401  loaded before the baseline, as a running server would have it

    baseline, baseline_hwm = _maxrss_mb(), _peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="portal-bench-reports-") as folder:
        xlsx_path, csv_path = Path(folder) / "report.xlsx", Path(folder) / "report.csv"

        def build() -> tuple[dict[str, float], int]:
            """The seconds of each part and of the whole; the PDF's size."""
            parts = {}
            started = time.perf_counter()
            data = sector_data(round_id=round_id, network_id=None)
            parts["data"] = time.perf_counter()
            pdf = build_sector_pdf(data)
            parts["pdf"] = time.perf_counter()
            write_sector_xlsx(data, xlsx_path)
            parts["xlsx"] = time.perf_counter()
            with csv_path.open("w", newline="", encoding="utf-8") as out:
                write_sector_csv(data, out)
            parts["csv"] = time.perf_counter()
            seconds, previous = {}, started
            for name, at in parts.items():
                seconds[name] = at - previous
                previous = at
            seconds["total"] = previous - started
            return seconds, len(pdf)

        with CaptureQueriesContext(connection) as queries:
            sector_data(round_id=round_id, network_id=None)
        cold, _ = build()
        warm = [build()[0] for _ in range(repeats)]
        maxrss, hwm = _maxrss_mb(), _peak_rss_mb()
        middle = sorted(warm, key=lambda s: s["total"])[len(warm) // 2]
        tracemalloc.start()
        _, pdf_bytes = build()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sizes = {
            "pdf_bytes": pdf_bytes,
            "xlsx_bytes": xlsx_path.stat().st_size,
            "csv_bytes": csv_path.stat().st_size,
        }
    return {
        "cold_s": round(cold["total"], 3),
        "warm_median_s": round(statistics.median(s["total"] for s in warm), 3),
        "warm_parts_s": {name: round(value, 3) for name, value in middle.items()},
        "tracemalloc_peak_mb": round(peak / MB, 2),
        "baseline_peak_rss_mb": baseline_hwm,
        "peak_rss_mb": hwm,
        "baseline_maxrss_mb": baseline,
        "maxrss_mb": maxrss,
        "queries": len(queries),
        **sizes,
        "repeats": repeats,
    }
