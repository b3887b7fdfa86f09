"""The sector report: one round's picture for a network's analysts, or for the whole UK (staff).

`sector_data` reads everything in a fixed number of queries into plain data (`SectorData`);
the three writers only format it:

- `build_sector_pdf`: narrative summary, participation, each dimension's distribution, change
  since the previous round, (for a network) the councils sharing by name, notes on method;
- `write_sector_xlsx`: sheets Summary, By dimension, Councils sharing by name, Groups, Notes;
- `sector_csv_rows` / `write_sector_csv`: tidy long format, one row per group, dimension and
  statistic, produced row by row so a view can stream it.

Every result is a `benchmarks.figures.GroupFigures`: a suppressed one carries its reason and
nothing else (not even its count), so no writer can leak one. Councils are named
only in a network's report, and only those that share with that network by name
(`councils.models.council_ids_named_in`), exactly as the network dashboard names them; the
other signed-off members are pooled by `benchmarks.network_dashboard.heatmap_rows`, under the
same publication rule. The UK-wide report is for platform staff and names no council at all:
councils have consented to be named to networks they chose, not to staff.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.models import (
    Assessment,
    AssessmentRound,
    Dimension,
    DimensionScore,
    Level,
)
from benchmarks.charts import Chart, group_distributions
from benchmarks.figures import (
    FIGURE_HEADINGS,
    FIGURES,
    LEVELS,
    NO_RESULTS,
    RESULT_FIELDS,
    GroupFigures,
    extremes_words,
    statistic_rows,
    withheld_words,
)
from benchmarks.models import BenchmarkResult, PeerGroupKind
from benchmarks.network_dashboard import (
    Cell,
    Column,
    Distribution,
    _published_public_groups,
    heatmap_rows,
    with_overall,
)
from benchmarks.publication import OVERLAP, TOO_SMALL
from benchmarks.services import min_group_size
from benchmarks.statistics import level_of
from councils.models import Council, Network, council_ids_named_in

ALL_UK = "All UK councils"
SubjectKey = int | None
CSV_HEADER = ("round", "scope", "group", "group_kind", "dimension", "statistic", "value")
# Breakdown groups of the UK-wide report, in this order.
BREAKDOWN_KINDS = (PeerGroupKind.NATION, PeerGroupKind.COUNCIL_TYPE)
LICENCE_NOTE = (
    "Council register data (names, GSS codes, types, nations) contains data from mySociety "
    "(uk_local_authority_names_and_codes, composite_uk_imd, local-authority-similarity), "
    "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The underlying "
    "ONS, NRS, NISRA and national deprivation data is under the Open Government Licence v3.0."
)


# Plain data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundInfo:
    pk: int
    slug: str
    name: str
    framework_id: int
    opens_on: datetime.date


@dataclass(frozen=True)
class SubjectFigures:
    """The scope group's result for one subject this round and in the previous round (None:
    no results computed, or no comparable subject)."""

    subject: Column
    current: GroupFigures | None
    previous: GroupFigures | None

    @property
    def change(self) -> Decimal | None:
        """The change in the median since the previous round, when both were published."""
        now, before = self.current, self.previous
        if now is None or before is None or now.median is None or before.median is None:
            return None
        return now.median - before.median


@dataclass(frozen=True)
class BreakdownGroup:
    """A breakdown group (a nation, a council type) and its result for each subject, in the
    order of SectorData.subjects."""

    name: str
    kind: str
    figures: list[GroupFigures | None]


@dataclass(frozen=True)
class NamedCouncil:
    """A council sharing with the network by name: its own scores, in the order of subjects."""

    name: str
    gss_code: str
    scores: list[Decimal | None]


@dataclass(frozen=True)
class PooledRow:
    """Every other signed-off member: a mean per subject, or a Cell with only the reason."""

    label: str
    councils: int
    cells: list[Cell]


@dataclass
class SectorData:
    scope: str  # the network's name, or ALL_UK
    scope_kind: str  # PeerGroupKind.NETWORK or PeerGroupKind.ALL
    network_id: int | None
    round: RoundInfo
    previous: RoundInfo | None
    signed_off: int  # members (all-UK: councils) signed off in the round
    eligible: int  # members of the network (all-UK: councils in the register)
    min_group: int
    generated_on: datetime.date
    subjects: list[Column] = field(default_factory=list)  # the dimensions, then overall
    figures: list[SubjectFigures] = field(default_factory=list)
    named: list[NamedCouncil] = field(default_factory=list)  # network only
    pooled: PooledRow | None = None  # network only
    groups: list[BreakdownGroup] = field(default_factory=list)  # all-UK only

    @property
    def is_network(self) -> bool:
        return self.network_id is not None

    @property
    def participation_percent(self) -> Decimal | None:
        if not self.eligible:
            return None
        return (Decimal(100) * self.signed_off / self.eligible).quantize(Decimal("0.1"))


# The read -------------------------------------------------------------------------------------

_RESULT_FIELDS = (
    "round_id",
    "dimension_id",
    "peer_group__kind",
    "peer_group__name",
    *RESULT_FIELDS,
)


def sector_data(*, round_id: int, network_id: int | None) -> SectorData:
    """The sector report's data for a round, for one network or (None) all UK councils.

    Queries, whatever the size of the sector: all-UK 6 (the round, the previous round, the
    dimensions, the results, the councils signed off, the councils in the register); a network
    9 (the network, its members, the councils signed off, who is named, the members' scores,
    the results) plus 3 for the pooled row's publication check (`_published_public_groups`),
    skipped when no member has a score. Raises AssessmentRound.DoesNotExist or
    Network.DoesNotExist.

    The previous round is the one before by opening date. A subject's change compares medians
    of the same dimension (by id within one framework version, by dimension code across
    versions; the overall score always).
    """
    round_ = _round_info(AssessmentRound.objects.filter(pk=round_id))
    if round_ is None:
        raise AssessmentRound.DoesNotExist(round_id)
    previous = _round_info(
        AssessmentRound.objects.filter(
            Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk)
        ).order_by("-opens_on", "-pk")
    )
    frameworks = {round_.framework_id} | ({previous.framework_id} if previous else set())
    dimensions = list(
        Dimension.objects.filter(framework_id__in=frameworks)
        .order_by("order", "pk")
        .values_list("pk", "framework_id", "code", "name")
    )
    subjects = [
        *(Column(pk, code, name) for pk, fw, code, name in dimensions if fw == round_.framework_id),
        Column(None, "overall", "Overall score"),
    ]
    previous_key = _previous_keys(subjects, dimensions, round_, previous)

    if network_id is None:
        network = None
        scope, scope_kind = ALL_UK, PeerGroupKind.ALL
        scope_in_round = Q(peer_group__kind=PeerGroupKind.ALL)
        breakdown = Q(round_id=round_.pk, peer_group__kind__in=BREAKDOWN_KINDS)
    else:
        network = Network.objects.get(pk=network_id)
        scope, scope_kind = network.name, PeerGroupKind.NETWORK
        scope_in_round = Q(peer_group__kind=PeerGroupKind.NETWORK, peer_group__network=network)
        breakdown = Q(pk__in=[])
    rounds = [round_.pk] + ([previous.pk] if previous else [])
    rows = list(
        BenchmarkResult.objects.filter((scope_in_round & Q(round_id__in=rounds)) | breakdown)
        .order_by("peer_group__kind", "peer_group__name", "peer_group_id")
        .values(*_RESULT_FIELDS)
    )

    scope_rows = [row for row in rows if row["peer_group__kind"] == scope_kind]
    current = {
        row["dimension_id"]: GroupFigures.from_row(row)
        for row in scope_rows
        if row["round_id"] == round_.pk
    }
    before = {
        row["dimension_id"]: GroupFigures.from_row(row)
        for row in scope_rows
        if previous is not None and row["round_id"] == previous.pk
    }
    figures = [
        SubjectFigures(
            subject=subject,
            current=current.get(subject.dimension_id),
            previous=(
                before.get(previous_key[subject.dimension_id])
                if subject.dimension_id in previous_key
                else None
            ),
        )
        for subject in subjects
    ]

    data = SectorData(
        scope=scope,
        scope_kind=scope_kind,
        network_id=network_id,
        round=round_,
        previous=previous,
        signed_off=0,
        eligible=0,
        min_group=min_group_size(),
        generated_on=timezone.localdate(),
        subjects=subjects,
        figures=figures,
    )
    signed_off = Assessment.objects.signed_off().filter(round_id=round_.pk)
    if network is None:
        data.signed_off = signed_off.count()
        data.eligible = Council.objects.count()
        data.groups = _breakdown(rows, subjects)
    else:
        data.signed_off = signed_off.filter(council__networks=network).count()
        _add_councils(data, network)
    return data


def _round_info(rounds: Any) -> RoundInfo | None:
    found = rounds.values_list("pk", "slug", "name", "framework_id", "opens_on").first()
    return RoundInfo(*found) if found else None


def _previous_keys(
    subjects: Sequence[Column],
    dimensions: Sequence[tuple[int, int, str, str]],
    round_: RoundInfo,
    previous: RoundInfo | None,
) -> dict[SubjectKey, SubjectKey]:
    """{subject of this round: the same subject in the previous round}; a dimension with no
    counterpart is left out."""
    if previous is None:
        return {}
    if previous.framework_id == round_.framework_id:
        return {subject.dimension_id: subject.dimension_id for subject in subjects}
    by_code = {code: pk for pk, fw, code, _ in dimensions if fw == previous.framework_id}
    found: dict[SubjectKey, SubjectKey] = {None: None}
    for subject in subjects:
        if subject.dimension_id is not None and subject.code in by_code:
            found[subject.dimension_id] = by_code[subject.code]
    return found


def _breakdown(rows: Sequence[dict[str, Any]], subjects: Sequence[Column]) -> list[BreakdownGroup]:
    """The nation and council type groups, each with its result per subject."""
    by_group: dict[tuple[str, str], dict[SubjectKey, GroupFigures]] = {}
    for row in rows:
        if row["peer_group__kind"] in BREAKDOWN_KINDS:
            key = (row["peer_group__kind"], row["peer_group__name"])
            by_group.setdefault(key, {})[row["dimension_id"]] = GroupFigures.from_row(row)
    order = {str(kind): index for index, kind in enumerate(BREAKDOWN_KINDS)}
    return [
        BreakdownGroup(name, kind, [found.get(s.dimension_id) for s in subjects])
        for (kind, name), found in sorted(by_group.items(), key=lambda i: (order[i[0][0]], i[0][1]))
    ]


def _add_councils(data: SectorData, network: Network) -> None:
    """The councils sharing by name and the pooled row, chosen as the network dashboard chooses
    them (`heatmap_rows`, with the pool checked against the public groups as published)."""
    members = {
        pk: (name, gss_code)
        for pk, name, gss_code in network.members.values_list("pk", "name", "gss_code")
    }
    data.eligible = len(members)
    named = council_ids_named_in(network)
    own: dict[int, dict[int, Decimal]] = {}
    for council_id, dimension_id, score in (
        DimensionScore.objects.signed_off()
        .filter(
            round_id=data.round.pk,
            council__networks=network,
            score__isnull=False,
        )
        .values_list("council_id", "dimension_id", "score")
    ):
        if score is not None and council_id in members:
            own.setdefault(council_id, {})[dimension_id] = score
    scores = {council_id: with_overall(found) for council_id, found in own.items()}
    # heatmap_rows sorts and labels by names[c]; its short_label carries the GSS code here.
    rows = heatmap_rows(
        columns=data.subjects,
        scores=scores,
        names=members,
        named=named,
        published=_published_public_groups(data.round.pk) if scores else {},
        min_group=data.min_group,
    )
    data.named = [
        NamedCouncil(row.label, row.short_label, [cell.score for cell in row.cells])
        for row in rows
        if not row.pooled
    ]
    data.pooled = next(
        (PooledRow(row.label, row.councils, row.cells) for row in rows if row.pooled), None
    )


# Words and numbers ----------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """`value`, with a single quote in front if it begins with =, +, -, @, a tab or a carriage
    return, so that a spreadsheet opening the file takes it as text, never as a formula (OWASP,
    "CSV Injection"). Applied to every CSV cell and every XLSX text cell.

    Numbers: XLSX numeric cells are numbers, not text, so they cannot be formulas and are
    written as they are (a negative change stays a negative number). CSV has no types, so a
    negative number written as text would be neutralised into "'-0.25", which no longer reads
    as a number. The CSV therefore holds only non-negative figures (scores, percentiles and
    counts, all 0 or more; no changes), so neutralise only ever alters names and other text.
    """
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def _signed(value: Decimal) -> str:
    """A change for people to read: "+0.25", "−0.25" (a real minus sign), "no change"."""
    if value == 0:
        return "no change"
    return f"+{value:.2f}" if value > 0 else f"\u2212{-value:.2f}"


# CSV ------------------------------------------------------------------------------------------


def _csv_groups(data: SectorData) -> Iterator[tuple[str, str, list[GroupFigures | None]]]:
    yield data.scope, str(data.scope_kind), [f.current for f in data.figures]
    for group in data.groups:
        yield group.name, group.kind, group.figures


def sector_csv_rows(data: SectorData) -> Iterator[list[str]]:
    """The CSV, row by row (a generator: a view streams it with StreamingHttpResponse).

    Header `round, scope, group, group_kind, dimension, statistic, value`; then, per group
    (the scope's own, then for all-UK each nation and council type) and subject (each dimension
    by name, then "Overall score"), one row per published statistic: councils, mean, median,
    q1, q3, p10, p90, minimum, maximum (2 decimal places; p10 to maximum only for groups of
    at least twice the minimum), level_1 to level_5 (councils at each level). A suppressed
    group has one row for the subject, statistic "suppressed", value the reason in words, and
    no figure, not even its count; a subject with no results yet has statistic
    "not_available". Every cell goes through `neutralise`.
    """
    yield [neutralise(name) for name in CSV_HEADER]
    for group, kind, figures in _csv_groups(data):
        for subject, result in zip(data.subjects, figures, strict=True):
            start = [data.round.name, data.scope, group, kind, subject.name]
            for statistic, value in statistic_rows(result, data.min_group):
                yield [neutralise(cell) for cell in (*start, statistic, value)]


def write_sector_csv(data: SectorData, out: io.TextIOBase) -> None:
    """Write the CSV to a text stream one row at a time (open files with newline="")."""
    writer = csv.writer(out)
    for row in sector_csv_rows(data):
        writer.writerow(row)


# XLSX -----------------------------------------------------------------------------------------


def _xlsx_cell(value: object) -> object:
    """Numbers stay numbers; text is neutralised and stripped of the control characters XLSX
    cannot hold."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _stats_cells(figures: GroupFigures | None, min_group: int) -> list[object]:
    """[withheld, councils, the eight figures, level 1..5]: a withheld result (or none yet)
    is a text cell with the reason and empty figure cells."""
    if figures is None or figures.suppressed:
        words = withheld_words(figures.reason if figures else None, min_group)
        return [words, *([None] * (1 + len(FIGURES) + len(LEVELS)))]
    return [
        None,
        figures.councils,
        *(getattr(figures, name) for name in FIGURES),
        *(figures.levels() or (None,) * len(LEVELS)),
    ]


