import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import level_band
from benchmarks.figures import FIGURES, GroupFigures
from benchmarks.publication import TOO_SMALL
from benchmarks.statistics import level_of, percentile, summarise


def d(*values: str) -> list[Decimal]:
    return [Decimal(value) for value in values]


def test_one_to_five_hand_computed():
    summary = summarise(d("1.0", "2.0", "3.0", "4.0", "5.0"), min_group=1)

    assert summary == GroupFigures(
        councils=5,
        mean=Decimal("3.00"),
        median=Decimal("3.00"),
        q1=Decimal("2.00"),
        q3=Decimal("4.00"),
        # position (5 - 1) * 0.1 = 0.4: 1.0 + 0.4 * (2.0 - 1.0)
        p10=Decimal("1.40"),
        p90=Decimal("4.60"),
        minimum=Decimal("1.00"),
        maximum=Decimal("5.00"),
        level_counts={1: 1, 2: 1, 3: 1, 4: 1, 5: 1},
    )


def test_even_count_interpolates_hand_computed():
    # Sorted: 1.0, 1.5, 2.0, 3.5. Positions are (4 - 1) * fraction.
    summary = summarise(d("3.5", "1.0", "2.0", "1.5"), min_group=2)

    assert summary.mean == Decimal("2.00")  # 8.0 / 4
    assert summary.median == Decimal("1.75")  # position 1.5: halfway between 1.5 and 2.0
    assert summary.q1 == Decimal("1.38")  # position 0.75: 1.0 + 0.75 * 0.5 = 1.375, half up
    assert summary.q3 == Decimal("2.38")  # position 2.25: 2.0 + 0.25 * 1.5 = 2.375, half up
    assert summary.p10 == Decimal("1.15")  # position 0.3: 1.0 + 0.3 * 0.5
    assert summary.p90 == Decimal("3.05")  # position 2.7: 2.0 + 0.7 * 1.5
    assert (summary.minimum, summary.maximum) == (Decimal("1.00"), Decimal("3.50"))
    # 1.5 is halfway between levels 1 and 2 and rounds up.
    assert summary.level_counts == {1: 1, 2: 2, 3: 0, 4: 1, 5: 0}


def test_rounding_is_half_up_not_to_even():
    # Mean 8.2 / 8 = 1.025, and q1 of (1.0, 1.1) is 1.025: both 1.03, where floats give 1.02.
    assert summarise(d(*["1.0"] * 6, "1.1", "1.1"), min_group=1).mean == Decimal("1.03")
    assert summarise(d("1.0", "1.1"), min_group=1).q1 == Decimal("1.03")


def test_matches_statistics_quantiles_inclusive():
    values = d("1.2", "4.7", "2.3", "3.3", "2.9", "1.8", "4.1", "3.8", "2.2", "3.0", "4.9")
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    deciles = statistics.quantiles(values, n=10, method="inclusive")

    summary = summarise(values, min_group=5)

    def two_places(value: Decimal) -> Decimal:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    assert (summary.q1, summary.median, summary.q3) == tuple(two_places(q) for q in quartiles)
    assert (summary.p10, summary.p90) == (two_places(deciles[0]), two_places(deciles[-1]))


@pytest.mark.parametrize("min_group", [1, 3, 5])
def test_suppressed_below_min_group(min_group):
    values = d(*["3.0"] * (min_group - 1))

    summary = summarise(values, min_group=min_group)

    # The count rule (benchmarks.figures): a withheld result does not carry its count.
    assert summary == GroupFigures(reason=TOO_SMALL)
    assert summary.councils is None
    assert all(getattr(summary, name) is None for name in FIGURES)
    assert summary.level_counts is None


