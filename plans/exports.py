"""The plan as CSV and XLSX for the council's own programme tools: one row per action (a target
with no actions yet is one row), every text cell neutralised so no spreadsheet runs it."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from io import BytesIO, StringIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.spreadsheet_text import neutralise, xlsx_cell

from .reads import PlanPage

HEADER = [
    "Barrier",
    "Question",
    "Level at sign-off",
    "Target level",
    "By",
    "Outcome",
    "Level reached",
    "Action",
    "Owner",
    "Due date",
    "Status",
    "Blocked by",
    "Latest update",
    "Latest update on",
]


def plan_rows(page: PlanPage) -> list[list[object]]:
    rows: list[list[object]] = []
    for row in page.rows:
        target = row.target
        start: list[object] = [
            target.dimension.name,
            f"{target.question.code}: {target.question.statement}" if target.question else "",
            target.starting_level,
            target.target_level,
            target.by_when,
            target.get_outcome_display() if target.outcome else "",
            target.achieved_level,
        ]
        if not row.actions:
            rows.append([*start, "", "", None, "", "", "", None])
        for action in row.actions:
            latest = next(iter(action.updates.all()), None)
            rows.append(
                [
                    *start,
                    action.description,
                    action.owner_label,
                    action.due_on,
                    action.get_status_display(),
                    action.blocked_reason,
                    latest.note if latest else "",
                    latest.at.date() if latest else None,
                ]
            )
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def as_csv(rows: Iterable[Sequence[object]]) -> str:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_text(cell) for cell in row])
    return out.getvalue()


def as_xlsx(rows: Iterable[Sequence[object]], *, sheet: str) -> bytes:
    book = Workbook(write_only=True)
    ws = book.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", sheet)[:31])
    ws.append(HEADER)
    for row in rows:
        ws.append([xlsx_cell(cell) for cell in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
