"""The sector report (PDF, XLSX, CSV) for a network and for the whole UK: the right published
figures, never a suppressed one, councils named only with their consent to that network (never
in the UK-wide report), and text cells that spreadsheets cannot run as formulas."""

import csv
import datetime
import inspect
import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessments.models import AssessmentStatus
from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
    two_rounds,
)
from benchmarks.figures import FIGURES, GroupFigures
from benchmarks.models import PeerGroup, PeerGroupKind, ReleasedResult
from benchmarks.network_dashboard import Cell, Column, network_dashboard
from benchmarks.publication import OVERLAP, TOO_SMALL
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.statistics import summarise
from benchmarks.tests.factories import make_group
from councils.models import CouncilType, Nation, NetworkSharing
from councils.tests.factories import CouncilFactory, NetworkFactory
from reports.sector import (
    ALL_UK,
    CSV_HEADER,
    PooledRow,
    RoundInfo,
    SectorData,
    SubjectFigures,
    build_sector_pdf,
    neutralise,
    sector_csv_rows,
    sector_data,
    write_sector_csv,
    write_sector_xlsx,
)

K = 3
HOSTILE_COUNCIL = '=HYPERLINK("http://evil.example/","Click me")'
HOSTILE_NETWORK = "@SUM(1) network"
MINUS_COUNCIL = "-Minus Council"

# (dimension 1, dimension 2) in the latest round; the earlier round is derived from these.
LATEST = {
    "A": ("2.0", "4.0"),
    "B": ("3.0", "3.0"),
    "E1": ("1.0", "2.0"),
    "E2": ("3.5", "3.5"),
    "E3": ("4.0", "1.5"),
    "E4": ("2.5", "2.5"),
    "E5": ("4.5", "4.0"),
    "E6": ("5.0", "5.0"),
    "W1": ("1.1", "1.3"),
    "W2": ("4.8", "4.6"),
    "S1": ("1.5", "3.0"),
    "S2": ("3.2", "2.2"),
    "S3": ("2.7", "3.6"),
}


def _earlier(score: str, shift: str) -> str:
    return str(min(Decimal(5), max(Decimal(1), Decimal(score) + Decimal(shift))))


