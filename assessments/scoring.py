"""The maturity scoring rules, as pure functions over plain data.

Every rule the portal scores by lives here, with its rule in its docstring, so it can be read,
tested without a database and quoted in the app README. Nothing here touches the ORM: callers
load answers, turn them into levels and pass them in.

A level is an int from 1 to 5. ``None`` stands for anything that does not give a level — not
applicable, don't know, or unanswered — and every function ignores it. All rounding is decimal
and half up (2.25 -> 2.3), never Python's float rounding, which rounds halves to even.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The one import from outside the standard library: the level names are words people read.
from django.utils.translation import gettext_lazy as _

# Lazy: each is read in the language of the page, email or report that shows it. Use str() (or
# gettext at that moment) where a plain str is needed.
LEVEL_NAMES = {
    1: _("Ad hoc"),
    2: _("Developing"),
    3: _("Defined"),
    4: _("Embedded"),
    5: _("Leading"),
}
# The framework's scale, from its lowest level to its top one (5), for everything that counts,
# draws or words levels: no other module writes a 1 or a 5 for a level.
LEVELS: tuple[int, ...] = tuple(LEVEL_NAMES)
MIN_LEVEL, MAX_LEVEL = LEVELS[0], LEVELS[-1]

# Answers two or more levels apart are flagged for the lead to discuss. One level apart is
# ordinary difference of judgement between officers.
DISAGREEMENT_SPREAD = 2

# (lowest score in the band, level). A score belongs to the last band whose lower bound it
# reaches, so each band is "nearest level, halves up": 1.0-1.4 -> 1, 1.5-2.4 -> 2, and so on.
LEVEL_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal("1.0"), 1),
    (Decimal("1.5"), 2),
    (Decimal("2.5"), 3),
    (Decimal("3.5"), 4),
    (Decimal("4.5"), 5),
)

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"

_ONE_PLACE = Decimal("0.1")
_TWO_PLACES = Decimal("0.01")
_THREE_PLACES = Decimal("0.001")


def _given(levels: Iterable[int | None]) -> list[int]:
    """The levels actually given, dropping None; ValueError for anything that is not 1..5."""
    given: list[int] = []
    for level in levels:
        if level is None:
            continue
        # bool is an int subclass, but True is not a maturity level.
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValueError(
                f"A level must be an int from {MIN_LEVEL} to {MAX_LEVEL}, not {level!r}."
            )
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"A level must be from {MIN_LEVEL} to {MAX_LEVEL}, not {level}.")
        given.append(int(level))  # int() turns Level.DEFINED into a plain 3
    return given


def _mean(values: list[Decimal], places: Decimal) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(places, rounding=ROUND_HALF_UP)


def dimension_score(levels: Iterable[int | None]) -> Decimal | None:
    """The mean of the levels given, rounded half up to one decimal place (1.0 to 5.0).

    Not applicable, don't know and unanswered (None) are left out of the mean entirely.
    None if no level is given. ValueError for a level outside 1..5.
    """
    given = _given(levels)
    if not given:
        return None
    return _mean([Decimal(level) for level in given], _ONE_PLACE)


def level_band(score: Decimal | None) -> int | None:
    """The level band a score falls in: the nearest level, halves up.

    1.0-1.4 -> 1, 1.5-2.4 -> 2, 2.5-3.4 -> 3, 3.5-4.4 -> 4, 4.5-5.0 -> 5 (see LEVEL_BANDS).
    None -> None. ValueError for a score outside 1..5.
    """
    if score is None:
        return None
    if not score.is_finite() or not MIN_LEVEL <= score <= MAX_LEVEL:
        raise ValueError(f"A score must be from {MIN_LEVEL} to {MAX_LEVEL}, not {score}.")
    band = LEVEL_BANDS[0][1]
    for lowest, level in LEVEL_BANDS:
        if score >= lowest:
            band = level
    return band


def overall_score(dimension_scores: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the dimension scores that exist, rounded half up to one decimal place.

    Every dimension weighs the same, however many questions it has. Dimensions with no score
    (None) are left out. None if no dimension has a score. ValueError for a score outside 1..5.
    """
    scores = [score for score in dimension_scores if score is not None]
    for score in scores:
        if not score.is_finite() or not MIN_LEVEL <= score <= MAX_LEVEL:
            raise ValueError(
                f"A barrier score must be from {MIN_LEVEL} to {MAX_LEVEL}, not {score}."
            )
    if not scores:
        return None
    return _mean(scores, _ONE_PLACE)


