"""The plan as CSV and XLSX for the council's own programme tools: one row per action (a target
with no actions yet is one row), every text cell neutralised so no spreadsheet runs it."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from io import BytesIO, StringIO

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.spreadsheet_text import neutralise, xlsx_cell

from .reads import PlanPage

HEADER = [
    _("Barrier"),
    _("Question"),
    _("Level at sign-off"),
    _("Target level"),
    _("By"),
    _("Outcome"),
    _("Level reached"),
    # A step in the plan ("cam gweithredu"), not a button's column ("gweithred").
    pgettext_lazy("improvement plan", "Action"),
    _("Owner"),
    _("Due date"),
    _("Status"),
    _("Blocked by"),
    _("Latest update"),
    _("Latest update on"),
]


def header() -> list[str]:
    """The column names, in the active language."""
    return [str(name) for name in HEADER]


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
            str(target.get_outcome_display()) if target.outcome else "",
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
                    str(action.get_status_display()),
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
    writer.writerow(header())
    for row in rows:
        writer.writerow([_text(cell) for cell in row])
    return out.getvalue()


def as_xlsx(rows: Iterable[Sequence[object]], *, sheet: str) -> bytes:
    book = Workbook(write_only=True)
    ws = book.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", sheet)[:31])
    ws.append(header())
    for row in rows:
        ws.append([xlsx_cell(cell) for cell in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