@pytest.fixture
def sector(personas, settings):
    """k = 3. Thirteen councils: eight English (A, B, E1..E6), two Welsh, three Scottish; two
    rounds of one framework. Groups: all (13, published); nations (England 8 and Scotland 3
    published, Wales 2 too small); types (unitary: England without E6, one away from England,
    so withheld for overlap; Scottish 3 published; Welsh 2 too small); the personas' network
    (A, B, E1, E2, E3 and the Scots, published) where A and E1 (with a formula for a name)
    share by name and B does not; and a network named like a formula (the two Welsh councils,
    too small) where W1 (named with a leading minus) shares by name."""
    settings.BENCHMARK_MIN_GROUP = K
    framework = FrameworkFactory()
    dimensions = [
        DimensionFactory(framework=framework, code="LEAD", name="Leadership and strategy", order=1),
        DimensionFactory(framework=framework, code="DATA", name="Data sharing and use", order=2),
    ]
    earlier, latest = two_rounds(framework)

    def council(key, **fields):
        return CouncilFactory(name=f"Council {key}", short_name=f"Short {key}", **fields)

    c = {"A": personas.council_a, "B": personas.council_b}
    for n in range(1, 7):
        c[f"E{n}"] = council(f"E{n}", gss_code=f"E0600010{n}")
    c["E1"].name = HOSTILE_COUNCIL
    c["E1"].save()
    for n in (1, 2):
        c[f"W{n}"] = council(
            f"W{n}",
            gss_code=f"W0600000{n}",
            nation=Nation.WALES,
            council_type=CouncilType.WELSH_UNITARY,
            region="Wales",
        )
    c["W1"].name = MINUS_COUNCIL
    c["W1"].save()
    for n in (1, 2, 3):
        c[f"S{n}"] = council(
            f"S{n}",
            gss_code=f"S1200000{n}",
            nation=Nation.SCOTLAND,
            council_type=CouncilType.SCOTTISH_UNITARY,
            region="Scotland",
        )
    for key, (first, second) in LATEST.items():
        scored_assessment(
            council=c[key], round=latest, scores={dimensions[0]: first, dimensions[1]: second}
        )
        scored_assessment(
            council=c[key],
            round=earlier,
            scores={dimensions[0]: _earlier(first, "-0.5"), dimensions[1]: _earlier(second, "0.2")},
        )

    english = [c[f"E{n}"] for n in range(1, 7)] + [c["A"], c["B"]]
    welsh, scottish = [c["W1"], c["W2"]], [c["S1"], c["S2"], c["S3"]]
    network = personas.network
    network.members.add(c["E1"], c["E2"], c["E3"], *scottish)
    hostile = NetworkFactory(name=HOSTILE_NETWORK, slug="hostile", members=welsh)
    NetworkSharing.objects.create(council=c["A"], network=network, by_name=True)
    NetworkSharing.objects.create(council=c["E1"], network=network, by_name=True)
    NetworkSharing.objects.create(council=c["B"], network=network, by_name=False)
    NetworkSharing.objects.create(council=c["W1"], network=hostile, by_name=True)

    groups = {
        "all": make_group("all", PeerGroupKind.ALL, list(c.values()), name=ALL_UK),
        "england": make_group(
            "nation-england", PeerGroupKind.NATION, english, name="Councils in England"
        ),
        "wales": make_group("nation-wales", PeerGroupKind.NATION, welsh, name="Councils in Wales"),
        "scotland": make_group(
            "nation-scotland", PeerGroupKind.NATION, scottish, name="Councils in Scotland"
        ),
        "unitary": make_group(
            "type-unitary",
            PeerGroupKind.COUNCIL_TYPE,
            [x for x in english if x != c["E6"]],
            name="Council type: Unitary authority",
        ),
        "scottish": make_group(
            "type-scottish-unitary",
            PeerGroupKind.COUNCIL_TYPE,
            scottish,
            name="Council type: Scottish council",
        ),
        "welsh": make_group(
            "type-welsh-unitary",
            PeerGroupKind.COUNCIL_TYPE,
            welsh,
            name="Council type: Welsh principal council",
        ),
    }
    for key, net in (("network", network), ("hostile", hostile)):
        group = PeerGroup.objects.create(
            slug=f"network-{net.slug}", name=net.name, kind=PeerGroupKind.NETWORK, network=net
        )
        group.members.set(net.members.all())
        groups[key] = group
    for round_ in (earlier, latest):
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)
    return {
        "latest": latest,
        "earlier": earlier,
        "dimensions": dimensions,
        "councils": c,
        "groups": groups,
        "network": network,
        "hostile": hostile,
    }


# Helpers --------------------------------------------------------------------------------------


def _result(sector, group, dimension, round_key="latest"):
    """The group's figures in the round's current release: what the report reads."""
    return ReleasedResult.objects.current().get(
        round=sector[round_key], peer_group=sector["groups"][group], dimension=dimension
    )


def _true_figures(sector, group) -> set[Decimal]:
    """Every figure the group would have if nothing were withheld, from the scores themselves,
    for each subject: what must never appear for a suppressed group."""
    members = set(sector["groups"][group].members.values_list("pk", flat=True))
    keys = [k for k, council in sector["councils"].items() if council.pk in members]
    found: set[Decimal] = set()
    per_dimension = [[Decimal(LATEST[k][i]) for k in keys] for i in (0, 1)]
    overall = [(Decimal(LATEST[k][0]) + Decimal(LATEST[k][1])) / 2 for k in keys]
    for values in (*per_dimension, overall):
        summary = summarise(values, min_group=1)
        found |= {getattr(summary, name) for name in FIGURES} - {None}
    return found


