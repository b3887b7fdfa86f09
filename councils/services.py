"""Loading the council register (councils/data/uk_councils.csv) into the database, and
each council's choice of how its results are shared with its networks."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    Council,
    CouncilType,
    FormerGssCode,
    Nation,
    Network,
    NetworkSharing,
    Rurality,
    SharingEvent,
    Tier,
)

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_CSV_PATH = Path(__file__).resolve().parent / "data" / "uk_councils.csv"

# Columns the importer reads. parent_county_name is in the shipped file for people
# reading it; the importer links counties by code only, so it may be absent.
REQUIRED_COLUMNS = (
    "gss_code",
    "former_gss_codes",
    "name",
    "short_name",
    "council_type",
    "nation",
    "region",
    "population",
    "population_year",
    "deprivation_score",
    "deprivation_quintile",
    "deprivation_decile",
    "high_deprivation_share",
    "la_code",
    "tier",
    "parent_county_gss",
    "area_km2",
    "density_per_km2",
    "rurality",
    "notes",
)

# Model fields the importer owns, in the order they are written.
COUNCIL_FIELDS = (
    "gss_code",
    "name",
    "short_name",
    "la_code",
    "council_type",
    "tier",
    "nation",
    "region",
    "population",
    "population_year",
    "deprivation_score",
    "deprivation_quintile",
    "deprivation_decile",
    "high_deprivation_share",
    "area_km2",
    "density_per_km2",
    "rurality",
    "notes",
)

GSS_CODE_RE = re.compile(r"^[A-Z]\d{8}$")
LA_CODE_RE = re.compile(r"^[A-Z]{3,4}$")

# What each council type implies: its tier, its nation and the GSS prefix of its area.
TYPE_RULES: dict[str, tuple[str, str, str]] = {
    CouncilType.COUNTY: (Tier.UPPER, Nation.ENGLAND, "E10"),
    CouncilType.DISTRICT: (Tier.LOWER, Nation.ENGLAND, "E07"),
    CouncilType.UNITARY: (Tier.UNITARY, Nation.ENGLAND, "E06"),
    CouncilType.METROPOLITAN_DISTRICT: (Tier.UNITARY, Nation.ENGLAND, "E08"),
    CouncilType.LONDON_BOROUGH: (Tier.UNITARY, Nation.ENGLAND, "E09"),
    CouncilType.WELSH_UNITARY: (Tier.UNITARY, Nation.WALES, "W06"),
    CouncilType.SCOTTISH_UNITARY: (Tier.UNITARY, Nation.SCOTLAND, "S12"),
    CouncilType.NI_DISTRICT: (Tier.NI_DISTRICT, Nation.NORTHERN_IRELAND, "N09"),
}

_BATCH_SIZE = 100


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CouncilImportError(Exception):
    """The file cannot be imported. Nothing in the database was changed."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the council file: "
            + "; ".join(str(problem) for problem in self.problems[:5])
            + ("; …" if count > 5 else "")
        )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    # Councils in the database that the file does not mention. They are left alone,
    # because assessments and memberships hang off them.
    not_in_file: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class _Row:
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
    records = _read_csv(Path(path)) if path is not None else _number(rows or [])
    parsed = _parse(records)
    with transaction.atomic():
        return _apply(parsed)


# Reading -------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[tuple[int, Mapping[str, str | None]]]:
    records: list[tuple[int, Mapping[str, str | None]]] = []
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


def _number(
    rows: Iterable[Mapping[str, str | None]],
) -> list[tuple[int, Mapping[str, str | None]]]:
    return [(index, row) for index, row in enumerate(rows, start=2)]


# Checking ------------------------------------------------------------------------------


def _parse(records: list[tuple[int, Mapping[str, str | None]]]) -> list[_Row]:
    problems: list[ImportProblem] = []
    parsed: list[_Row] = []
    if not records:
        raise CouncilImportError([ImportProblem(2, "The file has no councils in it.")])
    for line, record in records:
        row_problems: list[str] = []
        row = _parse_row(line, record, row_problems)
        problems.extend(ImportProblem(line, message) for message in row_problems)
        if row is not None:
            parsed.append(row)
    # Codes of rows that failed their own checks still count as "in the file", so their
    # districts are not also reported as pointing at a missing county.
    codes_in_file = {str(record.get("gss_code") or "").strip() for _, record in records}
    problems.extend(_check_file(parsed, codes_in_file))
    if problems:
        raise CouncilImportError(problems)
    return parsed


