"""`make bench`: the council dashboard's server time, SQL queries and transfer size.

Builds a throwaway PostgreSQL test database (refuses anything else): the 382 real councils, the
framework, three rounds, and the 1x synthetic sector of `benchmarks.synthetic.grow_sector` (about
85% of councils signed off in each round, every peer group), with benchmark results rebuilt and
released for every round (pages show only released figures). A chief executive of a real
English council signed off in the latest round (the first by GSS code whose default group and
region group both have published figures) signs in through the Django test client, with DEBUG
off and the project's static storage (`config.settings.base.STORAGES`:
`core.storage.StaticFilesStorage`) collected into a temporary STATIC_ROOT, so pages and static
files are served as in production.

It prints, as text and then as one JSON line per measurement group (figures only; nothing
passes or fails, the exit code is 0):

- server_time: median and 95th percentile over --requests GETs (interleaved, after one warm-up
  each, sent with `Accept-Encoding: gzip` as browsers do, so gzip is included) of the home page,
  the dashboard with its default group (nearest neighbours) and with `?group=<region>`, and the
  network dashboard of a partnership of 24 real councils (a third named) seen by its analyst;
  the ratio of each to home. Again after growing the sector to 10x. The chief executive's
  council has agreed answers, as a real one does (the dashboard's next steps read them).
- queries: SQL queries in one request of each page at 1x and again at 10x (`grow_sector(10,
  1)`, every round rebuilt and released again), and whether they are identical; at 10x also
  the first view after the release, which fills the cache (`benchmarks.release_cache`).
- transfer, one line a page (dashboard, home, council directory, an assessment's task list):
  the HTML as the server sends it to a client accepting gzip (GZipMiddleware), plus every static
  file the page makes a browser fetch (stylesheets, scripts, icons, `url(...)` in the CSS,
  `import`s of module scripts) at the size WhiteNoise sends it: the precompressed `.br` beside the
  collected file if there is one (browsers accept Brotli over HTTPS), else `.gz`, else the file
  as it is (WhiteNoise leaves files uncompressed when compression does not pay); gzip level 9
  only if STATIC_ROOT has no precompressed files at all. Each asset is also fetched through the
  test client to check the size. First visit = HTML + assets; repeat visit = HTML only, as
  hashed assets are cached as immutable (any that are not are listed). Budgets: first visit
  550 KB for the two dashboards, 100 KB for other pages; repeat visit 60 KB. 1 KB = 1,000 bytes.
- static_cache: the Cache-Control of one hashed asset fetched through the test client.

    .ci/with-postgres .venv/bin/python manage.py bench_dashboard --requests 50
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
)
from django.urls import reverse

from accounts.models import CouncilMembership, CouncilRole, NetworkMembership, User
from assessments import services as assessment_services
from assessments.models import (
    AgreedAnswer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    Question,
    signed_off_through,
)
from benchmarks.dashboard import council_dashboard
from benchmarks.models import PeerGroup, PeerGroupKind
from benchmarks.peer_groups import peer_groups_build
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.synthetic import bench_rounds, grow_sector, throwaway_database
from config.settings.base import STORAGES as PROJECT_STORAGES
from councils.models import Council, Nation, Network, NetworkSharing

REAL_GSS = r"^[ENSW][0-9]{8}$"
BROWSER_ENCODINGS = "gzip, deflate, br"
KB = 1000
BUDGET_FIRST_KB = {"dashboard": 550, "network dashboard": 550}  # both draw charts with Plotly
BUDGET_FIRST_OTHER_KB = 100
BUDGET_REPEAT_KB = 60
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
JS_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']""")


@dataclass
class Asset:
    url: str
    kind: str
    bytes: int
    encoding: str
    served_bytes: int
    cache_control: str