def _withheld_figures(sector, group, data) -> set[Decimal]:
    """The suppressed group's true figures that no published figure happens to equal (those
    say nothing about the group): what the outputs must not contain. Never empty here."""
    published: set[Decimal] = set()
    for row in ReleasedResult.objects.current().published().values(*FIGURES):
        published |= set(row.values()) - {None}
    for council in data.named:
        published |= set(council.scores) - {None}
    if data.pooled is not None:
        published |= {cell.score for cell in data.pooled.cells} - {None}
    found = _true_figures(sector, group) - {v.quantize(Decimal("0.01")) for v in published}
    assert found, group
    return found


def _xlsx(data, tmp_path) -> dict[str, list[tuple]]:
    path = tmp_path / "report.xlsx"
    write_sector_xlsx(data, path)
    workbook = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def _csv(data) -> list[list[str]]:
    out = io.StringIO(newline="")
    write_sector_csv(data, out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def _pdf_text(data, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(build_sector_pdf(data))
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _all_text(data, tmp_path) -> str:
    """Everything the three outputs say, as one text."""
    cells = [str(v) for rows in _xlsx(data, tmp_path).values() for row in rows for v in row]
    csv_cells = [cell for row in _csv(data) for cell in row]
    return "\n".join([*cells, *csv_cells, _pdf_text(data, tmp_path)])


def _numbers(sheets) -> set[Decimal]:
    """Every number in the workbook but the counts (whole numbers stored as integers)."""
    return {
        Decimal(str(v)).quantize(Decimal("0.01"))
        for rows in sheets.values()
        for row in rows
        for v in row
        if isinstance(v, float)
    }


# The data -------------------------------------------------------------------------------------


def test_the_fixture_has_published_and_suppressed_groups(sector):
    dimension = sector["dimensions"][0]
    assert not _result(sector, "all", dimension).suppressed
    assert not _result(sector, "network", dimension).suppressed
    assert _result(sector, "wales", dimension).suppression_reason == TOO_SMALL
    assert _result(sector, "unitary", dimension).suppression_reason == OVERLAP
    assert _result(sector, "hostile", dimension).suppression_reason == TOO_SMALL


def test_all_uk_data_is_read_in_a_fixed_number_of_queries(sector):
    with CaptureQueriesContext(connection) as queries:
        data = sector_data(round_id=sector["latest"].pk, network_id=None)
    assert len(queries) == 6
    assert (data.scope, data.signed_off, data.eligible) == (ALL_UK, 13, 13)
    assert data.previous is not None and data.previous.pk == sector["earlier"].pk
    assert data.named == [] and data.pooled is None
    assert [g.name for g in data.groups] == [
        "Councils in England",
        "Councils in Scotland",
        "Councils in Wales",
        "Council type: Scottish council",
        "Council type: Unitary authority",
        "Council type: Welsh principal council",
    ]


def test_network_data_names_only_councils_sharing_by_name(sector):
    with CaptureQueriesContext(connection) as queries:
        data = sector_data(round_id=sector["latest"].pk, network_id=sector["network"].pk)
    # 9, plus 1 for the scores the release counted in the network's group (the pool is made
    # of those) and 1 (not 3) for the pooled check: every released public set in one query,
    # and 1 for the planned targets (no snapshot yet, so no barrier names to read).
    assert len(queries) == 12
    assert (data.scope, data.signed_off, data.eligible) == (sector["network"].name, 8, 8)
    assert [(c.name, c.gss_code) for c in data.named] == [
        (HOSTILE_COUNCIL, sector["councils"]["E1"].gss_code),
        ("Hartlepool Borough Council", "E06000001"),
    ]
    assert data.named[1].scores == [Decimal("2.0"), Decimal("4.0"), Decimal("3.0")]
    # The pooled row is the network dashboard's, cell for cell.
    dashboard = network_dashboard(sector["network"], round_slug=sector["latest"].slug)
    assert dashboard.pooled_row is not None and data.pooled is not None
    assert data.pooled.label == dashboard.pooled_row.label
    assert data.pooled.cells == dashboard.pooled_row.cells
    assert data.pooled.councils == 6
    assert all(cell.score is not None for cell in data.pooled.cells)
    assert data.groups == []


def test_suppressed_results_carry_only_their_reason(sector):
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["hostile"].pk)
    for figures in data.figures:
        assert figures.current == GroupFigures(reason=TOO_SMALL)
    # No pool at all: it is made of the scores the release counted in the network's group,
    # and the withheld group counted none, so W2's score is in no figure (W1 is named).
    assert data.pooled is None
    assert [c.name for c in data.named] == [MINUS_COUNCIL]


def test_change_compares_medians_by_dimension_code_across_framework_versions(sector):
    newer = FrameworkFactory(version=sector["latest"].framework.version + 1)
    DimensionFactory(framework=newer, code="NEW", name="A new barrier", order=1)
    DimensionFactory(framework=newer, code="DATA", name="Data sharing and use", order=2)
    later = AssessmentRoundFactory(
        framework=newer,
        name="2027 to 2028",
        slug="2027-2028",
        opens_on=datetime.date(2027, 4, 1),
        closes_on=datetime.date(2028, 3, 31),
    )
    benchmarks_rebuild(round_id=later.pk)
    release_make(round_id=later.pk)

    data = sector_data(round_id=later.pk, network_id=None)

    assert [f.subject.code for f in data.figures] == ["NEW", "DATA", "overall"]
    new, same, overall = data.figures
    assert new.previous is None
    earlier_data = _result(sector, "all", sector["dimensions"][1])
    assert same.previous is not None and same.previous.median == earlier_data.median
    assert overall.previous is not None


# CSV ------------------------------------------------------------------------------------------


def test_csv_rows_are_a_generator_that_starts_with_the_header(sector):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)
    rows = sector_csv_rows(data)
    assert inspect.isgenerator(rows)
    assert next(rows) == list(CSV_HEADER)