_STATS_HEADINGS = [
    "Figures withheld",
    "Councils",
    *FIGURE_HEADINGS.values(),
    *(f"Councils at level {level}" for level in LEVELS),
]


def write_sector_xlsx(data: SectorData, path: Path) -> None:
    """Write the workbook (openpyxl write-only mode: rows go straight to the file)."""
    workbook = Workbook(write_only=True)

    def sheet(title: str, widths: Sequence[int]) -> Any:
        ws = workbook.create_sheet(title)
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        return ws

    def append(ws: Any, values: Sequence[object]) -> None:
        ws.append([_xlsx_cell(value) for value in values])

    summary = sheet("Summary", [34, 100])
    for label, value in _summary_rows(data):
        append(summary, [label, value])

    by_dimension = sheet("By dimension", [10, 36, 40])
    append(
        by_dimension,
        [
            "Code",
            "Dimension",
            *_STATS_HEADINGS,
            "Median in the previous round",
            "Change in median since the previous round",
        ],
    )
    for figures in data.figures:
        previous = figures.previous
        append(
            by_dimension,
            [
                figures.subject.code,
                figures.subject.name,
                *_stats_cells(figures.current, data.min_group),
                previous.median if previous is not None else None,
                figures.change,
            ],
        )

    councils = sheet("Councils sharing by name", [44, 12])
    if data.is_network:
        append(councils, ["Council", "GSS code", *(s.name for s in data.subjects)])
        for council in data.named:
            append(councils, [council.name, council.gss_code, *council.scores])
        if data.pooled is not None:
            append(
                councils,
                [
                    data.pooled.label,
                    None,
                    *(
                        withheld_words(cell.reason, data.min_group) if cell.reason else cell.score
                        for cell in data.pooled.cells
                    ),
                ],
            )
        if not data.named:
            append(councils, ["No member council signed off in this round shares by name."])
    else:
        append(
            councils,
            [
                "Councils are not named in the UK-wide report: councils choose to be named "
                "only to networks they belong to."
            ],
        )

    groups = sheet("Groups", [40, 14, 10, 36, 40])
    if data.groups:
        append(groups, ["Group", "Kind", "Code", "Dimension", *_STATS_HEADINGS])
        for group in data.groups:
            for subject, stats in zip(data.subjects, group.figures, strict=True):
                append(
                    groups,
                    [
                        group.name,
                        PeerGroupKind(group.kind).label,
                        subject.code,
                        subject.name,
                        *_stats_cells(stats, data.min_group),
                    ],
                )
    elif data.is_network:
        append(groups, ["Nation and council type figures are in the UK-wide report."])
    else:
        append(groups, ["No results for nations or council types in this round yet."])

    notes = sheet("Notes", [120])
    for heading, paragraphs in notes_sections(data.min_group):
        append(notes, [heading])
        for paragraph in paragraphs:
            append(notes, [paragraph])

    workbook.save(path)