def _parse_row(line: int, record: Mapping[str, Any], problems: list[str]) -> _Row | None:
    if None in record:
        problems.append("The row has more values than the header has columns.")
        return None
    missing = [column for column in REQUIRED_COLUMNS if record.get(column) is None]
    if missing:
        problems.extend(f"The row has no value for the “{column}” column." for column in missing)
        return None
    text = {column: str(record[column]).strip() for column in REQUIRED_COLUMNS}

    for column in ("gss_code", "name", "short_name", "la_code", "region"):
        if not text[column]:
            problems.append(f"{column} is blank.")
    gss = text["gss_code"]
    if gss and not GSS_CODE_RE.match(gss):
        problems.append(
            f"gss_code “{gss}” is not a GSS code: it should be a capital letter "
            "followed by 8 digits, like E06000001."
        )
    la_code = text["la_code"]
    if la_code and not LA_CODE_RE.match(la_code):
        problems.append(f"la_code “{la_code}” should be 3 or 4 capital letters, like HPL.")

    former_codes = [code.strip() for code in text["former_gss_codes"].split(";") if code.strip()]
    for code in former_codes:
        if not GSS_CODE_RE.match(code):
            problems.append(
                f"former_gss_codes has “{code}”, which is not a GSS code like E06000001."
            )
        elif code == gss:
            problems.append(f"former_gss_codes repeats the council's own code {code}.")
    if len(set(former_codes)) != len(former_codes):
        problems.append("former_gss_codes lists the same code twice.")

    parent_gss = text["parent_county_gss"]
    if parent_gss and not GSS_CODE_RE.match(parent_gss):
        problems.append(f"parent_county_gss “{parent_gss}” is not a GSS code like E10000002.")

    council_type = _choice(text, "council_type", CouncilType.values, problems)
    tier = _choice(text, "tier", Tier.values, problems)
    nation = _choice(text, "nation", Nation.values, problems)
    _choice(text, "rurality", Rurality.values, problems)
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

    values: dict[str, Any] = {column: text[column] for column in COUNCIL_FIELDS}
    values["population"] = _integer(text, "population", problems, minimum=0)
    values["population_year"] = _integer(
        text, "population_year", problems, minimum=1900, maximum=2100
    )
    values["deprivation_quintile"] = _integer(
        text, "deprivation_quintile", problems, minimum=1, maximum=5
    )
    values["deprivation_decile"] = _integer(
        text, "deprivation_decile", problems, minimum=1, maximum=10
    )
    values["deprivation_score"] = _decimal(text, "deprivation_score", problems)
    values["high_deprivation_share"] = _decimal(
        text, "high_deprivation_share", problems, minimum=Decimal(0), maximum=Decimal(1)
    )
    values["area_km2"] = _decimal(text, "area_km2", problems, minimum=Decimal(0))
    values["density_per_km2"] = _decimal(text, "density_per_km2", problems, minimum=Decimal(0))
    if problems:
        return None

    # The model's own field checks (lengths, digits) catch what the rules above do not.
    try:
        Council(**values).clean_fields(exclude=["parent_county"])
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            problems.extend(f"{column}: {message}" for message in messages)
        return None
    return _Row(line=line, values=values, former_codes=former_codes, parent_gss=parent_gss)


def _choice(text: dict[str, str], column: str, allowed: list[str], problems: list[str]) -> str:
    value = text[column]
    if value in allowed:
        return value
    shown = f"“{value}”" if value else "blank"
    problems.append(f"{column} is {shown}; it must be one of: {', '.join(allowed)}.")
    return ""


