"""Open data: a published round's aggregates for the public peer groups, as CSV and JSON.

Only groups defined from the public council register are included (all UK, nations, tiers,
council types, regions, population bands, deprivation quintiles, rurality): never a network's
group, never a council's nearest neighbours, never a council by name. A suppressed result
carries only the reason, not even its count, exactly as everywhere else in the portal.
Both formats are produced row by row, so memory stays flat whatever the size.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from assessments.models import AssessmentRound
from assessments.scoring import MAX_LEVEL, MIN_LEVEL
from benchmarks.figures import RESULT_FIELDS, GroupFigures, statistic_rows
from benchmarks.models import PeerGroupKind, ReleasedResult
from benchmarks.services import min_group_size

from .sector.spreadsheet_text import neutralise
from .sector.wording import LICENCE_NOTE

PUBLIC_KINDS = (
    PeerGroupKind.ALL,
    PeerGroupKind.NATION,
    PeerGroupKind.TIER,
    PeerGroupKind.COUNCIL_TYPE,
    PeerGroupKind.REGION,
    PeerGroupKind.POPULATION_BAND,
    PeerGroupKind.DEPRIVATION,
    PeerGroupKind.RURALITY,
)
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CSV_HEADER = ("round", "group", "group_kind", "dimension", "statistic", "value")


def method_notes(min_group: int) -> list[str]:
    return [
        "Each figure summarises the frozen scores of councils whose chief executive signed off "
        "the round's assessment. A council's score for a dimension is the mean of its agreed "
        f"answer levels ({MIN_LEVEL} to {MAX_LEVEL}); its overall score is the mean of its "
        "dimension scores.",
        f"A group with fewer than {min_group} councils with a score shows no figures. The 10th "
        f"and 90th percentiles, minimum and maximum need at least {2 * min_group} councils.",
        "A group is also withheld when comparing it with another published group could "
        f"reveal the scores of fewer than {min_group} councils.",
        "Percentiles use linear interpolation (as PostgreSQL's percentile_cont). Figures are "
        "rounded half up to two decimal places.",
        LICENCE_NOTE,
    ]


def _results(release_id: int) -> Iterator[dict[str, Any]]:
    rows = (
        ReleasedResult.objects.filter(release_id=release_id, group_kind__in=PUBLIC_KINDS)
        .order_by("group_kind", "group_slug", "dimension__order")
        .values(
            "group_slug",
            "group_name",
            "group_kind",
            "dimension__name",
            *RESULT_FIELDS,
        )
    )
    yield from rows.iterator(chunk_size=2000)


def _figures(row: dict[str, Any], min_group: int) -> list[tuple[str, str]]:
    return statistic_rows(GroupFigures.from_row(row), min_group)


def csv_rows(round_: AssessmentRound, *, release_id: int) -> Iterator[str]:
    """The CSV as lines of text, header first."""
    min_group = min_group_size()
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[str]) -> str:
        writer.writerow([neutralise(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(list(CSV_HEADER))
    for row in _results(release_id):
        dimension = row["dimension__name"] or "Overall score"
        start = [round_.name, row["group_name"], row["group_kind"], dimension]
        for statistic, value in _figures(row, min_group):
            yield line([*start, statistic, value])


def json_chunks(
    round_: AssessmentRound, *, release_id: int, published_at: str, csv_url: str
) -> Iterator[str]:
    """The JSON document, one result at a time."""
    min_group = min_group_size()
    head = {
        "round": {"slug": round_.slug, "name": round_.name},
        "published_at": published_at,
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "minimum_group_size": min_group,
        "method": method_notes(min_group),
        "csv": csv_url,
    }
    text = json.dumps(head, indent=None)
    yield text[:-1] + ', "results": ['
    first = True
    for row in _results(release_id):
        entry: dict[str, Any] = {
            "group": row["group_slug"],
            "group_name": row["group_name"],
            "group_kind": row["group_kind"],
            "dimension": row["dimension__name"] or "Overall score",
        }
        for statistic, value in _figures(row, min_group):
            if statistic == "suppressed":
                entry["withheld"] = value
            else:
                entry[statistic] = int(value) if "." not in value else Decimal(value)
        yield ("" if first else ", ") + json.dumps(entry, default=float)
        first = False
    yield "]}"
