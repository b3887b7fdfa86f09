"""Checking a register file before anything is written: each row by the column table and
the rules between its columns, then the rules across rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from councils.models import Council, Tier

from .columns import (
    COLUMN_OF_FIELD,
    COLUMNS,
    GSS_CODE_RE,
    REQUIRED_COLUMNS,
    TYPE_RULES,
)
from .problems import CouncilImportError, ImportProblem

Record = tuple[int, Mapping[str, str | None]]


@dataclass
class Row:
    """One checked row, and what writing it found and did."""

    line: int
    values: dict[str, Any]
    former_codes: list[str]
    parent_gss: str
    # Filled in while writing.
    council: Council | None = None
    is_new: bool = True
    original: dict[str, Any] = field(default_factory=dict)
    fields_changed: bool = False
    former_changed: bool = False

    @property
    def gss_code(self) -> str:
        return self.values["gss_code"]


def check(records: list[Record]) -> list[Row]:
    """The rows, checked; or CouncilImportError listing every problem in the file."""
    problems: list[ImportProblem] = []
    rows: list[Row] = []
    if not records:
        raise CouncilImportError([ImportProblem(2, "The file has no councils in it.")])
    for line, record in records:
        row_problems: list[str] = []
        row = _check_row(line, record, row_problems)
        problems.extend(ImportProblem(line, message) for message in row_problems)
        if row is not None:
            rows.append(row)
    # Codes of rows that failed their own checks still count as "in the file", so their
    # districts are not also reported as pointing at a missing county.
    codes_in_file = {str(record.get("gss_code") or "").strip() for _, record in records}
    problems.extend(_check_across_rows(rows, codes_in_file))
    if problems:
        raise CouncilImportError(problems)
    return rows


def _check_row(line: int, record: Mapping[str, Any], problems: list[str]) -> Row | None:
    if None in record:
        problems.append("The row has more values than the header has columns.")
        return None
    missing = [column for column in REQUIRED_COLUMNS if record.get(column) is None]
    if missing:
        problems.extend(f"The row has no value for the “{column}” column." for column in missing)
        return None
    parsed = {
        column.name: column.parse(str(record[column.name]).strip(), problems) for column in COLUMNS
    }
    _check_between_columns(parsed, problems)
    if problems:
        return None
    # Keyed by the model's field names, as the importer writes them.
    values = {field: parsed[column] for field, column in COLUMN_OF_FIELD.items()}
    # The model's own field checks (lengths, digits) catch what the rules above do not.
    try:
        Council(**values).clean_fields(exclude=["parent_county"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            column = COLUMN_OF_FIELD.get(field, field)
            problems.extend(f"{column}: {message}" for message in messages)
        return None
    return Row(
        line=line,
        values=values,
        former_codes=parsed["former_gss_codes"],
        parent_gss=parsed["parent_county_gss"],
    )


def _check_between_columns(parsed: dict[str, Any], problems: list[str]) -> None:
    gss, council_type = parsed["gss_code"], parsed["council_type"]
    tier, nation, parent_gss = parsed["tier"], parsed["nation"], parsed["parent_county_gss"]
    if gss in parsed["former_gss_codes"] and GSS_CODE_RE.match(gss):
        problems.append(f"former_gss_codes repeats the council's own code {gss}.")
    if council_type:
        expected_tier, expected_nation, prefix = TYPE_RULES[council_type]
        if tier and tier != expected_tier:
            problems.append(f"tier “{tier}” does not fit council_type “{council_type}”.")
        if nation and nation != expected_nation:
            problems.append(f"nation “{nation}” does not fit council_type “{council_type}”.")
        if GSS_CODE_RE.match(gss) and not gss.startswith(prefix):
            problems.append(
                f"gss_code “{gss}” does not fit council_type “{council_type}”, "
                f"whose codes start {prefix}."
            )
    if tier == Tier.LOWER and not parent_gss:
        problems.append("A district council needs a parent_county_gss.")
    if parent_gss and tier and tier != Tier.LOWER:
        problems.append("Only district councils have a parent_county_gss.")


def _check_across_rows(rows: list[Row], codes_in_file: set[str]) -> list[ImportProblem]:
    """Unique codes and names, and county links inside the file."""
    problems: list[ImportProblem] = []
    for column, label in (
        ("gss_code", "GSS code"),
        ("short_name_en", "short_name"),
        ("la_code", "la_code"),
    ):
        first_line: dict[str, int] = {}
        for row in rows:
            value = row.values[column]
            if value in first_line:
                problems.append(
                    ImportProblem(
                        row.line, f"{label} “{value}” is also used on line {first_line[value]}."
                    )
                )
            else:
                first_line[value] = row.line

    by_gss = {row.gss_code: row for row in rows}
    former_line: dict[str, int] = {}
    for row in rows:
        for code in row.former_codes:
            if code in by_gss:
                problems.append(
                    ImportProblem(
                        row.line,
                        f"former GSS code {code} is the current code of the council "
                        f"on line {by_gss[code].line}.",
                    )
                )
            elif code in former_line:
                problems.append(
                    ImportProblem(
                        row.line,
                        f"former GSS code {code} is also listed on line {former_line[code]}.",
                    )
                )
            else:
                former_line[code] = row.line
        parent = by_gss.get(row.parent_gss)
        if row.parent_gss and row.parent_gss not in codes_in_file:
            problems.append(
                ImportProblem(
                    row.line,
                    f"parent_county_gss {row.parent_gss} is not the code of any "
                    "council in this file.",
                )
            )
        elif parent is not None and parent.values["tier"] != Tier.UPPER:
            problems.append(
                ImportProblem(
                    row.line,
                    f"parent_county_gss {row.parent_gss} is {parent.values['name_en']} "
                    f"(line {parent.line}), which is not a county council.",
                )
            )
    return problems