def _integer(
    text: dict[str, str],
    column: str,
    problems: list[str],
    *,
    minimum: int,
    maximum: int | None = None,
) -> int | None:
    value = text[column]
    try:
        number = int(value.replace(",", ""))
    except ValueError:
        shown = f"“{value}”" if value else "blank"
        problems.append(f"{column} is {shown}, not a whole number.")
        return None
    if maximum is not None and not minimum <= number <= maximum:
        problems.append(f"{column} is {number}; it must be between {minimum} and {maximum}.")
        return None
    if number < minimum:
        problems.append(f"{column} is {number}; it must be {minimum} or more.")
        return None
    return number


def _decimal(
    text: dict[str, str],
    column: str,
    problems: list[str],
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal | None:
    value = text[column]
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        shown = f"“{value}”" if value else "blank"
        problems.append(f"{column} is {shown}, not a number.")
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        limits = " and ".join(
            part
            for part in (
                f"at least {minimum}" if minimum is not None else "",
                f"at most {maximum}" if maximum is not None else "",
            )
            if part
        )
        problems.append(f"{column} is {number}; it must be {limits}.")
        return None
    return number


def _check_file(rows: list[_Row], codes_in_file: set[str]) -> list[ImportProblem]:
    """Rules across rows: unique codes and names, and county links inside the file."""
    problems: list[ImportProblem] = []
    for column, label in (
        ("gss_code", "GSS code"),
        ("short_name", "short_name"),
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
                    f"parent_county_gss {row.parent_gss} is {parent.values['name']} "
                    f"(line {parent.line}), which is not a county council.",
                )
            )
    return problems


# Writing -------------------------------------------------------------------------------


def _apply(rows: list[_Row]) -> ImportResult:
    existing = list(Council.objects.select_for_update().order_by("pk"))
    by_gss = {council.gss_code: council for council in existing}
    former_rows = list(FormerGssCode.objects.select_for_update().order_by("pk"))

    matched_ids = _match(rows, by_gss)
    _check_against_database(rows, existing, former_rows, matched_ids)

    now = timezone.now()
    to_update: list[Council] = []
    to_create: list[Council] = []
    for row in rows:
        council = row.council
        if council is None:
            council = Council(**row.values)
            row.council = council
            to_create.append(council)
            continue
        row.is_new = False
        row.original = {name: getattr(council, name) for name in COUNCIL_FIELDS}
        changed = [name for name in COUNCIL_FIELDS if row.original[name] != row.values[name]]
        if changed:
            row.fields_changed = True
            for name in changed:
                setattr(council, name, row.values[name])
            council.updated_at = now
            to_update.append(council)

    # Updates first: they may free a short name or code that a new council takes.
    _free_swapped_values(rows)
    Council.objects.bulk_update(to_update, [*COUNCIL_FIELDS, "updated_at"], batch_size=_BATCH_SIZE)
    Council.objects.bulk_create(to_create, batch_size=_BATCH_SIZE)
    if any(council.pk is None for council in to_create):
        # Backends that cannot return ids from a bulk insert.
        ids = dict(
            Council.objects.filter(
                gss_code__in=[council.gss_code for council in to_create]
            ).values_list("gss_code", "pk")
        )
        for council in to_create:
            council.pk = ids[council.gss_code]

    _sync_former_codes(rows, former_rows)

    # Second pass: county links, now that every council in the file has an id.
    id_by_gss = {row.gss_code: row.council.pk for row in rows if row.council}
    relink: list[Council] = []
    for row in rows:
        council = row.council
        assert council is not None
        parent_id = id_by_gss[row.parent_gss] if row.parent_gss else None
        parent_changed = council.parent_county_id != parent_id
        if parent_changed:
            council.parent_county_id = parent_id
        if row.is_new:
            if parent_changed:
                relink.append(council)
        elif parent_changed or (row.former_changed and not row.fields_changed):
            council.updated_at = now
            relink.append(council)
        row.fields_changed = row.fields_changed or parent_changed
    Council.objects.bulk_update(relink, ["parent_county", "updated_at"], batch_size=_BATCH_SIZE)

    matched = [row for row in rows if not row.is_new]
    updated = sum(1 for row in matched if row.fields_changed or row.former_changed)
    return ImportResult(
        created=len(to_create),
        updated=updated,
        unchanged=len(matched) - updated,
        not_in_file=len(existing) - len(matched_ids),
    )


