"""For any stored result, every page and file that shows a group's figures shows the same
figures, or the same reason for withholding them and nothing else: not even the count.

Each consumer's output is read back into a "view", {statistic: text} in the CSV's names (the
canonical form, `benchmarks.figures.statistic_rows`), and compared with the stored row. The
PDFs are read as the HTML they are printed from, with the charts left undrawn: what they
print is that page, and Chromium would make every example take seconds.
"""

import csv
import io
import json
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessments.tests.factories import AssessmentRoundFactory, scored_assessment, small_framework
from benchmarks import release_cache
from benchmarks.figures import (
    FIGURE_HEADINGS,
    FIGURES,
    LEVELS,
    GroupFigures,
    statistic_rows,
    withheld_plain,
    withheld_words,
)
from benchmarks.models import PeerGroup, PeerGroupKind, PublishedSet, Release, ReleasedResult
from benchmarks.publication import OVERLAP, TOO_SMALL
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild, min_group_size
from benchmarks.statistics import summarise
from benchmarks.tests.factories import make_group
from reports import open_data
from reports.council_report import council_report_html, member_briefing_html
from reports.sector import ALL_UK, sector_csv_rows, sector_data, sector_report_html
from reports.sector import write_sector_xlsx as write_xlsx

K = 3
OVERALL = "Overall score"
ENGLAND = "Councils in England"
View = dict[str, str | None]


@pytest.fixture
def scene(personas, settings):
    """Council A, signed off in one round of a one-dimension framework, in three groups (all
    UK, England, the personas' network), whose released results each example overwrites."""
    settings.BENCHMARK_MIN_GROUP = K
    framework = small_framework(dimensions=1, questions=1)
    round_ = AssessmentRoundFactory(framework=framework)
    a = personas.council_a
    scored_assessment(council=a, round=round_, scores={framework.dimensions.get(): "3.0"})
    make_group("all", PeerGroupKind.ALL, [a], name=ALL_UK)
    make_group("nation-england", PeerGroupKind.NATION, [a], name=ENGLAND)
    PeerGroup.objects.create(
        slug="network-ne",
        name=personas.network.name,
        kind=PeerGroupKind.NETWORK,
        network=personas.network,
    ).members.set([a])
    benchmarks_rebuild(round_id=round_.pk)
    release = release_make(round_id=round_.pk)
    # A released figure names the set of scores it was published from; the examples' figures
    # are made up, so they all name this one (A's score: what the groups really hold).
    published_set = PublishedSet.objects.create(
        round=round_,
        members=[[a.pk, "3.0"]],
        digest="test-group-figures",
        first_release=release,
    )
    return {"round": round_, "network": personas.network, "published_set": published_set}


def store(scene, values: list[Decimal], overlap: bool) -> GroupFigures:
    """Every result of the round's current release becomes what a release would store for these
    scores (withheld for overlap if asked), its real count included; returns the figures the
    pages may show. Pages and files read the release, never the live results."""
    figures = summarise(values, min_group=K)
    if overlap and figures.published:
        figures = GroupFigures(reason=OVERLAP)
    # Rewritten in place, as no release ever is: what pages cached from the last example is
    # forgotten here, as a real release makes them forget (benchmarks.release_cache).
    release_cache.moved_on()
    ReleasedResult.objects.current().filter(round=scene["round"]).update(
        published_set=None if figures.suppressed else scene["published_set"],
        as_of=None if figures.suppressed else timezone.now(),
        councils=len(values),
        suppressed=figures.suppressed,
        suppression_reason=figures.reason,
        level_counts=(
            None
            if figures.level_counts is None
            else {str(level): n for level, n in figures.level_counts.items()}
        ),
        distribution=None,
        **{name: getattr(figures, name) for name in FIGURES},
    )
    return figures


# Reading each consumer back -------------------------------------------------------------------