@pytest.mark.parametrize("min_group", [1, 3, 5])
def test_published_without_extremes_from_min_group_to_twice_it(min_group):
    for count in (min_group, 2 * min_group - 1):
        summary = summarise(d(*["2.0", "4.0"] * count)[:count], min_group=min_group)

        assert summary.councils == count
        assert not summary.suppressed
        assert None not in (summary.mean, summary.median, summary.q1, summary.q3)
        assert summary.level_counts is not None
        assert sum(summary.level_counts.values()) == count
        if count < 2 * min_group:
            assert (summary.p10, summary.p90, summary.minimum, summary.maximum) == (None,) * 4


@pytest.mark.parametrize("min_group", [1, 3, 5])
def test_extremes_from_twice_min_group(min_group):
    values = d(*["2.0", "4.0"] * min_group)

    summary = summarise(values, min_group=min_group)

    assert summary.councils == 2 * min_group
    assert summary.minimum == Decimal("2.00")
    assert summary.maximum == Decimal("4.00")
    assert summary.p10 is not None and summary.p90 is not None


def test_no_values_is_suppressed():
    assert summarise([], min_group=1) == GroupFigures(reason=TOO_SMALL)


@pytest.mark.parametrize("bad", [Decimal("0.9"), Decimal("5.01"), Decimal("NaN"), 3.0, 3])
def test_rejects_values_that_are_not_scores(bad):
    with pytest.raises(ValueError):
        summarise([Decimal("3.0"), bad], min_group=1)


def test_rejects_min_group_below_one():
    with pytest.raises(ValueError):
        summarise(d("3.0"), min_group=0)


def test_percentile_edges():
    assert percentile(d("2.5"), Decimal("0.9")) == Decimal("2.5")
    assert percentile(d("1.0", "2.0"), Decimal("1")) == Decimal("2.0")
    with pytest.raises(ValueError):
        percentile([], Decimal("0.5"))
    with pytest.raises(ValueError):
        percentile(d("1.0"), Decimal("1.5"))


def test_level_bands_agree_with_assessment_scoring():
    for tenths in range(10, 51):
        score = Decimal(tenths) / 10
        assert level_of(score) == level_band(score), score


# Scores as they are stored: one decimal place from 1.0 to 5.0 (overall scores too).
scores = st.integers(min_value=10, max_value=50).map(lambda tenths: Decimal(tenths) / 10)
score_lists = st.lists(scores, min_size=0, max_size=60)


@given(values=score_lists, min_group=st.integers(min_value=1, max_value=6))
def test_published_figures_lie_within_the_range_and_in_order(values, min_group):
    summary = summarise(values, min_group=min_group)

    assert summary.suppressed == (len(values) < min_group)
    assert summary.councils == (None if summary.suppressed else len(values))
    if summary.suppressed:
        return
    low, high = min(values), max(values)
    for name in FIGURES:
        figure = getattr(summary, name)
        assert figure is None or low <= figure <= high, name
    assert summary.q1 is not None and summary.median is not None and summary.q3 is not None
    assert summary.q1 <= summary.median <= summary.q3
    if len(values) >= 2 * min_group:
        assert summary.p10 is not None and summary.p90 is not None
        assert summary.minimum == low and summary.maximum == high
        assert summary.minimum <= summary.p10 <= summary.q1
        assert summary.q3 <= summary.p90 <= summary.maximum
    assert summary.level_counts is not None
    assert sum(summary.level_counts.values()) == len(values)


@given(data=st.data(), values=score_lists, min_group=st.integers(min_value=1, max_value=6))
def test_order_of_values_does_not_matter(data, values, min_group):
    shuffled = data.draw(st.permutations(values))

    assert summarise(shuffled, min_group=min_group) == summarise(values, min_group=min_group)


@given(values=st.lists(scores, min_size=2, max_size=60))
def test_percentiles_match_statistics_quantiles(values):
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    deciles = statistics.quantiles(values, n=10, method="inclusive")

    summary = summarise(values, min_group=1)

    expected = [q.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for q in quartiles]
    assert [summary.q1, summary.median, summary.q3] == expected
    assert summary.p10 == deciles[0].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert summary.p90 == deciles[-1].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