def _summary_rows(data: SectorData) -> list[tuple[str, object]]:
    return [
        ("Report", "Council digital maturity: sector report"),
        ("Scope", data.scope),
        ("Round", data.round.name),
        ("Previous round", data.previous.name if data.previous else "None"),
        ("Councils signed off", data.signed_off),
        (
            "Member councils" if data.is_network else "Councils in the register",
            data.eligible,
        ),
        ("Participation (%)", data.participation_percent),
        ("Generated on", data.generated_on.isoformat()),
        ("Minimum group size", data.min_group),
        *(("Summary" if i == 0 else "", sentence) for i, sentence in enumerate(summary(data))),
        ("Licence", LICENCE_NOTE),
    ]


# Narrative ------------------------------------------------------------------------------------


def summary(data: SectorData) -> list[str]:
    """The generated sentences of the narrative summary."""
    sentences = [participation_sentence(data)]
    overall = data.figures[-1].current if data.figures else None
    if overall is not None and overall.median is not None:
        level = level_of(overall.median)
        sentences.append(
            f"The median overall score was {overall.median:.2f} out of 5 "
            f"(level {level}, {Level(level).label.lower()})."
        )
    elif overall is not None:
        sentences.append(
            f"The overall figures are not shown ({withheld_words(overall.reason, data.min_group)})."
        )
    dimensions = [
        (f, f.current.median)
        for f in data.figures
        if f.subject.dimension_id is not None
        and f.current is not None
        and f.current.median is not None
    ]
    if len(dimensions) >= 2:
        top, highest = max(dimensions, key=lambda pair: pair[1])
        bottom, lowest = min(dimensions, key=lambda pair: pair[1])
        if highest != lowest:
            sentences.append(
                f"Councils scored highest on {_in_sentence(top.subject.name)} (median "
                f"{highest:.2f}) and lowest on {_in_sentence(bottom.subject.name)} (median "
                f"{lowest:.2f})."
            )
    changes = [
        (f, f.change)
        for f in data.figures
        if f.subject.dimension_id is not None and f.change is not None
    ]
    if data.previous is None:
        sentences.append("There is no earlier round to compare with.")
    elif not changes:
        sentences.append(f"No dimension's median can be compared with {data.previous.name}.")
    elif not any(change for _, change in changes):
        sentences.append(f"No dimension's median changed since {data.previous.name}.")
    else:
        biggest, change = max(changes, key=lambda pair: abs(pair[1]))
        direction = "rose" if change > 0 else "fell"
        sentences.append(
            f"The biggest change since {data.previous.name} was in "
            f"{_in_sentence(biggest.subject.name)}, where the median {direction} by "
            f"{abs(change):.2f}."
        )
    return sentences