def _match(rows: list[_Row], by_gss: dict[str, Council]) -> set[int]:
    """Find each row's existing council: by its code, else by one of its former codes."""
    problems: list[ImportProblem] = []
    claimed: dict[int, int] = {}
    for row in rows:
        council = by_gss.get(row.gss_code)
        if council is None:
            candidates = [by_gss[code] for code in row.former_codes if code in by_gss]
            if len(candidates) > 1:
                names = ", ".join(f"{c.name} ({c.gss_code})" for c in candidates)
                problems.append(
                    ImportProblem(
                        row.line,
                        f"former_gss_codes match more than one council already imported "
                        f"({names}). The import cannot merge councils.",
                    )
                )
                continue
            council = candidates[0] if candidates else None
        if council is None:
            continue
        if council.pk in claimed:
            problems.append(
                ImportProblem(
                    row.line,
                    f"This row and line {claimed[council.pk]} both match {council.name} "
                    f"({council.gss_code}).",
                )
            )
            continue
        claimed[council.pk] = row.line
        row.council = council
    if problems:
        raise CouncilImportError(problems)
    return set(claimed)


def _check_against_database(
    rows: list[_Row],
    existing: list[Council],
    former_rows: list[FormerGssCode],
    matched_ids: set[int],
) -> None:
    """Values the file uses must not belong to a council the file leaves alone."""
    problems: list[ImportProblem] = []
    by_id = {council.pk: council for council in existing}
    owners = {
        column: {getattr(council, column): council for council in existing}
        for column in ("short_name", "la_code")
    }
    former_owner = {former.gss_code: by_id[former.council_id] for former in former_rows}

    def describe(council: Council) -> str:
        return f"{council.name} ({council.gss_code}), which is not in this file"

    for row in rows:
        for column, owner_map in owners.items():
            value = row.values[column]
            owner = owner_map.get(value)
            if owner is not None and owner is not row.council and owner.pk not in matched_ids:
                problems.append(
                    ImportProblem(
                        row.line, f"{column} “{value}” already belongs to {describe(owner)}."
                    )
                )
        owner = former_owner.get(row.gss_code)
        if owner is not None and owner.pk not in matched_ids:
            problems.append(
                ImportProblem(
                    row.line,
                    f"GSS code {row.gss_code} is recorded as a former code of "
                    f"{describe(owner)}. Is this file older than the data already imported?",
                )
            )
        for code in row.former_codes:
            owner = former_owner.get(code)
            if owner is not None and owner is not row.council and owner.pk not in matched_ids:
                problems.append(
                    ImportProblem(
                        row.line, f"former GSS code {code} already belongs to {describe(owner)}."
                    )
                )
    if problems:
        raise CouncilImportError(problems)


def _free_swapped_values(rows: list[_Row]) -> None:
    """Move unique values out of the way when councils in the file swap or chain them.

    Unique constraints are checked row by row, so renaming A to B's old short name while B
    takes a new one can fail inside one UPDATE. Changed values go to placeholders first.
    """
    updated = [row for row in rows if row.fields_changed]
    for column in ("gss_code", "short_name", "la_code"):
        movers = [row for row in updated if row.original[column] != row.values[column]]
        held = {row.original[column]: row.council for row in movers}
        clash = any(held.get(row.values[column]) not in (None, row.council) for row in movers)
        if not clash:
            continue
        placeholders: list[Council] = []
        for index, row in enumerate(movers):
            council = Council(pk=row.council.pk)  # type: ignore[union-attr]
            setattr(council, column, _placeholder(column, index))
            placeholders.append(council)
        Council.objects.bulk_update(placeholders, [column], batch_size=_BATCH_SIZE)


