"""The register's columns, declared once: what each holds and how its text is checked.

Each column turns the text of one cell into a value, adding a plain-English problem for
anything wrong; the importer reads, checks and writes from this table alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from councils.models import CouncilType, Nation, Rurality, Tier

from .problems import shown

GSS_CODE_RE = re.compile(r"^[A-Z]\d{8}$")
LA_CODE_RE = re.compile(r"^[A-Z]{3,4}$")


@dataclass(frozen=True)
class Column:
    name: str
    # A model field the importer owns; other columns only steer the import.
    field: bool = True
    # The field's name on Council, where it is not the column's.
    field_name: str = ""

    @property
    def model_field(self) -> str:
        return self.field_name or self.name

    def parse(self, text: str, problems: list[str]) -> Any:
        return text


@dataclass(frozen=True)
class Text(Column):
    required: bool = False
    pattern: re.Pattern[str] | None = None
    # Says what the value should look like, after "<column> “<value>” ".
    pattern_help: str = ""

    def parse(self, text: str, problems: list[str]) -> str:
        if not text:
            if self.required:
                problems.append(f"{self.name} is blank.")
        elif self.pattern is not None and not self.pattern.match(text):
            problems.append(f"{self.name} “{text}” {self.pattern_help}")
        return text


@dataclass(frozen=True)
class Codes(Column):
    """GSS codes separated by semicolons."""

    def parse(self, text: str, problems: list[str]) -> list[str]:
        codes = [code.strip() for code in text.split(";") if code.strip()]
        for code in codes:
            if not GSS_CODE_RE.match(code):
                problems.append(
                    f"{self.name} has “{code}”, which is not a GSS code like E06000001."
                )
        if len(set(codes)) != len(codes):
            problems.append(f"{self.name} lists the same code twice.")
        return codes


@dataclass(frozen=True)
class Choice(Column):
    allowed: Sequence[str] = ()

    def parse(self, text: str, problems: list[str]) -> str:
        if text in self.allowed:
            return text
        problems.append(
            f"{self.name} is {shown(text)}; it must be one of: {', '.join(self.allowed)}."
        )
        return ""


@dataclass(frozen=True)
class Integer(Column):
    minimum: int = 0
    maximum: int | None = None

    def parse(self, text: str, problems: list[str]) -> int | None:
        try:
            number = int(text.replace(",", ""))
        except ValueError:
            problems.append(f"{self.name} is {shown(text)}, not a whole number.")
            return None
        if self.maximum is not None and not self.minimum <= number <= self.maximum:
            problems.append(
                f"{self.name} is {number}; it must be between {self.minimum} and {self.maximum}."
            )
            return None
        if number < self.minimum:
            problems.append(f"{self.name} is {number}; it must be {self.minimum} or more.")
            return None
        return number


@dataclass(frozen=True)
class Number(Column):
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def parse(self, text: str, problems: list[str]) -> Decimal | None:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            problems.append(f"{self.name} is {shown(text)}, not a number.")
            return None
        too_low = self.minimum is not None and number < self.minimum
        too_high = self.maximum is not None and number > self.maximum
        if too_low or too_high:
            limits = " and ".join(
                part
                for part in (
                    f"at least {self.minimum}" if self.minimum is not None else "",
                    f"at most {self.maximum}" if self.maximum is not None else "",
                )
                if part
            )
            problems.append(f"{self.name} is {number}; it must be {limits}.")
            return None
        return number


GSS_HELP = "is not a GSS code like E10000002."

# In the order of the shipped file. parent_county_name is in it for people reading it; the
# importer links counties by code only, so it may be absent.
COLUMNS: tuple[Column, ...] = (
    Text(
        "gss_code",
        required=True,
        pattern=GSS_CODE_RE,
        pattern_help="is not a GSS code: it should be a capital letter followed by 8 digits, "
        "like E06000001.",
    ),
    Codes("former_gss_codes", field=False),
    # The register's names are the English ones (councils/data/welsh_names.csv has the Welsh).
    Text("name", required=True, field_name="name_en"),
    Text("short_name", required=True, field_name="short_name_en"),
    Choice("council_type", allowed=CouncilType.values),
    Choice("nation", allowed=Nation.values),
    Text("region", required=True),
    Integer("population", minimum=0),
    Integer("population_year", minimum=1900, maximum=2100),
    Number("deprivation_score"),
    Integer("deprivation_quintile", minimum=1, maximum=5),
    Integer("deprivation_decile", minimum=1, maximum=10),
    Number("high_deprivation_share", minimum=Decimal(0), maximum=Decimal(1)),
    Text(
        "la_code",
        required=True,
        pattern=LA_CODE_RE,
        pattern_help="should be 3 or 4 capital letters, like HPL.",
    ),
    Choice("tier", allowed=Tier.values),
    Text("parent_county_gss", field=False, pattern=GSS_CODE_RE, pattern_help=GSS_HELP),
    Number("area_km2", minimum=Decimal(0)),
    Number("density_per_km2", minimum=Decimal(0)),
    Choice("rurality", allowed=Rurality.values),
    Text("notes"),
)

REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS)
# Model fields the importer owns, and the column each comes from.
COLUMN_OF_FIELD = {column.model_field: column.name for column in COLUMNS if column.field}
COUNCIL_FIELDS = tuple(COLUMN_OF_FIELD)

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