def _in_sentence(name: str) -> str:
    """A dimension's name inside a sentence: "Data sharing" -> "data sharing", "ICT" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def participation_sentence(data: SectorData) -> str:
    share = data.participation_percent
    of = f" ({share}%)" if share is not None else ""
    if data.is_network:
        return (
            f"{data.signed_off} of the {data.eligible} member councils of {data.scope}{of} "
            f"signed off their assessment in {data.round.name}."
        )
    return (
        f"{data.signed_off} of the {data.eligible} councils in the UK register{of} signed off "
        f"their assessment in {data.round.name}."
    )


def notes_sections(min_group: int) -> list[tuple[str, list[str]]]:
    """Method and suppression in plain English (from benchmarks/README.md): (heading,
    paragraphs)."""
    k = min_group
    method = [
        "Only assessments signed off by the council's chief executive count. Each council "
        "scores itself from 1 (ad hoc) to 5 (leading) on each dimension; a dimension's score "
        "is the mean of the council's agreed answers, to one decimal place, and the overall "
        "score is the mean of the dimension scores it has. A dimension with no score is left "
        "out.",
        "Medians, quartiles and percentiles use linear interpolation between the two nearest "
        "ordered scores (as PostgreSQL's percentile_cont). A score counts at its nearest level, "
        "halves up (2.5 is level 3). Every figure is rounded to two decimal places, halves up.",
        "The change since the previous round compares the medians of the same dimension in "
        "the round that opened before this one (by code when the framework version changed). "
        "It is shown only when both medians were published.",
    ]
    suppression = [
        f"A group with fewer than {k} councils with a score has no figures: it is shown as "
        f"'{withheld_words(TOO_SMALL, k)}', and its number of councils is not shown either.",
        f"A group is also withheld ('{withheld_words(OVERLAP, k)}') if it differs "
        f"from another published group by between 1 and {k - 1} councils: comparing the two "
        "totals would reveal those councils' scores, and so is its number of councils.",
        f"The 10th and 90th percentiles, the minimum and the maximum are shown only for groups "
        f"of at least {2 * k} councils, because in a smaller group they are too close to a "
        "single council's score.",
        "Councils are named only in a network's report, and only those that chose to share "
        "their results with that network by name. Every other signed-off member is shown as "
        f"one pooled row, whose mean is shown only if the pool has at least {k} councils and "
        "passes the same rule against every published group, once the named councils are "
        "taken out. The UK-wide report names no council.",
        "In the spreadsheet and CSV files, text that begins with =, +, - or @, a tab or a "
        "carriage return has a single quote added in front, so that spreadsheets do not run "
        "it as a formula.",
    ]
    return [("Method", method), ("Suppression", suppression)]


# PDF ------------------------------------------------------------------------------------------


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _span(low: Decimal | None, high: Decimal | None) -> str:
    return "Not shown" if low is None else f"{_fmt(low)} to {_fmt(high)}"


def _withheld(figures: GroupFigures | None, min_group: int) -> str:
    return capfirst(withheld_words(figures.reason if figures else None, min_group))


# The PDF's narrow tables mark a withheld value with a code, explained under the table.
_CODES = {TOO_SMALL: "[low]", OVERLAP: "[c]"}
_NO_RESULTS_CODE = "[x]"


def _code(reason: str) -> str:
    return _CODES.get(reason, _CODES[OVERLAP])


@dataclass(frozen=True)
class PdfRow:
    """One row of a PDF table: its name, then its cells, or one reason across all of them."""

    name: str
    cells: list[object] = field(default_factory=list)
    withheld: str = ""
    note: str = ""  # beside the name, in grey (a named council's GSS code)


@dataclass(frozen=True)
class PdfTable:
    caption: str
    headings: list[str]  # the first is the rows' names
    rows: list[PdfRow]
    legend: str = ""  # under the table
    small: bool = False


def _pdf_tables(data: SectorData) -> dict[str, PdfTable | None]:
    """Every table of the PDF, drawn by one partial (reports/pdf/_table.html)."""
    k, scope, round_name = data.min_group, data.scope, data.round.name

    def by_subject(cells: Callable[[GroupFigures], list[object]]) -> list[PdfRow]:
        return [
            PdfRow(f.subject.name, withheld=_withheld(f.current, k))
            if f.current is None or f.current.suppressed
            else PdfRow(f.subject.name, cells(f.current))
            for f in data.figures
        ]

    tables: dict[str, PdfTable | None] = {
        "distribution": PdfTable(
            f"Scores from 1 (ad hoc) to 5 (leading) of the councils signed off in {round_name}, "
            f"{scope}",
            ["Dimension", "Councils", "Mean", "Median", "Middle half"]
            + ["10th to 90th percentile", "Lowest to highest"],
            by_subject(
                lambda g: [
                    g.councils,
                    _fmt(g.mean),
                    _fmt(g.median),
                    _span(g.q1, g.q3),
                    _span(g.p10, g.p90),
                    _span(g.minimum, g.maximum),
                ]
            ),
            legend="The 10th and 90th percentiles, the lowest and the highest score are "
            f"{extremes_words(k)}.",
        ),
        "levels": PdfTable(
            "Councils at each level (a score counts at its nearest level, halves up)",
            ["Dimension", *(f"{level}: {Level(level).label}" for level in LEVELS)],
            by_subject(lambda g: list(g.levels())),
        ),
        "change": None,
        "named": None,
        "groups": None,
    }
    if data.previous is not None:
        tables["change"] = PdfTable(
            f"Median score in {data.previous.name} and in {round_name}",
            ["Dimension", data.previous.name, round_name, "Change"],
            [
                PdfRow(
                    f.subject.name,
                    [
                        _fmt(f.previous.median)
                        if f.previous is not None and f.previous.published
                        else (_withheld(f.previous, k) if f.previous else "No figure"),
                        _fmt(f.current.median)
                        if f.current is not None and f.current.published
                        else _withheld(f.current, k),
                        _signed(f.change) if f.change is not None else "Not comparable",
                    ],
                )
                for f in data.figures
            ],
        )
    codes = [s.code for s in data.subjects]
    key = (
        "; ".join(f"{s.code}: {s.name}" for s in data.subjects)
        + ". "
        + " ".join(f"{code}: {withheld_words(reason, k)}." for reason, code in _CODES.items())
    )

    def score(value: Decimal | None) -> str:
        return "" if value is None else f"{value:.1f}"

    if data.named or data.pooled:
        rows = [PdfRow(c.name, [score(s) for s in c.scores], note=c.gss_code) for c in data.named]
        if data.pooled is not None:
            cells = [_code(c.reason) if c.reason else score(c.score) for c in data.pooled.cells]
            rows.append(PdfRow(data.pooled.label, list(cells)))
        tables["named"] = PdfTable(
            "Each council's score, and the mean of the other member councils signed off",
            ["Council", *codes],
            rows,
            legend=f"{key} An empty cell: no score.",
            small=True,
        )

    def median(figures: GroupFigures | None) -> str:
        if figures is None:
            return _NO_RESULTS_CODE
        return _code(figures.reason) if figures.suppressed else _fmt(figures.median)

    if data.groups:
        tables["groups"] = PdfTable(
            f"Median score by group and dimension, {round_name}",
            ["Group", *codes],
            [PdfRow(g.name, [median(f) for f in g.figures]) for g in data.groups],
            legend=f"{key} {_NO_RESULTS_CODE}: {NO_RESULTS}.",
            small=True,
        )
    return tables


def _pdf_context(data: SectorData) -> dict[str, Any]:
    return {
        "data": data,
        "summary": summary(data),
        "participation": participation_sentence(data),
        **_pdf_tables(data),
        "notes": notes_sections(data.min_group),
        "licence": LICENCE_NOTE,
    }


def distribution_chart(data: SectorData) -> Chart | None:
    """A box per published subject of the scope group (benchmarks.charts.group_distributions,
    as on the network dashboard). Suppressed subjects have no box; None if nothing is
    published."""
    distributions = [Distribution(f.subject, f.current) for f in data.figures]
    return group_distributions(data.scope, distributions)


CHART_SUMMARY = (
    "Each box spans the middle half of councils' scores (lower to upper quartile), with the "
    "median marked inside; the whiskers reach the 10th and 90th percentiles where the group "
    "has at least {double} councils, otherwise the quartiles. A withheld dimension has no box."
)


def build_sector_pdf(data: SectorData) -> bytes:
    """The PDF (WeasyPrint), with "Page X of Y" in every footer and one chart of the scope
    group's distributions drawn by kaleido (reports.rendering). Raises ChartRenderError if the
    chart cannot be drawn."""
    # Imported here: importing WeasyPrint takes about 0.7 s.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = sector_report_html(data)
    # The template links to nothing and the chart is inline: refuse every fetch but data:
    # URLs, so no name in the report can make WeasyPrint read a file or call a server.
    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


def sector_report_html(data: SectorData, *, draw: Callable[..., str] | None = None) -> str:
    """The page `build_sector_pdf` prints. `draw` turns the chart's Plotly figure into SVG
    (default: `rendering.figure_to_svg`, which starts Chromium)."""
    # Imported here: rendering starts Chromium.
    from . import rendering

    context = _pdf_context(data)
    chart = distribution_chart(data)
    if chart is not None:
        context["chart_svg"] = (draw or rendering.figure_to_svg)(chart.figure)
        context["chart_summary"] = CHART_SUMMARY.format(double=2 * data.min_group)
    return render_to_string("reports/pdf/sector_report.html", context)
