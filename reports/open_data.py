"""Open data: a closed round's aggregates for the public peer groups, as CSV and JSON files
made once per edition and stored as published (models.OpenDataEdition).

Only groups defined from the public council register are included (all UK, nations, tiers,
council types, regions, population bands, deprivation quintiles, rurality): never a network's
group, never a council's nearest neighbours, never a council by name. A suppressed result
carries only the reason, not even its count, exactly as everywhere else in the portal.
The public groups do not grow with the number of councils, so an edition's files are small
(well under a megabyte) and are made in memory.

The files are published once, for everyone, and never change: they are always written in the
portal's default language (English), whoever publishes them, with the same column names and
statistic identifiers as the sector CSV. The open data page around them is in the reader's
language.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound, RoundStatus
from assessments.scoring import MAX_LEVEL, MIN_LEVEL
from benchmarks.figures import RESULT_FIELDS, GroupFigures, statistic_rows
from benchmarks.models import PeerGroupKind, Release, ReleasedResult
from benchmarks.services import min_group_size
from core.spreadsheet_text import neutralise
from core.translation import in_language

from .models import OpenDataEdition, edition_file_name
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
LICENCE = _("Creative Commons Attribution 4.0 International (CC BY 4.0)")
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Identifiers, as published: not translated.
CSV_HEADER = ("round", "group", "group_kind", "dimension", "statistic", "value")
# The overall score's name in the files (always English, as the files are).
OVERALL = "Overall score"


def method_notes(min_group: int) -> list[str]:
    """How the figures are made, in the active language (the files: always the default)."""
    return [
        gettext(
            "Each figure summarises the frozen scores of councils whose chief executive signed "
            "off the round's assessment. A council's score for a barrier is the mean of its "
            "agreed answer levels (%(lowest)s to %(highest)s); its overall score is the mean of "
            "its barrier scores."
        )
        % {"lowest": MIN_LEVEL, "highest": MAX_LEVEL},
        gettext(
            "A group with fewer than %(min_group)s councils with a score shows no figures. The "
            "10th and 90th percentiles, minimum and maximum need at least %(double)s councils."
        )
        % {"min_group": min_group, "double": 2 * min_group},
        gettext(
            "A group is also withheld when comparing it with another published group could "
            "reveal the scores of fewer than %(min_group)s councils."
        )
        % {"min_group": min_group},
        gettext(
            "Percentiles use linear interpolation (as PostgreSQL's percentile_cont). Figures are "
            "rounded half up to two decimal places."
        ),
        str(LICENCE_NOTE),
    ]


@dataclass(frozen=True)
class EditionFiles:
    """An edition's two files, as published."""

    csv: bytes
    json: bytes

    @property
    def csv_sha256(self) -> str:
        return hashlib.sha256(self.csv).hexdigest()

    @property
    def json_sha256(self) -> str:
        return hashlib.sha256(self.json).hexdigest()


@dataclass(frozen=True)
class EditionHead:
    """What the JSON file says about its edition."""

    round_slug: str
    round_name: str
    number: int
    published_at: datetime
    release_number: int
    release_made_at: datetime
    correction: str


def release_rows(results: Any, release_id: int) -> list[dict[str, Any]]:
    """The public groups' rows of one release, in file order. `results` is ReleasedResult's
    manager (or the migration's historical one). A row's "dimension__name" is the barrier's
    name in the active language."""
    # The migration's historical dimension may be as it was before the Welsh (just `name`).
    dimension = results.model._meta.get_field("dimension").related_model
    welsh = any(field.name == "name_cy" for field in dimension._meta.get_fields())
    names = ("dimension__name_en", "dimension__name_cy") if welsh else ("dimension__name",)
    rows = (
        results.filter(release_id=release_id, group_kind__in=PUBLIC_KINDS)
        .order_by("group_kind", "group_slug", "dimension__order")
        .values("group_slug", "group_name", "group_kind", *names, *RESULT_FIELDS)
    )
    found = list(rows)
    for row in found if welsh else ():
        row["dimension__name"] = in_language(
            row.pop("dimension__name_en"), row.pop("dimension__name_cy")
        )
    return found


def _dimension(row: dict[str, Any]) -> str:
    return row["dimension__name"] or OVERALL


