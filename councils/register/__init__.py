"""The UK council register (councils/data/uk_councils.csv) and its import.

`columns` declares every column and how its text is checked, `reading` reads the CSV,
`checking` checks rows and the rules between them, and `writing` matches rows to councils
and writes them, all or nothing. `welsh` adds the Welsh councils' names in Welsh from their
own file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from django.db import transaction

from .checking import check
from .problems import CouncilImportError, ImportProblem
from .reading import number_rows, read_csv
from .welsh import DEFAULT_WELSH_NAMES_PATH, WelshNamesResult, welsh_names_import
from .writing import ImportResult, apply

__all__ = [
    "DEFAULT_CSV_PATH",
    "DEFAULT_WELSH_NAMES_PATH",
    "CouncilImportError",
    "ImportProblem",
    "ImportResult",
    "WelshNamesResult",
    "councils_import",
    "welsh_names_import",
]

DEFAULT_CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "uk_councils.csv"


def councils_import(
    *,
    path: str | Path | None = None,
    rows: Iterable[Mapping[str, str | None]] | None = None,
) -> ImportResult:
    """Create or update councils from the register CSV, all or nothing.

    Pass either ``path`` (a CSV file with a header line) or ``rows`` (mappings of column
    name to text, numbered as if line 1 were a header). Councils are keyed by GSS code;
    a row whose ``former_gss_codes`` include an existing council's code recodes that
    council. Councils missing from the file are counted, never deleted. Raises
    CouncilImportError listing every problem found, in which case nothing changes.
    """
    if (path is None) == (rows is None):
        raise TypeError("Pass exactly one of path= or rows=.")
    records = read_csv(Path(path)) if path is not None else number_rows(rows or [])
    checked = check(records)
    with transaction.atomic():
        return apply(checked)