class _Tables(HTMLParser):
    """{caption: [[cell text, ...] per row]} of a page's tables."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = ""
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("caption", "th", "td"):
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "td") and self._text is not None:
            text = " ".join("".join(self._text).split())
            self._text = None
            if tag == "caption":
                self._caption = text
                self.tables[text] = []
            elif self._row is not None:
                self._row.append(text)
        elif tag == "tr" and self._row is not None:
            self.tables.setdefault(self._caption, []).append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _row(html: str, caption: str, name: str) -> list[str]:
    tables = _Tables(html).tables
    (found,) = [rows for title, rows in tables.items() if title.startswith(caption)]
    (row,) = [row for row in found if row[0] == name]
    return row[1:]


def _withheld(text: str) -> View:
    return {"suppressed": text.lower()}


def _pair(first: str, second: str, text: str) -> View:
    """ "2.00 to 3.00" as two figures; a sentence saying they are not shown as neither."""
    if " to " in text and not text.startswith("Not shown"):
        low, high = text.split(" to ")
        return {first: low, second: high}
    return {first: None, second: None}


def _counts(html: str) -> View:
    """The group's count where a page states it in words."""
    found = set(re.findall(r", (\d+) councils that have signed off", html))
    found |= set(re.findall(r"Among (\d+) similar councils", html))
    assert len(found) <= 1, found
    return {"councils": found.pop()} if found else {}


def council_dashboard_view(client: Client, personas) -> View:
    client.force_login(personas.executive_a)
    page = reverse("benchmarks:council", args=[personas.council_a.gss_code]) + "?group=all"
    html = client.get(page).content.decode()
    view = _counts(html)
    (label,) = re.findall(rf"{ALL_UK} \(([^)]*)\)", html)
    view |= {"councils": label.split()[0]} if label[0].isdigit() else _withheld(label)
    return view | _subject_row(_row(html, "Scores by barrier", OVERALL))


def _subject_row(cells: list[str]) -> View:
    """The dashboard's results row (benchmarks/_subject_row.html), after the council's score."""
    if len(cells) == 2:
        return _withheld(cells[1])
    median, middle, extremes, _position = cells[1:]
    return {"median": median} | _pair("q1", "q3", middle) | _pair("p10", "p90", extremes)


def network_dashboard_view(client: Client, personas, network) -> View:
    client.force_login(personas.analyst)
    html = client.get(reverse("benchmarks:network", args=[network.slug])).content.decode()
    cells = _row(html, "Member councils' scores by barrier", OVERALL)
    if len(cells) == 1:
        return _withheld(cells[0])
    councils, mean, median, middle, extremes = cells
    return (
        {"councils": councils, "mean": mean, "median": median}
        | _pair("q1", "q3", middle)
        | _pair("p10", "p90", extremes)
    )


def council_report_view(personas) -> View:
    html = council_report_html(
        council_id=personas.council_a.pk, group_slug="all", draw=lambda figure, **size: "<svg/>"
    )
    return _counts(html) | _subject_row(_row(html, "Scores by barrier", OVERALL))


def member_briefing_view(personas) -> View:
    html = unescape(member_briefing_html(council_id=personas.council_a.pk, group_slug="all"))
    view = _counts(html)
    median = re.findall(r"the middle score was (\d\.\d\d)", html)
    view |= {"median": median[0]} if median else {}
    for reason in (TOO_SMALL, OVERLAP):
        if withheld_plain(reason) in html:
            view |= _withheld(withheld_words(reason, K))
    return view


def sector_pdf_view(data) -> View:
    html = sector_report_html(data, draw=lambda figure: "<svg/>")
    cells = _row(html, "Scores from 1", OVERALL)
    levels = _row(html, "Councils at each level", OVERALL)
    if len(cells) == 1:
        assert levels == cells
        view = _withheld(cells[0])
    else:
        councils, mean, median, middle, outer, extremes = cells
        view = (
            {"councils": councils, "mean": mean, "median": median}
            | _pair("q1", "q3", middle)
            | _pair("p10", "p90", outer)
            | _pair("minimum", "maximum", extremes)
        )
        view |= {f"level_{level}": n for level, n in zip(LEVELS, levels, strict=True)}
    if not data.is_network:
        # The breakdown table gives each group's median, or a code for why not.
        (cell,) = _row(html, "Median score by group", ENGLAND)[-1:]
        codes = {"[low]": TOO_SMALL, "[c]": OVERLAP}
        breakdown = _withheld(withheld_words(codes[cell], K)) if cell in codes else {"median": cell}
        assert {k: view.get(k) for k in breakdown} == breakdown
    return view