def test_csv_is_written_row_by_row(sector):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)

    class CountingStream(io.StringIO):
        writes = 0

        def write(self, text):
            self.writes += 1
            return super().write(text)

    out = CountingStream()
    write_sector_csv(data, out)
    assert out.writes == len(list(sector_csv_rows(data))) > 10


def test_csv_holds_the_published_figures_and_only_the_reason_for_suppressed_groups(sector):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)
    rows = _csv(data)
    assert rows[0] == list(CSV_HEADER)
    by_key = {}
    for round_name, scope, group, kind, dimension, statistic, value in rows[1:]:
        assert (round_name, scope) == ("2026 to 2027", ALL_UK)
        by_key.setdefault((group, kind, dimension), {})[statistic] = value

    lead = sector["dimensions"][0]
    expected = _result(sector, "all", lead)
    published = by_key[(ALL_UK, "all", "Leadership and strategy")]
    assert published["councils"] == "13"
    for name in FIGURES:
        assert published[name] == f"{getattr(expected, name):.2f}"
    for level in range(1, 6):
        assert published[f"level_{level}"] == str(expected.level_counts[str(level)])

    # England has 8 councils: fewer than 2k = 6? No, 8 >= 6, so every figure is there; the
    # Scottish group (3 < 6) has no percentiles, minimum or maximum.
    scotland = by_key[("Councils in Scotland", "nation", "Data sharing and use")]
    assert set(scotland) == {"councils", "mean", "median", "q1", "q3"} | {
        f"level_{n}" for n in range(1, 6)
    }

    assert by_key[("Councils in Wales", "nation", "Leadership and strategy")] == {
        "suppressed": "fewer than 3 councils"
    }
    assert by_key[("Council type: Unitary authority", "council_type", "Overall score")] == {
        "suppressed": "withheld to protect individual councils"
    }
    # No figure of a suppressed group anywhere in the file.
    values = {value for row in rows[1:] for value in row[6:]}
    for group in ("wales", "welsh", "unitary"):
        for figure in _withheld_figures(sector, group, data):
            assert f"{figure:.2f}" not in values, (group, figure)
    # Every number is non-negative, so neutralising never touches one.
    assert not any(value.startswith("-") for value in values)


