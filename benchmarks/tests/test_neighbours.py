import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.neighbours import distances, nearest_neighbours

# Four councils on two features with very different scales, and a third that never varies.
# Population variances: x has mean 100 and variance 15,000; y has mean 1 and variance 1.5.
# So a squared standardised distance is (Δx² / 10,000 + Δy²) / 1.5, which on the scale
# (x / 100, y) puts A at (0, 0), B at (0, 3), C at (3, 0) and D at (1, 1). Times 1.5:
# A-D 2, B-D 5, C-D 5, A-B 9, A-C 9, B-C 18.
HAND = {
    "A": (0.0, 0.0, 7.0),
    "B": (0.0, 3.0, 7.0),
    "C": (300.0, 0.0, 7.0),
    "D": (100.0, 1.0, 7.0),
}


def test_hand_computed_example():
    assert nearest_neighbours(HAND, k=3) == {
        "A": ["D", "B", "C"],  # B and C tie at 9: by key
        "B": ["D", "A", "C"],
        "C": ["D", "A", "B"],
        "D": ["A", "B", "C"],  # B and C tie at 5: by key
    }
    assert nearest_neighbours(HAND, k=1) == {"A": ["D"], "B": ["D"], "C": ["D"], "D": ["A"]}


def test_hand_computed_distances():
    d = distances(HAND)

    assert d["A"]["D"] == pytest.approx(math.sqrt(2 / 1.5))
    assert d["A"]["B"] == pytest.approx(math.sqrt(9 / 1.5))
    assert d["B"]["C"] == pytest.approx(math.sqrt(18 / 1.5))
    assert d["C"]["C"] == 0.0


def test_standardising_matters():
    # On raw values A is nearest B (3 away), not D (100 away): standardising puts x in
    # units of its own spread, so D's small difference on both features wins.
    raw_nearest = min("BCD", key=lambda key: math.dist(HAND["A"], HAND[key]))

    assert raw_nearest == "B"
    assert nearest_neighbours(HAND, k=1)["A"] == ["D"]


def test_k_larger_than_the_set_gives_every_other_item():
    assert nearest_neighbours(HAND, k=15) == nearest_neighbours(HAND, k=3)
    assert nearest_neighbours({"only": (1.0, 2.0, 3.0)}, k=15) == {"only": []}
    assert nearest_neighbours({}, k=15) == {}
    assert nearest_neighbours(HAND, k=0) == {key: [] for key in HAND}


def test_negative_k_is_refused():
    with pytest.raises(ValueError, match="negative"):
        nearest_neighbours(HAND, k=-1)


def test_not_a_number_is_refused():
    with pytest.raises(ValueError):
        nearest_neighbours({"a": (math.nan, 0.0, 0.0), "b": (1.0, 0.0, 0.0)})


def test_zero_spread_feature_is_ignored():
    two_features = {key: point[:2] for key, point in HAND.items()}

    assert nearest_neighbours(HAND, k=3) == nearest_neighbours(two_features, k=3)
    # Had the constant been standardised, its zero variance would divide by zero.
    assert distances(HAND)["A"]["D"] == distances(two_features)["A"]["D"]


def test_nothing_varies_so_keys_decide():
    points = {key: (1.0, 2.0, 3.0) for key in "dcab"}

    assert nearest_neighbours(points, k=2) == {
        "a": ["b", "c"],
        "b": ["a", "c"],
        "c": ["a", "b"],
        "d": ["a", "b"],
    }
    assert distances(points)["a"]["d"] == 0.0


def test_ties_are_broken_by_key_whatever_the_order_given():
    # A square: each corner has two neighbours at the same distance.
    square = {"sw": (0.0, 0.0, 1.0), "se": (1.0, 0.0, 1.0), "nw": (0.0, 1.0, 1.0)}
    square["ne"] = (1.0, 1.0, 1.0)
    reversed_square = dict(reversed(square.items()))

    result = nearest_neighbours(square, k=3)

    assert result == nearest_neighbours(reversed_square, k=3)
    assert result["sw"] == ["nw", "se", "ne"]
    assert result["ne"] == ["nw", "se", "sw"]


# Properties ----------------------------------------------------------------------------

# Whole numbers, so that scaling by a whole number or a power of two and shifting by a whole
# number are exact in floating point: the properties are then about the method, not rounding.
whole = st.integers(min_value=-1000, max_value=1000).map(float)
point = st.tuples(whole, whole, whole)
point_sets = st.dictionaries(st.integers(min_value=0, max_value=999), point, max_size=30)
any_float = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
float_point_sets = st.dictionaries(
    st.text(alphabet="abcdef", min_size=1, max_size=3),
    st.tuples(any_float, any_float, any_float),
    max_size=25,
)
ks = st.integers(min_value=0, max_value=20)


def reference(points, k):
    """The definition, computed directly in exact fractions: slow but plainly right."""
    keys = sorted(points)
    n = len(keys)
    inverse_variances = []
    for feature in range(3):
        values = [Fraction(points[key][feature]) for key in keys]
        mean = sum(values) / n if n else 0
        variance = sum((value - mean) ** 2 for value in values) / n if n else 0
        inverse_variances.append(1 / variance if variance else 0)

    def squared(a, b):
        return sum(
            weight * (Fraction(points[a][f]) - Fraction(points[b][f])) ** 2
            for f, weight in enumerate(inverse_variances)
        )

    return {
        a: sorted((b for b in keys if b != a), key=lambda b: (squared(a, b), b))[:k] for a in keys
    }


@given(point_sets, ks)
def test_result_shape(points, k):
    result = nearest_neighbours(points, k=k)

    assert set(result) == set(points)
    for key, neighbours in result.items():
        assert key not in neighbours
        assert len(neighbours) == min(k, len(points) - 1)
        assert len(set(neighbours)) == len(neighbours)
        assert set(neighbours) <= set(points)


@given(point_sets, ks)
def test_agrees_with_the_definition(points, k):
    assert nearest_neighbours(points, k=k) == reference(points, k)


@given(float_point_sets, ks)
def test_agrees_with_the_definition_on_any_floats(points, k):
    assert nearest_neighbours(points, k=k) == reference(points, k)


@given(
    point_sets,
    ks,
    st.integers(min_value=0, max_value=2),
    st.one_of(
        st.integers(min_value=1, max_value=1000).map(float),
        st.integers(min_value=-20, max_value=20).map(lambda e: 2.0**e),
    ),
    st.integers(min_value=-1_000_000, max_value=1_000_000).map(float),
)
def test_scaling_or_shifting_a_feature_changes_nothing(points, k, feature, scale, shift):
    def transform(p):
        return tuple(v * scale + shift if f == feature else v for f, v in enumerate(p))

    moved = {key: transform(p) for key, p in points.items()}

    assert nearest_neighbours(moved, k=k) == nearest_neighbours(points, k=k)


@given(point_sets)
def test_distance_is_symmetric_and_zero_to_itself(points):
    d = distances(points)

    for a in points:
        assert d[a][a] == 0.0
        for b in points:
            assert d[a][b] == d[b][a]
            assert d[a][b] >= 0.0