def _xlsx_view(header: tuple, row: tuple) -> View:
    headings = {
        "Councils": "councils",
        **{heading: name for name, heading in FIGURE_HEADINGS.items()},
        **{f"Councils at level {level}": f"level_{level}" for level in LEVELS},
    }
    view: View = {}
    for heading, value in zip(header, row, strict=True):
        if heading == "Figures withheld" and value is not None:
            view |= _withheld(value)
        elif heading in headings and value is not None:
            name = headings[heading]
            view[name] = str(value) if name == "councils" or "level" in name else f"{value:.2f}"
    return view


def sector_xlsx_views(data, tmp_path) -> list[View]:
    path = tmp_path / "sector.xlsx"
    write_xlsx(data, path)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(path)}
    header, *rows = sheets["By barrier"]
    views = [_xlsx_view(header, row) for row in rows if row[0] == "overall"]
    if not data.is_network:
        header, *rows = sheets["Groups"]
        views += [_xlsx_view(header, row) for row in rows if row[3] == OVERALL]
    return views


def sector_csv_views(data) -> list[View]:
    by_group: dict[str, View] = {}
    for *_, group, _kind, dimension, statistic, value in list(sector_csv_rows(data))[1:]:
        if dimension == OVERALL:
            by_group.setdefault(group, {})[statistic] = value
    return list(by_group.values())


def open_data_views(round_) -> list[View]:
    by_group: dict[str, View] = {}
    release = Release.objects.get(round=round_, current=True)
    head = open_data.EditionHead(
        round_slug=round_.slug,
        round_name=round_.name,
        number=1,
        published_at=release.made_at,
        release_number=release.number,
        release_made_at=release.made_at,
        correction="",
    )
    rows = open_data.release_rows(ReleasedResult.objects, release.pk)
    files = open_data.render(head, rows, min_group=min_group_size())
    for row in csv.DictReader(io.StringIO(files.csv.decode())):
        if row["dimension"] == OVERALL:
            by_group.setdefault(row["group"], {})[row["statistic"]] = row["value"]
    document = json.loads(files.json)
    for entry in document["results"]:
        if entry["dimension"] != OVERALL:
            continue
        view: View = {}
        for key, value in entry.items():
            if key == "withheld":
                view |= _withheld(value)
            elif isinstance(value, float):
                view[key] = f"{value:.2f}"
            elif isinstance(value, int):
                view[key] = str(value)
        by_group["json " + entry["group"]] = view
    return list(by_group.values())


# The property ---------------------------------------------------------------------------------

scores = st.integers(min_value=10, max_value=50).map(lambda tenths: Decimal(tenths) / 10)


@settings(
    max_examples=40,
    # The scene is built once for all examples; each example overwrites its stored results.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(values=st.lists(scores, max_size=2 * K + 4), overlap=st.booleans())
@example(values=[], overlap=False)  # no council: too small, count 0
@example(values=[Decimal("2.0")] * (K - 1), overlap=False)  # too small
@example(values=[Decimal("2.0"), Decimal("4.5"), Decimal("3.1")], overlap=False)  # no extremes
@example(values=[Decimal(n) / 2 for n in range(2, 2 + 2 * K)], overlap=False)  # every figure
@example(values=[Decimal("3.0")] * (2 * K), overlap=True)  # withheld though big enough
def test_every_consumer_shows_the_stored_figures_or_the_same_reason_and_no_count(
    client, personas, scene, tmp_path, values, overlap
):
    round_ = scene["round"]
    figures = store(scene, values, overlap)
    canonical = dict(statistic_rows(figures, K))
    uk = sector_data(round_id=round_.pk, network_id=None)
    network = sector_data(round_id=round_.pk, network_id=scene["network"].pk)

    views = {
        "council dashboard": [council_dashboard_view(client, personas)],
        "network dashboard": [network_dashboard_view(client, personas, scene["network"])],
        "council report": [council_report_view(personas)],
        "members' briefing": [member_briefing_view(personas)],
        "sector PDF": [sector_pdf_view(uk), sector_pdf_view(network)],
        "sector XLSX": sector_xlsx_views(uk, tmp_path) + sector_xlsx_views(network, tmp_path),
        "sector CSV": sector_csv_views(uk) + sector_csv_views(network),
        "open data": open_data_views(round_),
    }

    for consumer, found in views.items():
        assert found, consumer
        for view in found:
            assert view, consumer
            # Every figure shown is the stored one (None: said not to be shown, as stored)...
            assert {name: canonical.get(name) for name in view} == view, consumer
            # ...and a withheld result shows its reason and nothing else, the count included.
            if figures.suppressed:
                assert view == canonical, consumer