class Command(BaseCommand):
    help = "Print the dashboard's server time, queries and transfer size (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--requests", type=int, default=50, help="GETs a page to time.")

    def handle(self, *args: Any, requests: int, **options: Any) -> None:
        if requests < 2:
            raise CommandError("--requests must be at least 2.")
        static_root = Path(tempfile.mkdtemp(prefix="portal-bench-static-"))
        try:
            with throwaway_database():
                with override_settings(DEBUG=False, STATIC_ROOT=str(static_root)):
                    with override_settings(STORAGES=self._collect(static_root)):
                        self._run(requests, static_root)
        finally:
            shutil.rmtree(static_root, ignore_errors=True)

    def _collect(self, static_root: Path) -> dict[str, Any]:
        """collectstatic with the project's STORAGES, as a deployment runs it."""
        with override_settings(STORAGES=PROJECT_STORAGES):
            call_command("collectstatic", interactive=False, verbosity=0)
        backend = PROJECT_STORAGES["staticfiles"]["BACKEND"]
        self.stdout.write(json.dumps({"measure": "collectstatic", "storage": backend}))
        return PROJECT_STORAGES

    def _run(self, requests: int, static_root: Path) -> None:
        started = time.perf_counter()
        rounds = bench_rounds()
        grow_sector(1, 0)
        network = _network()
        peer_groups_build()  # the network's group
        _rebuild(rounds)
        council, region_slug = _chosen_council(rounds[-1])
        _agree_answers(council, rounds[-1])
        executive = User.objects.create_user("bench-executive@example.com", "bench-password-1")
        CouncilMembership.objects.create(
            user=executive, council=council, role=CouncilRole.EXECUTIVE
        )
        analyst = User.objects.create_user("bench-analyst@example.com", "bench-password-1")
        NetworkMembership.objects.create(user=analyst, network=network)
        analyst_client = Client()
        analyst_client.force_login(analyst)
        lead_client, task_list = _task_list(rounds[-1])
        self.stdout.write(
            f"Sector built in {time.perf_counter() - started:.0f} s: "
            f"{Council.objects.count()} councils, {PeerGroup.objects.count()} peer groups; "
            f"chief executive of {council.name} ({council.gss_code})."
        )
        client = Client()
        client.force_login(executive)
        dashboard = reverse("benchmarks:council", args=[council.gss_code])
        network_url = reverse("benchmarks:network", args=[network.slug])
        pages = {
            "home": (client, reverse("portal:home")),
            "dashboard": (client, dashboard),
            "dashboard_region": (client, f"{dashboard}?group={region_slug}"),
            "network_dashboard": (analyst_client, network_url),
        }
        for page_client, url in pages.values():  # warm up: templates, plans, the session
            assert page_client.get(url).status_code == 200, url

        queries = {"1x": _query_counts(pages)}
        self._server_time(pages, requests, multiple=1)

        transfer_pages = {
            "dashboard": (client, dashboard),
            "network dashboard": (analyst_client, network_url),
            "home": (client, pages["home"][1]),
            "council directory": (client, reverse("councils:directory")),
            "assessment task list": (lead_client, task_list),
        }
        transfers = [
            _transfer(label, page_client, url, static_root)
            for label, (page_client, url) in transfer_pages.items()
        ]
        self._print_transfers(transfers)

        started = time.perf_counter()
        grow_sector(10, 1)
        _rebuild(rounds)
        self.stdout.write(
            f"\nGrew to 10x in {time.perf_counter() - started:.0f} s: "
            f"{Council.objects.count()} councils, {PeerGroup.objects.count()} peer groups."
        )
        # The first view after a release fills the cache: counted too, as "first view".
        queries["10x, first view after the release"] = _query_counts(pages)
        queries["10x"] = _query_counts(pages)
        identical = queries["1x"] == queries["10x"]
        first = "10x, first view after the release"
        self.stdout.write(f"\n{'queries a request':20} {'1x':>5} {'10x':>5} {'10x first view':>15}")
        for label in pages:
            self.stdout.write(
                f"{label:20} {queries['1x'][label]:5d} {queries['10x'][label]:5d} "
                f"{queries[first][label]:15d}"
            )
        self.stdout.write(f"identical at both sizes: {identical}")
        self.stdout.write(json.dumps({"measure": "queries", **queries, "identical": identical}))
        self._server_time(pages, requests, multiple=10)

    def _server_time(
        self, pages: dict[str, tuple[Client, str]], requests: int, *, multiple: int
    ) -> None:
        timings: dict[str, list[float]] = {label: [] for label in pages}
        for _ in range(requests):  # interleaved, so drift on a shared machine hits all alike
            for label, (client, url) in pages.items():
                started = time.perf_counter()
                response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
                timings[label].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        figures = {
            label: {
                "median_ms": round(statistics.median(values), 1),
                "p95_ms": round(statistics.quantiles(values, n=20)[-1], 1),
            }
            for label, values in timings.items()
        }
        home = figures["home"]
        ratios = {
            f"ratio_{label}_to_home": {
                "median": round(figures[label]["median_ms"] / home["median_ms"], 2),
                "p95": round(figures[label]["p95_ms"] / home["p95_ms"], 2),
            }
            for label in pages
            if label != "home"
        }
        self.stdout.write(
            f"\nServer time, {multiple}x ({Council.objects.count()} councils), "
            f"{requests} requests a page:"
        )
        self.stdout.write(f"{'page':20} {'median ms':>10} {'p95 ms':>8} {'/ home':>14}")
        for label, values in figures.items():
            ratio = ratios.get(f"ratio_{label}_to_home")
            against = f"{ratio['median']:.2f} / {ratio['p95']:.2f}" if ratio else ""
            self.stdout.write(
                f"{label:20} {values['median_ms']:10.1f} {values['p95_ms']:8.1f} {against:>14}"
            )
        self.stdout.write(
            json.dumps(
                {
                    "measure": "server_time",
                    "multiple": multiple,
                    "councils": Council.objects.count(),
                    "requests": requests,
                    **figures,
                    **ratios,
                }
            )
        )

    def _print_transfers(self, transfers: list[dict[str, Any]]) -> None:
        self.stdout.write("\nTransfer (KB = 1,000 bytes; assets as WhiteNoise sends them):")
        for page in transfers:
            self.stdout.write(
                f"{page['page']}: HTML {page['html_bytes'] / KB:.1f} KB, sent "
                f"{page['html_sent_bytes'] / KB:.1f} KB ({page['html_encoding']}); first visit "
                f"{page['first_visit_kb']:.1f} KB (budget {page['budget_first_kb']}: "
                f"{'within' if page['within_first_budget'] else 'OVER'}), repeat visit "
                f"{page['repeat_visit_kb']:.1f} KB (budget {page['budget_repeat_kb']}: "
                f"{'within' if page['within_repeat_budget'] else 'OVER'}); without Brotli, "
                f"first visit {page['first_visit_kb_without_brotli']:.1f} KB"
            )
            for asset in sorted(page["assets"], key=lambda a: -a["bytes"]):
                checked = "" if asset["served_bytes"] == asset["bytes"] else " SIZE MISMATCH"
                self.stdout.write(
                    f"    {asset['bytes'] / KB:7.1f} KB {asset['encoding']:8} {asset['url']}"
                    f"{checked}"
                )
        for page in transfers:
            self.stdout.write(json.dumps({"measure": "transfer", **page}))
        assets = [a for page in transfers for a in page["assets"]]
        hashed = next(
            (a for a in sorted(assets, key=lambda a: -a["bytes"]) if _hashed(a["url"])), None
        )
        not_immutable = sorted({a["url"] for a in assets if "immutable" not in a["cache_control"]})
        if hashed:
            self.stdout.write(f"Cache-Control of {hashed['url']}: {hashed['cache_control']}")
        if not_immutable:
            self.stdout.write(f"Not cached as immutable (revalidated later): {not_immutable}")
        self.stdout.write(
            json.dumps(
                {
                    "measure": "static_cache",
                    "url": hashed["url"] if hashed else None,
                    "cache_control": hashed["cache_control"] if hashed else None,
                    "not_immutable": not_immutable,
                }
            )
        )


