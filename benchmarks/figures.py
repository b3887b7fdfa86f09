"""A group's figures for one subject, in the one shape every page and file shows.

`GroupFigures` is what a peer group's result gives for one dimension (or the overall score):
published, the number of councils and the figures; withheld, the reason (TOO_SMALL or
OVERLAP) and nothing else. `statistics.summarise` makes one from scores and
`GroupFigures.from_row` from a stored `BenchmarkResult`; the council and network dashboards,
the council report and the members' briefing, the sector report (PDF, XLSX, CSV) and open
data all show one. The words for a withheld result are here too, once: pages reach them
through the `group_figures` template tags, files through `withheld_words`.

The count rule: a withheld result carries no council count, so no page or file can show one.
Next to a published group's count, an exact count would say how many councils the two groups
differ by, the first step of the differencing that suppression stops; "fewer than K councils"
is all a reader may know. `BenchmarkResult.councils` still stores the real number, for the
rebuild and the read-only admin, and `from_row` drops it.

Pure: no ORM; Django's gettext words it in the active language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

# The level bands a published result counts councils in (statistics.level_of).
from assessments.scoring import LEVELS
from core.formatting import figure_text

from .publication import OVERLAP, TOO_SMALL

# The figures a published result gives, in the order every page and file lists them, with
# the heading a table gives each. CSV and JSON files name them by these keys. The headings are
# the English, marked for translation: `figure_headings()` gives them in the active language.
FIGURE_HEADINGS: Mapping[str, str] = {
    "mean": gettext_noop("Mean"),
    "median": gettext_noop("Median"),
    "q1": gettext_noop("Lower quartile"),
    "q3": gettext_noop("Upper quartile"),
    "p10": gettext_noop("10th percentile"),
    "p90": gettext_noop("90th percentile"),
    "minimum": gettext_noop("Minimum"),
    "maximum": gettext_noop("Maximum"),
}
FIGURES: tuple[str, ...] = tuple(FIGURE_HEADINGS)
# The ReleasedResult columns `GroupFigures.from_row` reads.
RESULT_FIELDS = ("suppressed", "suppression_reason", "councils", "level_counts", "as_of", *FIGURES)

# The English, marked for translation: withheld_words(None, ...) gives it in the active language.
NO_RESULTS = gettext_noop("no results yet")


def figure_headings() -> dict[str, str]:
    """FIGURE_HEADINGS in the active language."""
    return {name: gettext(heading) for name, heading in FIGURE_HEADINGS.items()}


@dataclass(frozen=True)
class GroupFigures:
    """A group's published figures for one subject, or, when withheld, only the reason.

    Published (`reason` ""): `councils`, the mean, median and quartiles, and `level_counts`
    ({level: councils} for levels 1..5); p10, p90, minimum and maximum only for a group of at
    least twice the minimum, else None. Withheld (`reason` TOO_SMALL or OVERLAP): every other
    field is None, the count too (see the module's count rule); making one with a figure
    raises ValueError.
    """

    reason: str = ""
    councils: int | None = None
    mean: Decimal | None = None
    median: Decimal | None = None
    q1: Decimal | None = None
    q3: Decimal | None = None
    p10: Decimal | None = None
    p90: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    level_counts: dict[int, int] | None = None
    # When these figures were first released: a group keeps them until enough has changed.
    as_of: datetime | None = None

    def __post_init__(self) -> None:
        if self.reason not in ("", TOO_SMALL, OVERLAP):
            raise ValueError(f"Not a reason to withhold figures: {self.reason!r}.")
        if self.reason:
            # Every field after the reason.
            carried = [f.name for f in fields(self)[1:] if getattr(self, f.name) is not None]
            if carried:
                raise ValueError(f"A withheld result carries only its reason, not {carried}.")
        elif self.councils is None:
            raise ValueError("A published result needs its number of councils.")

    @property
    def suppressed(self) -> bool:
        return bool(self.reason)

    @property
    def published(self) -> bool:
        return not self.reason

    @property
    def too_small(self) -> bool:
        return self.reason == TOO_SMALL

    def figures(self) -> dict[str, Decimal]:
        """{name: value} of the figures given, in FIGURES order (none when withheld)."""
        return {name: value for name in FIGURES if (value := getattr(self, name)) is not None}

    def levels(self) -> list[int]:
        """Councils at each level 1..5 ([] when withheld)."""
        counts = self.level_counts
        return [] if counts is None else [counts.get(level, 0) for level in LEVELS]

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> GroupFigures:
        """From a ReleasedResult's RESULT_FIELDS (`.values()`). Of a withheld result only the
        reason is kept, OVERLAP if none was stored: the stored count stays in the database."""
        if row["suppressed"]:
            return cls(reason=str(row.get("suppression_reason") or OVERLAP))
        stored = row.get("level_counts")
        counts = stored if isinstance(stored, Mapping) else {}
        return cls(
            councils=int(row["councils"]),  # type: ignore[call-overload]
            as_of=row.get("as_of"),  # type: ignore[arg-type]
            level_counts={level: int(counts.get(str(level), 0)) for level in LEVELS},
            **{name: row.get(name) for name in FIGURES},  # type: ignore[arg-type]
        )


# Words ----------------------------------------------------------------------------------------


def withheld_words(reason: str | None, min_group: int) -> str:
    """Why a group's figures are not shown, as every page, label and file words it: "fewer
    than K councils" (TOO_SMALL), "withheld to protect individual councils" (any other reason)
    or, for None, "no results yet". Lower case; pages start a cell with a capital."""
    if reason is None:
        return gettext(NO_RESULTS)
    if reason == TOO_SMALL:
        return gettext("fewer than %(min_group)s councils") % {"min_group": min_group}
    return gettext("withheld to protect individual councils")


def withheld_sentence(reason: str | None, group_name: str, min_group: int) -> str:
    """The same for a page comparing a council with the group, as a sentence about the group
    (None: no results yet, said as too few councils, which is what it means before anyone in
    the group has signed off)."""
    if reason is None or reason == TOO_SMALL:
        return gettext(
            "%(group)s has fewer than %(min_group)s councils with signed-off scores this "
            "round, so we show no figures for it."
        ) % {"group": group_name, "min_group": min_group}
    return gettext(
        "We cannot show figures for %(group)s because it is too close to another group: "
        "comparing the two could reveal a single council's scores."
    ) % {"group": group_name}


def withheld_plain(reason: str | None) -> str:
    """The same for elected members, without statistical words (the members' briefing)."""
    if reason is None or reason == TOO_SMALL:
        return gettext("too few of them have finished this year's assessment.")
    return gettext("the comparison could give away another council's answers.")


def extremes_words(min_group: int) -> str:
    """Why a published group has no 10th and 90th percentiles, minimum or maximum."""
    return gettext("not shown for fewer than %(councils)s councils") % {"councils": 2 * min_group}


def statistic_rows(figures: GroupFigures | None, min_group: int) -> list[tuple[str, str]]:
    """(statistic, value) pairs as the CSV and JSON files give them: `councils`, each figure
    given (2 decimal places), `level_1`..`level_5`; a withheld result a single `suppressed`
    pair with the reason in words and no number, not even the count; no results a single
    `not_available` pair."""
    if figures is None:
        return [("not_available", gettext(NO_RESULTS))]
    if figures.suppressed:
        return [("suppressed", withheld_words(figures.reason, min_group))]
    return [
        ("councils", str(figures.councils)),
        *((name, figure_text(value)) for name, value in figures.figures().items()),
        *((f"level_{level}", str(n)) for level, n in zip(LEVELS, figures.levels(), strict=False)),
    ]
