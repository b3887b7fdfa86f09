"""The Welsh councils' names in Welsh (councils/data/welsh_names.csv), beside the register.

The register's names are English. A Welsh council works under the Welsh Language Standards,
so a page in Welsh names it in Welsh: `Council.name` and `short_name` read the Welsh when
Welsh is active. The file holds one row per Welsh council (gss_code, name_cy, short_name_cy),
checked all together before anything is written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.utils import timezone

from councils.models import Council, Nation

from .columns import GSS_CODE_RE
from .problems import CouncilImportError, ImportProblem, shown

DEFAULT_WELSH_NAMES_PATH = Path(__file__).resolve().parent.parent / "data" / "welsh_names.csv"
COLUMNS = ("gss_code", "name_cy", "short_name_cy")


class _Row(NamedTuple):
    line: int
    gss_code: str
    name_cy: str
    short_name_cy: str


@dataclass(frozen=True)
class WelshNamesResult:
    changed: int
    unchanged: int
    # Rows for councils this database does not have (a register cut down for a test, say).
    not_in_register: int


def welsh_names_import(path: Path = DEFAULT_WELSH_NAMES_PATH) -> WelshNamesResult:
    """Set each listed Welsh council's Welsh names; all or nothing, safe to run again.

    Call it inside a transaction (import_councils does). Raises CouncilImportError listing
    every problem, by line, in which case nothing changes.
    """
    rows = _read(path)
    codes = [row.gss_code for row in rows]
    councils = {c.gss_code: c for c in Council.objects.filter(gss_code__in=codes)}
    taken = dict(
        Council.objects.exclude(gss_code__in=codes)
        .exclude(short_name_cy="")
        .values_list("short_name_cy", "name_en")
    )
    problems = _check(rows, councils, taken)
    if problems:
        raise CouncilImportError(problems)
    changed = []
    now = timezone.now()
    for row in rows:
        council = councils.get(row.gss_code)
        if council is None:
            continue
        if (council.name_cy, council.short_name_cy) != (row.name_cy, row.short_name_cy):
            council.name_cy, council.short_name_cy = row.name_cy, row.short_name_cy
            council.updated_at = now
            changed.append(council)
    # Blank first, so two councils can swap names without tripping the unique constraint.
    Council.objects.filter(pk__in=[c.pk for c in changed]).update(short_name_cy="")
    Council.objects.bulk_update(changed, ["name_cy", "short_name_cy", "updated_at"])
    # A code is in the file once (checked), so each council found stands for one row.
    return WelshNamesResult(
        changed=len(changed),
        unchanged=len(councils) - len(changed),
        not_in_register=len(rows) - len(councils),
    )


def _read(path: Path) -> list[_Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise CouncilImportError(
                    [ImportProblem(1, f"The header must be: {', '.join(COLUMNS)}.")]
                )
            rows = []
            for record in reader:
                code, name_cy, short_name_cy = (
                    str(record.get(column) or "").strip() for column in COLUMNS
                )
                rows.append(_Row(reader.line_num, code, name_cy, short_name_cy))
            return rows
    except UnicodeDecodeError as error:
        raise CouncilImportError(
            [ImportProblem(1, f"The file is not UTF-8 text ({error.reason}).")]
        ) from error
    except csv.Error as error:
        raise CouncilImportError([ImportProblem(1, f"The CSV is malformed: {error}.")]) from error


def _check(
    rows: list[_Row], councils: dict[str, Council], taken: dict[str, str]
) -> list[ImportProblem]:
    """`taken`: Welsh short names of councils the file leaves alone, and whose they are."""
    problems: list[ImportProblem] = []
    first_line: dict[tuple[str, str], int] = {}
    lengths = {
        "name_cy": Council._meta.get_field("name_cy").max_length or 0,
        "short_name_cy": Council._meta.get_field("short_name_cy").max_length or 0,
    }
    for line, code, name_cy, short_name_cy in rows:
        council = councils.get(code)
        if not (GSS_CODE_RE.match(code) and code.startswith("W06")):
            problems.append(
                ImportProblem(line, f"gss_code {shown(code)} is not a Welsh council's code.")
            )
        elif council is not None and council.nation != Nation.WALES:
            problems.append(
                ImportProblem(line, f"{code} is {council.name_en}, which is not a Welsh council.")
            )
        for column, value in (("name_cy", name_cy), ("short_name_cy", short_name_cy)):
            if not value:
                problems.append(ImportProblem(line, f"{column} is blank."))
            elif len(value) > lengths[column]:
                problems.append(
                    ImportProblem(
                        line, f"{column} {shown(value)} is longer than {lengths[column]} letters."
                    )
                )
        if short_name_cy in taken:
            problems.append(
                ImportProblem(
                    line,
                    f"short_name_cy {shown(short_name_cy)} already belongs to "
                    f"{taken[short_name_cy]}, which is not in this file.",
                )
            )
        for column, value in (("gss_code", code), ("short_name_cy", short_name_cy)):
            seen = first_line.setdefault((column, value), line)
            if value and seen != line:
                problems.append(
                    ImportProblem(line, f"{column} {shown(value)} is also used on line {seen}.")
                )
    return problems