def _network() -> Network:
    """A regional partnership of 24 real councils, a third of them sharing by name."""
    network = Network.objects.create(name="Bench Partnership", slug="bench-partnership")
    members = list(Council.objects.filter(gss_code__regex=REAL_GSS).order_by("gss_code")[:24])
    network.members.set(members)
    NetworkSharing.objects.bulk_create(
        NetworkSharing(council=c, network=network, by_name=True) for c in members[::3]
    )
    return network


def _agree_answers(council: Council, latest: AssessmentRound) -> None:
    """Agreed answers for every question of the council's signed-off assessment, as a lead
    leaves them (the dashboard's next steps read them)."""
    assessment = Assessment.objects.get(council=council, round=latest)
    questions = Question.objects.filter(dimension__framework=latest.framework_id)
    AgreedAnswer.objects.bulk_create(
        AgreedAnswer(
            assessment=assessment,
            question=question,
            status=AnswerStatus.ANSWERED,
            level=1 + n % 5,
        )
        for n, question in enumerate(questions.order_by("dimension__order", "order"))
    )


def _rebuild(rounds: list[AssessmentRound]) -> None:
    """Results, then a release of them: pages show only released figures."""
    for round_ in rounds:
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _chosen_council(latest: AssessmentRound) -> tuple[Council, str]:
    """The first real English council signed off in `latest` whose default group and region
    group both publish figures (so the dashboard draws all its charts)."""
    candidates = (
        Council.objects.filter(
            signed_off_through("assessments"),
            gss_code__regex=REAL_GSS,
            nation=Nation.ENGLAND,
            assessments__round=latest,
        )
        .exclude(region="")
        .order_by("gss_code")
    )
    for council in candidates[:50]:
        region = PeerGroup.objects.filter(kind=PeerGroupKind.REGION, members=council).first()
        if region is None:
            continue
        if (
            council_dashboard(council).group_published
            and council_dashboard(council, group_slug=region.slug).group_published
        ):
            return council, region.slug
    raise CommandError("No real English council with published default and region groups.")


