"""The sector report as CSV: tidy long format, one row per group, subject and statistic,
produced row by row so a view can stream it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from benchmarks.figures import GroupFigures, statistic_rows
from core.spreadsheet_text import neutralise

from .data import SectorData

# Identifiers, documented (reports/README.md) and shared with open data: the same in every
# language, as are group_kind and the statistics. Names (scope, group, dimension) and a
# suppressed row's reason are in the report's language.
CSV_HEADER = ("round", "scope", "group", "group_kind", "dimension", "statistic", "value")


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
