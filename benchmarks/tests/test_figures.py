"""The one shape of a group's figures: what a withheld result may carry, how a stored row
becomes one, and the words for a withheld result."""

from dataclasses import fields
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from benchmarks.figures import (
    FIGURE_HEADINGS,
    FIGURES,
    RESULT_FIELDS,
    GroupFigures,
    statistic_rows,
    withheld_words,
)
from benchmarks.models import ReleasedResult
from benchmarks.publication import OVERLAP, TOO_SMALL

D = Decimal
RELEASED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def stored(**values) -> dict:
    """A ReleasedResult row as `.values(*RESULT_FIELDS)` gives it."""
    row = {name: None for name in RESULT_FIELDS}
    return row | values


@pytest.mark.parametrize(
    "carried", [{"councils": 4}, {"councils": 0}, {"median": D("3.00")}, {"level_counts": {}}]
)
@pytest.mark.parametrize("reason", [TOO_SMALL, OVERLAP])
def test_a_withheld_result_carries_nothing_but_its_reason(reason, carried):
    with pytest.raises(ValueError, match="only its reason"):
        GroupFigures(reason=reason, **carried)


def test_a_published_result_has_a_count_and_a_reason_is_one_of_the_two():
    with pytest.raises(ValueError, match="number of councils"):
        GroupFigures(median=D("3.00"))
    with pytest.raises(ValueError, match="Not a reason"):
        GroupFigures(reason="private")


def test_a_stored_withheld_row_keeps_only_its_reason():
    row = stored(suppressed=True, suppression_reason=TOO_SMALL, councils=4)

    figures = GroupFigures.from_row(row)

    assert figures == GroupFigures(reason=TOO_SMALL)
    assert figures.councils is None and figures.suppressed and not figures.published
    # A suppressed row without a stored reason is taken as the stricter one.
    unexplained = stored(suppressed=True, suppression_reason="", councils=9)
    assert GroupFigures.from_row(unexplained) == GroupFigures(reason=OVERLAP)


def test_a_stored_published_row_keeps_every_figure_and_all_five_levels():
    row = stored(
        suppressed=False,
        suppression_reason="",
        councils=6,
        mean=D("2.50"),
        median=D("2.40"),
        q1=D("2.00"),
        q3=D("3.00"),
        level_counts={"2": 3, "3": 3},
        as_of=RELEASED,
    )

    figures = GroupFigures.from_row(row)

    assert figures.councils == 6
    assert figures.as_of == RELEASED
    assert figures.figures() == {
        "mean": D("2.50"),
        "median": D("2.40"),
        "q1": D("2.00"),
        "q3": D("3.00"),
    }
    assert figures.level_counts == {1: 0, 2: 3, 3: 3, 4: 0, 5: 0}
    assert figures.levels() == [0, 3, 3, 0, 0]


def test_the_one_list_of_figure_names_is_the_shape_and_the_table():
    names = [f.name for f in fields(GroupFigures)]
    # The figures, then the level counts and (since releases) the date they were released.
    assert names[2:-2] == list(FIGURES)
    assert names[-2:] == ["level_counts", "as_of"]
    assert list(FIGURE_HEADINGS) == list(FIGURES)
    # Readers read the release's rows, not the live results.
    assert set(RESULT_FIELDS) <= {f.name for f in ReleasedResult._meta.fields}


def test_withheld_words():
    assert withheld_words(TOO_SMALL, 5) == "fewer than 5 councils"
    assert withheld_words(OVERLAP, 5) == "withheld to protect individual councils"
    assert withheld_words(None, 5) == "no results yet"


def test_statistic_rows_give_no_number_for_a_withheld_result():
    assert statistic_rows(None, 3) == [("not_available", "no results yet")]
    assert statistic_rows(GroupFigures(reason=TOO_SMALL), 3) == [
        ("suppressed", "fewer than 3 councils")
    ]
    published = GroupFigures(
        councils=3, median=D("2.5"), q1=D("2"), q3=D("3"), mean=D("2.5"), level_counts={2: 3}
    )
    assert statistic_rows(published, 3) == [
        ("councils", "3"),
        ("mean", "2.50"),
        ("median", "2.50"),
        ("q1", "2.00"),
        ("q3", "3.00"),
        ("level_1", "0"),
        ("level_2", "3"),
        ("level_3", "0"),
        ("level_4", "0"),
        ("level_5", "0"),
    ]
