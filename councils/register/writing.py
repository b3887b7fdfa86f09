"""Writing checked rows: match each to its council (by code, else a former code), refuse
values that belong to councils the file leaves alone, then update, create and relink."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from councils.models import Council, FormerGssCode

from .checking import Row
from .columns import COLUMN_OF_FIELD, COUNCIL_FIELDS
from .problems import CouncilImportError, ImportProblem

_BATCH_SIZE = 100


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


def apply(rows: list[Row]) -> ImportResult:
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


def _match(rows: list[Row], by_gss: dict[str, Council]) -> set[int]:
    """Find each row's existing council: by its code, else by one of its former codes."""
    problems: list[ImportProblem] = []
    claimed: dict[int, int] = {}
    for row in rows:
        council = by_gss.get(row.gss_code)
        if council is None:
            candidates = [by_gss[code] for code in row.former_codes if code in by_gss]
            if len(candidates) > 1:
                names = ", ".join(f"{c.name_en} ({c.gss_code})" for c in candidates)
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
                    f"This row and line {claimed[council.pk]} both match {council.name_en} "
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
    rows: list[Row],
    existing: list[Council],
    former_rows: list[FormerGssCode],
    matched_ids: set[int],
) -> None:
    """Values the file uses must not belong to a council the file leaves alone."""
    problems: list[ImportProblem] = []
    by_id = {council.pk: council for council in existing}
    owners = {
        column: {getattr(council, column): council for council in existing}
        for column in ("short_name_en", "la_code")
    }
    former_owner = {former.gss_code: by_id[former.council_id] for former in former_rows}

    def describe(council: Council) -> str:
        return f"{council.name_en} ({council.gss_code}), which is not in this file"

    for row in rows:
        for column, owner_map in owners.items():
            value = row.values[column]
            owner = owner_map.get(value)
            if owner is not None and owner is not row.council and owner.pk not in matched_ids:
                problems.append(
                    ImportProblem(
                        row.line,
                        f"{COLUMN_OF_FIELD[column]} “{value}” already belongs to "
                        f"{describe(owner)}.",
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


def _free_swapped_values(rows: list[Row]) -> None:
    """Move unique values out of the way when councils in the file swap or chain them.

    Unique constraints are checked row by row, so renaming A to B's old short name while B
    takes a new one can fail inside one UPDATE. Changed values go to placeholders first.
    """
    updated = [row for row in rows if row.fields_changed]
    for column in ("gss_code", "short_name_en", "la_code"):
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


def _sync_former_codes(rows: list[Row], former_rows: list[FormerGssCode]) -> None:
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