def test_network_csv_has_the_network_group_only(sector):
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["network"].pk)
    rows = _csv(data)
    assert {(row[2], row[3]) for row in rows[1:]} == {(sector["network"].name, "network")}
    assert {row[4] for row in rows[1:]} == {
        "Leadership and strategy",
        "Data sharing and use",
        "Overall score",
    }


# XLSX -----------------------------------------------------------------------------------------


def test_xlsx_by_dimension_matches_the_stored_results(sector, tmp_path):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)
    sheets = _xlsx(data, tmp_path)
    assert list(sheets) == [
        "Summary",
        "By barrier",
        "Councils sharing by name",
        "Groups",
        "Notes",
    ]

    header, *rows = sheets["By barrier"]
    column = {name: i for i, name in enumerate(header)}
    subjects = [*sector["dimensions"], None]
    assert [row[0] for row in rows] == ["LEAD", "DATA", "overall"]
    for row, dimension in zip(rows, subjects, strict=True):
        result = _result(sector, "all", dimension)
        before = _result(sector, "all", dimension, "earlier")
        assert row[column["Figures withheld"]] is None
        assert row[column["Councils"]] == result.councils == 13
        for name, heading in (
            ("mean", "Mean"),
            ("median", "Median"),
            ("q1", "Lower quartile"),
            ("q3", "Upper quartile"),
            ("p10", "10th percentile"),
            ("p90", "90th percentile"),
            ("minimum", "Minimum"),
            ("maximum", "Maximum"),
        ):
            assert Decimal(str(row[column[heading]])) == getattr(result, name), heading
        for level in range(1, 6):
            assert row[column[f"Councils at level {level}"]] == result.level_counts[str(level)]
        assert Decimal(str(row[column["Median in the previous round"]])) == before.median
        change = row[column["Change in median since the previous round"]]
        assert isinstance(change, float)  # a number, not text: negative changes stay numbers
        assert Decimal(str(change)) == result.median - before.median

    summary = dict((row[0], row[1]) for row in sheets["Summary"])
    assert summary["Scope"] == ALL_UK
    assert summary["Round"] == "2026 to 2027"
    assert summary["Previous round"] == "2025 to 2026"
    assert summary["Councils signed off"] == 13
    assert summary["Councils in the register"] == 13
    assert summary["Minimum group size"] == K


def test_xlsx_groups_sheet_matches_the_stored_results_and_withholds_suppressed_ones(
    sector, tmp_path
):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)
    header, *rows = _xlsx(data, tmp_path)["Groups"]
    column = {name: i for i, name in enumerate(header)}
    figure_columns = header[column["Councils"] :]
    by_name = {"Councils in England": "england", "Councils in Scotland": "scotland"}
    by_name |= {"Councils in Wales": "wales", "Council type: Unitary authority": "unitary"}
    by_name |= {
        "Council type: Scottish council": "scottish",
        "Council type: Welsh principal council": "welsh",
    }
    dimensions = {"LEAD": sector["dimensions"][0], "DATA": sector["dimensions"][1], "overall": None}
    assert len(rows) == 6 * 3
    for row in rows:
        result = _result(sector, by_name[row[0]], dimensions[row[column["Code"]]])
        if result.suppressed:
            assert row[column["Figures withheld"]] == (
                "fewer than 3 councils"
                if result.suppression_reason == TOO_SMALL
                else "withheld to protect individual councils"
            )
            assert all(row[column[name]] is None for name in figure_columns), row
        else:
            assert row[column["Councils"]] == result.councils
            assert Decimal(str(row[column["Median"]])) == result.median
            assert Decimal(str(row[column["Mean"]])) == result.mean
            p10 = row[column["10th percentile"]]
            assert (None if p10 is None else Decimal(str(p10))) == result.p10


@pytest.mark.parametrize("scope", ["all", "network", "hostile"])
def test_xlsx_holds_no_figure_of_a_suppressed_group(sector, tmp_path, scope):
    network_id = None if scope == "all" else sector[scope].pk
    data = sector_data(round_id=sector["latest"].pk, network_id=network_id)
    numbers = _numbers(_xlsx(data, tmp_path))
    for group in ("wales", "welsh", "unitary", "hostile"):
        assert not numbers & _withheld_figures(sector, group, data), group


