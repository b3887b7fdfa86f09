"""The sector report as an XLSX workbook (openpyxl, write-only mode: rows go straight to the
file). Sheets: Summary, By dimension, Councils sharing by name, Planned targets (a network's
report only), Groups, Notes. Figures are numeric cells; a withheld result has its reason in
"Figures withheld" and empty figure cells. Sheet names, headings and words are in the active
language (the report's); the figures are the same in every language."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.scoring import LEVELS
from benchmarks.figures import FIGURE_HEADINGS, FIGURES, GroupFigures, withheld_words
from benchmarks.models import PeerGroupKind
from core.spreadsheet_text import neutralise

from .data import SectorData
from .wording import LICENCE_NOTE, notes_sections, summary


def _stats_headings() -> list[str]:
    return [
        gettext("Figures withheld"),
        gettext("Councils"),
        *(str(heading) for heading in FIGURE_HEADINGS.values()),
        *(gettext("Councils at level %(level)s") % {"level": level} for level in LEVELS),
    ]


def _xlsx_cell(value: object) -> object:
    """Numbers stay numbers; text is neutralised and stripped of the control characters XLSX
    cannot hold."""
    if isinstance(value, Promise):
        value = str(value)
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

    stats_headings = _stats_headings()
    summary = sheet(gettext("Summary"), [34, 100])
    for label, value in _summary_rows(data):
        append(summary, [label, value])

    by_dimension = sheet(gettext("By barrier"), [10, 36, 40])
    dimension = pgettext("a table's heading over the barriers' names", "Dimension")
    append(
        by_dimension,
        [
            gettext("Code"),
            dimension,
            *stats_headings,
            gettext("Median in the previous round"),
            gettext("Change in median since the previous round"),
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

    councils = sheet(gettext("Councils sharing by name"), [44, 12])
    if data.is_network:
        append(
            councils, [gettext("Council"), gettext("GSS code"), *(s.name for s in data.subjects)]
        )
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
            append(
                councils, [gettext("No member council signed off in this round shares by name.")]
            )
    else:
        append(
            councils,
            [
                gettext(
                    "Councils are not named in the UK-wide report: councils choose to be named "
                    "only to networks they belong to."
                )
            ],
        )

    if data.is_network:
        planned = sheet(gettext("Planned targets"), [40, 16, 16])
        if data.planned is None:
            append(
                planned,
                [
                    gettext(
                        "Not enough member councils have an approved improvement plan for this "
                        "round yet: figures appear once at least %(min_group)s have."
                    )
                    % {"min_group": data.min_group}
                ],
            )
        else:
            append(
                planned,
                [
                    gettext("Barrier"),
                    gettext("Councils with a target in it"),
                    gettext("Councils counted"),
                ],
            )
            for item in data.planned.shown:
                append(planned, [item.name, item.councils, data.planned.councils])
            if not data.planned.shown:
                append(
                    planned,
                    [
                        gettext("No barrier is in the plans of %(count)s or more councils.")
                        % {"count": data.planned.min_group}
                    ],
                )

    groups = sheet(gettext("Groups"), [40, 14, 10, 36, 40])
    if data.groups:
        append(
            groups,
            [gettext("Group"), gettext("Kind"), gettext("Code"), dimension, *stats_headings],
        )
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
        append(groups, [gettext("Nation and council type figures are in the UK-wide report.")])
    else:
        append(groups, [gettext("No results for nations or council types in this round yet.")])

    notes = sheet(gettext("Notes"), [120])
    for heading, paragraphs in notes_sections(data.min_group):
        append(notes, [heading])
        for paragraph in paragraphs:
            append(notes, [paragraph])

    workbook.save(path)


def _summary_rows(data: SectorData) -> list[tuple[str, object]]:
    return [
        (gettext("Report"), gettext("Council digital maturity: sector report")),
        (gettext("Scope"), data.scope),
        (gettext("Round"), data.round.name),
        (
            gettext("Previous round"),
            data.previous.name if data.previous else pgettext("no previous round", "None"),
        ),
        (gettext("Councils signed off"), data.signed_off),
        (
            gettext("Member councils") if data.is_network else gettext("Councils in the register"),
            data.eligible,
        ),
        (gettext("Participation (%)"), data.participation_percent),
        (gettext("Generated on"), data.generated_on.isoformat()),
        (gettext("Minimum group size"), data.min_group),
        *(
            (gettext("Summary") if i == 0 else "", sentence)
            for i, sentence in enumerate(summary(data))
        ),
        (gettext("Licence"), str(LICENCE_NOTE)),
    ]
