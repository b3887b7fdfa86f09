"""The sector report as an XLSX workbook (openpyxl, write-only mode: rows go straight to the
file). Sheets: Summary, By dimension, Councils sharing by name, Planned targets (a network's
report only), Groups, Notes. Figures are numeric cells; a withheld result has its reason in
"Figures withheld" and empty figure cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.scoring import LEVELS
from benchmarks.figures import FIGURE_HEADINGS, FIGURES, GroupFigures, withheld_words
from benchmarks.models import PeerGroupKind
from core.spreadsheet_text import neutralise

from .data import SectorData
from .wording import LICENCE_NOTE, notes_sections, summary

_STATS_HEADINGS = [
    "Figures withheld",
    "Councils",
    *FIGURE_HEADINGS.values(),
    *(f"Councils at level {level}" for level in LEVELS),
]


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

    by_dimension = sheet("By barrier", [10, 36, 40])
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

    if data.is_network:
        planned = sheet("Planned targets", [40, 16, 16])
        if data.planned is None:
            append(
                planned,
                [
                    "Not enough member councils have an approved improvement plan for this "
                    f"round yet: figures appear once at least {data.min_group} have."
                ],
            )
        else:
            append(planned, ["Barrier", "Councils with a target in it", "Councils counted"])
            for item in data.planned.shown:
                append(planned, [item.name, item.councils, data.planned.councils])
            if not data.planned.shown:
                append(
                    planned,
                    [f"No barrier is in the plans of {data.planned.min_group} or more councils."],
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
