"""Reading the register's CSV file into numbered records."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from .checking import Record
from .columns import REQUIRED_COLUMNS
from .problems import CouncilImportError, ImportProblem


def read_csv(path: Path) -> list[Record]:
    records: list[Record] = []
    line = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames
            if not columns:
                raise CouncilImportError([ImportProblem(1, "The file is empty.")])
            missing = [column for column in REQUIRED_COLUMNS if column not in columns]
            if missing:
                raise CouncilImportError(
                    [
                        ImportProblem(1, f"The header has no “{column}” column.")
                        for column in missing
                    ]
                )
            line = reader.line_num + 1
            for record in reader:
                # A quoted value may span lines; report the line the row starts on.
                spanned = sum(
                    value.count("\n") for value in record.values() if isinstance(value, str)
                )
                records.append((reader.line_num - spanned, record))
                line = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise CouncilImportError(
            [ImportProblem(line, f"The file is not UTF-8 text ({error.reason}).")]
        ) from error
    except csv.Error as error:
        raise CouncilImportError(
            [ImportProblem(line, f"The CSV is malformed: {error}.")]
        ) from error
    return records


def number_rows(
    rows: Iterable[Mapping[str, str | None]],
) -> list[Record]:
    return [(index, row) for index, row in enumerate(rows, start=2)]