def coverage(*, answered: int, not_applicable: int, total: int) -> Decimal:
    """The share of applicable questions that have a level, 0.000 to 1.000, 3 dp half up.

    answered / (total - not_applicable): not-applicable questions are out of scope, so they
    neither help nor hurt; don't know and unanswered count against coverage. If every question
    is not applicable, coverage is 0.000. ValueError on negative counts or when
    answered + not_applicable exceeds total.
    """
    if answered < 0 or not_applicable < 0 or total < 0:
        raise ValueError("Counts cannot be negative.")
    if answered + not_applicable > total:
        raise ValueError(
            f"answered ({answered}) + not_applicable ({not_applicable}) exceeds total ({total})."
        )
    applicable = total - not_applicable
    if applicable == 0:
        return Decimal("0.000")
    return (Decimal(answered) / applicable).quantize(_THREE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DimensionResult:
    score: Decimal | None
    band: int | None
    coverage: Decimal


def dimension_result(levels: Sequence[int | None], *, not_applicable: int) -> DimensionResult:
    """Score, band and coverage of one dimension, from one entry per question.

    Each entry is the level agreed for a question, or None; `not_applicable` says how many
    of the Nones are "not applicable" (the rest are "don't know" or not answered).
    """
    score = dimension_score(levels)
    return DimensionResult(
        score=score,
        band=level_band(score),
        coverage=coverage(
            answered=sum(1 for level in levels if level is not None),
            not_applicable=not_applicable,
            total=len(levels),
        ),
    )


def question_spread(levels: Iterable[int | None]) -> int | None:
    """How far apart respondents' levels for one question are: highest minus lowest.

    None if fewer than two levels are given (one officer cannot disagree with themself).
    """
    given = _given(levels)
    if len(given) < 2:
        return None
    return max(given) - min(given)


def is_disagreement(levels: Iterable[int | None]) -> bool:
    """True if the question's spread is DISAGREEMENT_SPREAD (2) levels or more."""
    spread = question_spread(levels)
    return spread is not None and spread >= DISAGREEMENT_SPREAD


def dimension_spread(levels_by_question: Iterable[Iterable[int | None]]) -> Decimal | None:
    """The mean of the dimension's question spreads, rounded half up to two decimal places.

    Questions with fewer than two levels have no spread and are left out. None if no question
    in the dimension has two or more levels.
    """
    spreads = [question_spread(levels) for levels in levels_by_question]
    existing = [Decimal(spread) for spread in spreads if spread is not None]
    if not existing:
        return None
    return _mean(existing, _TWO_PLACES)


def suggested_level(levels: Iterable[int | None]) -> int | None:
    """The default for the lead's agreed answer: the median of the levels given.

    For an even count, the lower of the two middle levels, so the default never scores a
    council higher than its officers agree. None if no level is given.
    """
    given = sorted(_given(levels))
    if not given:
        return None
    return given[(len(given) - 1) // 2]


def level_counts(levels: Iterable[int | None]) -> dict[int, int]:
    """How many respondents gave each level; keys 1 to 5 are always present."""
    counts = dict.fromkeys(LEVEL_NAMES, 0)
    for level in _given(levels):
        counts[level] += 1
    return counts


def progress_status(*, answered: int, total: int) -> str:
    """Where a response or assessment is: "not_started", "in_progress" or "completed".

    answered counts questions with any answer (a level, not applicable or don't know).
    "not_started" if nothing is answered, "completed" once every question is answered,
    otherwise "in_progress". ValueError on negative counts.
    """
    if answered < 0 or total < 0:
        raise ValueError("Counts cannot be negative.")
    if answered == 0:
        return NOT_STARTED
    if answered >= total:
        return COMPLETED
    return IN_PROGRESS