def test_xlsx_names_councils_sharing_by_name_and_the_pool(sector, tmp_path):
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["network"].pk)
    header, *rows = _xlsx(data, tmp_path)["Councils sharing by name"]
    assert header == (
        "Council",
        "GSS code",
        "Leadership and strategy",
        "Data sharing and use",
        "Overall score",
    )
    e1 = sector["councils"]["E1"]
    assert rows[0] == ("'" + HOSTILE_COUNCIL, e1.gss_code, 1, 2, 1.5)
    assert rows[1] == ("Hartlepool Borough Council", "E06000001", 2, 4, 3)
    pooled = data.pooled
    assert pooled is not None
    assert rows[2][0] == "Other member councils (6)"
    assert [Decimal(str(v)) for v in rows[2][2:]] == [cell.score for cell in pooled.cells]
    assert len(rows) == 3


def test_xlsx_withheld_pooled_cells_say_why(sector, tmp_path):
    # A pooled row is made only of released scores, so the fixture has no withheld one (the
    # hostile network's group counted none: no pool); the writer is checked on a made-up one.
    header, *rows = _xlsx(_hand_made("Network", "x"), tmp_path)["Councils sharing by name"]
    assert rows[0] == (
        "Other member councils (5)",
        None,
        *["withheld to protect individual councils"] * 2,
    )
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["hostile"].pk)
    header, *rows = _xlsx(data, tmp_path)["Councils sharing by name"]
    assert [row[0] for row in rows] == ["'" + MINUS_COUNCIL]


# Who is named ---------------------------------------------------------------------------------


def test_a_council_not_sharing_by_name_never_appears(sector, tmp_path, chromium, poppler):
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["network"].pk)
    text = _all_text(data, tmp_path)
    assert "Hartlepool Borough Council" in text  # shares by name
    b = sector["councils"]["B"]
    for hidden in (b.name, b.short_name, b.gss_code):
        assert hidden not in text
    # Nor any other member that does not share, nor a council outside the network.
    for key in ("E2", "E3", "E4", "S1"):
        council = sector["councils"][key]
        assert council.name not in text and council.gss_code not in text


def test_the_uk_wide_report_names_no_council(sector, tmp_path, chromium, poppler):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)
    text = _all_text(data, tmp_path)
    for council in sector["councils"].values():
        for hidden in (council.name, council.short_name, council.gss_code):
            assert hidden not in text, hidden
    assert "Councils are not named in the UK-wide report" in text


# PDF ------------------------------------------------------------------------------------------


def test_pdf_states_participation_and_each_dimension_median(sector, tmp_path, chromium, poppler):
    data = sector_data(round_id=sector["latest"].pk, network_id=None)
    text = _pdf_text(data, tmp_path)
    assert "13 of the 13 councils in the UK register (100.0%) signed off" in text
    for dimension in (*sector["dimensions"], None):
        result = _result(sector, "all", dimension)
        assert f"{result.median:.2f}" in text
    assert "Leadership and strategy" in text and "Data sharing and use" in text
    assert "Page 1 of" in text
    assert "Councils in Wales" in text  # the breakdown, withheld
    assert "[low]" in text


def test_network_pdf_states_participation_and_withholds_suppressed_figures(
    sector, tmp_path, chromium, poppler
):
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["hostile"].pk)
    text = _pdf_text(data, tmp_path)
    assert f"2 of the 2 member councils of {HOSTILE_NETWORK} (100.0%) signed off" in text
    assert "Fewer than 3 councils" in text
    assert MINUS_COUNCIL in text
    w2 = sector["councils"]["W2"]
    assert w2.name not in text and w2.gss_code not in text
    # W1's own scores are shown by its consent; the group's figures are not.
    for figure in _withheld_figures(sector, "hostile", data):
        assert f"{figure:.2f}" not in text, figure