def _placeholder(column: str, index: int) -> str:
    # Characters the row checks never allow, sized to each column's max_length.
    digits = ""
    number = index
    while True:
        number, remainder = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[remainder] + digits
        if number == 0:
            break
    if column == "la_code":
        return "~" + digits.rjust(3, "0")
    if column == "gss_code":
        return "~" + digits.rjust(8, "0")
    return f"~moving~{digits}"


def _sync_former_codes(rows: list[_Row], former_rows: list[FormerGssCode]) -> None:
    wanted = {
        (code, row.council.pk): row
        for row in rows
        if row.council is not None
        for code in row.former_codes
    }
    in_file_ids = {row.council.pk for row in rows if row.council is not None}
    row_by_id = {row.council.pk: row for row in rows if row.council is not None}
    have = {(former.gss_code, former.council_id) for former in former_rows}

    stale = [
        former
        for former in former_rows
        if former.council_id in in_file_ids and (former.gss_code, former.council_id) not in wanted
    ]
    new = [
        FormerGssCode(gss_code=code, council_id=council_id)
        for (code, council_id) in wanted
        if (code, council_id) not in have
    ]
    for former in stale:
        row_by_id[former.council_id].former_changed = True
    for former in new:
        row_by_id[former.council_id].former_changed = True
    # Delete before create: a code may move from one council to another.
    if stale:
        FormerGssCode.objects.filter(pk__in=[former.pk for former in stale]).delete()
    FormerGssCode.objects.bulk_create(new, batch_size=_BATCH_SIZE)


# Sharing with networks -----------------------------------------------------------------


class SharingError(ValueError):
    """A rule stops this sharing choice. The message is written for the person who tried."""


def sharing_set(*, council: Council, network: Network, by_name: bool, by: User) -> bool:
    """Set whether the network may show the council's results by name; True if it changed.

    Refuses (SharingError) if the council is not a member of the network. A change is
    written to the audit trail (SharingEvent) in the same transaction; setting the value
    the council already has changes nothing and records nothing, so it is safe to repeat.
    Who may make the choice (the council's assessment lead) is the view's to check.
    """
    with transaction.atomic():
        if not network.members.filter(pk=council.pk).exists():
            raise SharingError(f"{council.short_name} is not a member of {network.name}.")
        now = timezone.now()
        rows = NetworkSharing.objects.select_for_update()
        if by_name:
            # get_or_create copes with someone else creating the row at the same moment.
            row, created = rows.get_or_create(
                council=council,
                network=network,
                defaults={"by_name": True, "updated_at": now, "updated_by": by},
            )
        else:
            # No row already means anonymous, so going anonymous never needs to create one.
            found = rows.filter(council=council, network=network).first()
            if found is None:
                return False
            row, created = found, False
        if not created:
            if row.by_name == by_name:
                return False
            row.by_name, row.updated_at, row.updated_by = by_name, now, by
            row.save(update_fields=["by_name", "updated_at", "updated_by"])
        SharingEvent.objects.create(
            council=council,
            network=network,
            actor=by,
            at=now,
            by_name_before=not by_name,
            by_name_after=by_name,
        )
        return True


def sharing_set_many(*, council: Council, choices: Mapping[Network, bool], by: User) -> int:
    """Apply several sharing choices for one council, all or nothing; the number changed.

    Only the networks whose value differs from what is stored go through `sharing_set`,
    so saving a page of unchanged choices costs two queries. Refuses (SharingError) if the
    council is not a member of one of the networks; any refusal undoes every change.
    """
    with transaction.atomic():
        member_of = set(
            council.networks.filter(pk__in=[network.pk for network in choices]).values_list(
                "pk", flat=True
            )
        )
        outside = sorted(network.name for network in choices if network.pk not in member_of)
        if outside:
            raise SharingError(f"{council.short_name} is not a member of {', '.join(outside)}.")
        # Lock what is there first, so the comparison holds until the changes are written.
        stored = dict(
            NetworkSharing.objects.select_for_update()
            .filter(council=council, network__in=list(choices))
            .values_list("network_id", "by_name")
        )
        return sum(
            sharing_set(council=council, network=network, by_name=by_name, by=by)
            for network, by_name in choices.items()
            if stored.get(network.pk, False) != by_name
        )