def render_csv(round_name: str, rows: list[dict[str, Any]], *, min_group: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        start = [round_name, row["group_name"], row["group_kind"], _dimension(row)]
        for statistic, value in statistic_rows(GroupFigures.from_row(row), min_group):
            writer.writerow([neutralise(cell) for cell in [*start, statistic, value]])
    return buffer.getvalue().encode()


def _entry(row: dict[str, Any], min_group: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "group": row["group_slug"],
        "group_name": row["group_name"],
        "group_kind": row["group_kind"],
        "dimension": _dimension(row),
    }
    for statistic, value in statistic_rows(GroupFigures.from_row(row), min_group):
        if statistic == "suppressed":
            entry["withheld"] = value
        else:
            entry[statistic] = int(value) if "." not in value else Decimal(value)
    return entry


def render(head: EditionHead, rows: list[dict[str, Any]], *, min_group: int) -> EditionFiles:
    """Both files of an edition. The JSON names the CSV and its SHA-256, so either file can be
    checked against the other and against the open data page. Always in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(head, rows, min_group=min_group)


def _render(head: EditionHead, rows: list[dict[str, Any]], *, min_group: int) -> EditionFiles:
    csv_bytes = render_csv(head.round_name, rows, min_group=min_group)
    document = {
        "round": {"slug": head.round_slug, "name": head.round_name},
        "edition": {
            "number": head.number,
            "published_at": head.published_at.isoformat(),
            "correction": head.correction,
        },
        "release": {"number": head.release_number, "made_at": head.release_made_at.isoformat()},
        "licence": {"name": str(LICENCE), "url": LICENCE_URL},
        "minimum_group_size": min_group,
        "method": method_notes(min_group),
        "csv": {
            "file": edition_file_name(head.round_slug, head.number, "csv"),
            "sha256": hashlib.sha256(csv_bytes).hexdigest(),
        },
        "results": [_entry(row, min_group) for row in rows],
    }
    json_bytes = json.dumps(document, default=float, ensure_ascii=False).encode()
    return EditionFiles(csv=csv_bytes, json=json_bytes)


# What publishing would change ------------------------------------------------------------------


class Change(StrEnum):
    FIRST = "first"
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"


@dataclass(frozen=True)
class GroupLine:
    """One public group as an edition would show it: what the confirmation page lists."""

    slug: str
    name: str
    kind: str
    councils: int | None
    withheld: str | None
    change: Change


@dataclass(frozen=True)
class Comparison:
    groups: list[GroupLine]
    # Groups in the previous edition that this one no longer has (the group was removed).
    dropped: list[str]

    @property
    def changed(self) -> int:
        return sum(line.change in (Change.CHANGED, Change.ADDED) for line in self.groups)


def _by_group(json_bytes: bytes) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in json.loads(json_bytes, parse_float=Decimal)["results"]:
        grouped.setdefault(entry["group"], []).append(entry)
    return grouped


def compare(new_json: bytes, previous_json: bytes | None) -> Comparison:
    """Each public group of a new edition, with its overall count (or why it is withheld) and
    whether its figures differ from the previous edition's."""
    new = _by_group(new_json)
    before = _by_group(previous_json) if previous_json is not None else None
    lines = []
    for slug, entries in new.items():
        overall = next(e for e in entries if e["dimension"] == OVERALL)
        if before is None:
            change = Change.FIRST
        elif slug not in before:
            change = Change.ADDED
        else:
            change = Change.SAME if before[slug] == entries else Change.CHANGED
        lines.append(
            GroupLine(
                slug=slug,
                name=overall["group_name"],
                kind=overall["group_kind"],
                councils=overall.get("councils"),
                withheld=overall.get("withheld"),
                change=change,
            )
        )
    dropped = sorted(
        entries[0]["group_name"] for slug, entries in (before or {}).items() if slug not in new
    )
    return Comparison(groups=lines, dropped=dropped)


# The next edition ------------------------------------------------------------------------------


class CannotPublish(Exception):
    """The round cannot be published at all: it is still open, or it has no release."""


class FiguresMoved(Exception):
    """A new release was made after the confirmation page was shown: what it listed is no
    longer exactly what would be published."""


@dataclass(frozen=True)
class EditionPlan:
    """What publishing the round now would make public."""

    round: AssessmentRound
    release: Release
    number: int
    previous: OpenDataEdition | None
    files: EditionFiles
    comparison: Comparison

    @property
    def nothing_new(self) -> bool:
        """The figures are exactly those of the latest edition: there is nothing to correct."""
        return (
            self.previous is not None
            and self.comparison.changed == 0
            and not self.comparison.dropped
        )

    @property
    def csv_rows(self) -> int:
        return self.files.csv.count(b"\n") - 1


def edition_plan(
    round_: AssessmentRound, *, published_at: datetime, correction: str = ""
) -> EditionPlan:
    """The next edition of a round's open data, made from its current release. CannotPublish
    for a round still open (two downloads made while councils sign off could be subtracted)
    or with no release."""
    if round_.status != RoundStatus.CLOSED:
        raise CannotPublish(gettext("Only a closed round can be published: close the round first."))
    release = Release.objects.filter(round=round_, current=True).first()
    if release is None:
        raise CannotPublish(gettext("This round has no released figures to publish."))
    previous = OpenDataEdition.objects.latest_of(round_.pk)
    number = previous.number + 1 if previous else 1
    min_group = min_group_size()
    head = EditionHead(
        round_slug=round_.slug,
        round_name=round_.name_en,  # open data files are in English, whoever asks
        number=number,
        published_at=published_at,
        release_number=release.number,
        release_made_at=release.made_at,
        correction=correction,
    )
    # The files are in the default language whoever publishes them (the barriers' names too).
    with translation.override(settings.LANGUAGE_CODE):
        rows = release_rows(ReleasedResult.objects, release.pk)
    files = render(head, rows, min_group=min_group)
    previous_json = bytes(previous.json_file) if previous else None
    return EditionPlan(
        round=round_,
        release=release,
        number=number,
        previous=previous,
        files=files,
        comparison=compare(files.json, previous_json),
    )