# Neutralisation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-0.25", "'-0.25"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Plain = text", "Plain = text"),
        ("3.50", "3.50"),
        ("", ""),
        ("'=already", "'=already"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def _hand_made(scope: str, council: str) -> SectorData:
    """SectorData without a database, with text in every place a name can reach."""
    subject = Column(1, "LEAD", "+Leadership")
    overall = Column(None, "overall", "Overall score")
    stats = GroupFigures(
        councils=5,
        mean=Decimal("2.50"),
        median=Decimal("2.40"),
        q1=Decimal("2.00"),
        q3=Decimal("3.00"),
        level_counts={1: 0, 2: 2, 3: 2, 4: 1, 5: 0},
    )
    before = GroupFigures(councils=5, median=Decimal("2.90"))
    return SectorData(
        scope=scope,
        scope_kind=PeerGroupKind.NETWORK,
        network_id=1,
        round=RoundInfo(1, "r", "\rRound", 1, datetime.date(2026, 4, 1)),
        previous=RoundInfo(2, "p", "-Previous", 1, datetime.date(2025, 4, 1)),
        signed_off=5,
        eligible=6,
        min_group=K,
        generated_on=datetime.date(2026, 11, 21),
        subjects=[subject, overall],
        figures=[
            SubjectFigures(subject, stats, before),
            SubjectFigures(overall, GroupFigures(reason=OVERLAP), None),
        ],
        named=[],
        pooled=PooledRow(
            "Other member councils (5)", 5, [Cell(None, OVERLAP), Cell(None, OVERLAP)]
        ),
    )


@pytest.mark.parametrize("scope", ['=HYPERLINK("x")', "+SUM(1)", "-1", "@SUM(1)", "\tTab", "\rCR"])
def test_every_csv_cell_is_neutralised(scope):
    rows = list(sector_csv_rows(_hand_made(scope, "x")))
    assert rows[1][0] == "'\rRound"
    assert rows[1][1] == "'" + scope
    assert rows[1][2] == "'" + scope
    assert rows[1][4] == "'+Leadership"
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    assert not any(cell.startswith(dangerous) for row in rows for cell in row)


@pytest.mark.parametrize("scope", ['=HYPERLINK("x")', "+SUM(1)", "-1", "@SUM(1)", "\tTab", "\rCR"])
def test_every_xlsx_text_cell_is_neutralised_and_numbers_stay_numbers(scope, tmp_path: Path):
    data = _hand_made(scope, "x")
    sheets = _xlsx(data, tmp_path)
    summary = dict((row[0], row[1]) for row in sheets["Summary"])
    # XML turns a carriage return into a line feed when read back; the quote is still first.
    assert summary["Scope"] == "'" + scope.replace("\r", "\n")
    assert summary["Round"] == "'\nRound"
    texts = [v for rows in sheets.values() for row in rows for v in row if isinstance(v, str)]
    assert not any(text.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for text in texts)
    header, lead, _overall = sheets["By barrier"]
    assert lead[1] == "'+Leadership"
    # The change is a negative number, kept numeric (a number is never a formula).
    assert lead[-1] == pytest.approx(-0.5)


def test_a_formula_named_network_and_council_are_neutralised_in_real_outputs(sector, tmp_path):
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["hostile"].pk)
    rows = _csv(data)
    assert {row[1] for row in rows[1:]} == {"'" + HOSTILE_NETWORK}
    sheets = _xlsx(data, tmp_path)
    summary = dict((row[0], row[1]) for row in sheets["Summary"])
    assert summary["Scope"] == "'" + HOSTILE_NETWORK


def test_in_progress_assessments_do_not_count(sector):
    council = CouncilFactory(name="Late Council", short_name="Late")
    sector["network"].members.add(council)
    NetworkSharing.objects.create(council=council, network=sector["network"], by_name=True)
    scored_assessment(
        council=council,
        round=sector["latest"],
        scores={d: "4.0" for d in sector["dimensions"]},
        status=AssessmentStatus.IN_PROGRESS,
    )
    data = sector_data(round_id=sector["latest"].pk, network_id=sector["network"].pk)
    assert (data.signed_off, data.eligible) == (8, 9)
    assert "Late Council" not in [c.name for c in data.named]