def _task_list(latest: AssessmentRound) -> tuple[Client, str]:
    """A lead's client and the task list of an assessment started in `latest` by a real council
    that has none in it yet."""
    council = (
        Council.objects.filter(gss_code__regex=REAL_GSS)
        .exclude(assessments__round=latest)
        .order_by("gss_code")
        .first()
    )
    assert council is not None
    lead = User.objects.create_user("bench-lead@example.com", "bench-password-1")
    CouncilMembership.objects.create(user=lead, council=council, role=CouncilRole.LEAD)
    assessment = assessment_services.assessment_start(council=council, round=latest, by=lead)
    client = Client()
    client.force_login(lead)
    return client, reverse("assessments:overview", args=[assessment.pk])


def _query_counts(pages: dict[str, tuple[Client, str]]) -> dict[str, int]:
    counts = {}
    for label, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[label] = len(captured)
    return counts


class _References(HTMLParser):
    """The static files an HTML page makes a browser fetch: (kind, address) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        rel = set((values.get("rel") or "").lower().split())
        href, src = values.get("href"), values.get("src")
        if tag == "link" and href and "stylesheet" in rel:
            self.found.append(("stylesheet", href))
        elif tag == "link" and href and "icon" in rel:
            self.found.append(("icon", href))
        elif tag == "script" and src:
            self.found.append(("module" if values.get("type") == "module" else "script", src))
        if tag == "script" and values.get("data-plotly"):
            # Fetched by charts.js only when a chart nears the screen; counted as if it were.
            self.found.append(("script near a chart", values["data-plotly"] or ""))


def _transfer(label: str, client: Client, url: str, static_root: Path) -> dict[str, Any]:
    plain = client.get(url)
    sent = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert plain.status_code == sent.status_code == 200, url
    html = plain.content.decode()
    parser = _References()
    parser.feed(html)
    assets = _assets(client, urljoin("http://testserver", url), parser.found, static_root)
    assets_bytes = sum(a.bytes for a in assets)
    without_brotli = sum((_on_disk(static_root, a.url, allow_brotli=False)[0]) for a in assets)
    budget_first = BUDGET_FIRST_KB.get(label, BUDGET_FIRST_OTHER_KB)
    first = (len(sent.content) + assets_bytes) / KB
    repeat = len(sent.content) / KB
    return {
        "page": label,
        "url": url,
        "html_bytes": len(plain.content),
        "html_sent_bytes": len(sent.content),
        "html_encoding": sent.get("Content-Encoding", "identity"),
        "assets": [asdict(a) for a in assets],
        "assets_bytes": assets_bytes,
        "first_visit_kb": round(first, 1),
        "repeat_visit_kb": round(repeat, 1),
        "first_visit_kb_without_brotli": round((len(sent.content) + without_brotli) / KB, 1),
        "budget_first_kb": budget_first,
        "budget_repeat_kb": BUDGET_REPEAT_KB,
        "within_first_budget": first <= budget_first,
        "within_repeat_budget": repeat <= BUDGET_REPEAT_KB,
    }


def _assets(
    client: Client, base: str, references: list[tuple[str, str]], static_root: Path
) -> list[Asset]:
    """Follow the page's references, and those in its CSS and module scripts, to static files."""
    queue = [(kind, urljoin(base, address)) for kind, address in references]
    seen: set[str] = set()
    assets = []
    while queue:
        kind, absolute = queue.pop(0)
        path = urlsplit(absolute).path
        if path in seen or not path.startswith(settings.STATIC_URL):
            continue
        seen.add(path)
        file = static_root / path.removeprefix(settings.STATIC_URL)
        if not file.is_file():
            continue
        size, encoding = _on_disk(static_root, path)
        response = client.get(path, HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
        served = int(response["Content-Length"])
        response.close()
        assets.append(
            Asset(
                url=path,
                kind=kind,
                bytes=size,
                encoding=encoding,
                served_bytes=served,
                cache_control=response.get("Cache-Control", ""),
            )
        )
        if kind == "stylesheet" or kind == "css url":
            text = file.read_text(errors="replace")
            for ref in CSS_URL.findall(text):
                if not ref.startswith(("data:", "#")):
                    queue.append(("css url", urljoin(absolute, ref)))
        elif kind == "module":
            text = file.read_text(errors="replace")
            for ref in JS_IMPORT.findall(text):
                if ref.startswith(("./", "../", "/")):
                    queue.append(("module", urljoin(absolute, ref)))
    return assets


def _on_disk(static_root: Path, path: str, *, allow_brotli: bool = True) -> tuple[int, str]:
    """The size WhiteNoise sends a browser for a collected file, and its encoding."""
    file = static_root / path.removeprefix(settings.STATIC_URL)
    suffixes = [".br", ".gz"] if allow_brotli else [".gz"]
    for suffix in suffixes:
        compressed = file.with_name(file.name + suffix)
        if compressed.is_file():
            return compressed.stat().st_size, suffix.removeprefix(".")
    if _precompressed(static_root):
        return file.stat().st_size, "identity"
    return len(gzip.compress(file.read_bytes(), compresslevel=9)), "gzip -9"


def _precompressed(static_root: Path) -> bool:
    return next(static_root.rglob("*.gz"), None) is not None


def _hashed(path: str) -> bool:
    return re.search(r"\.[0-9a-f]{12}\.[^./]+$", path) is not None
