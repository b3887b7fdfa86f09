from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from hypothesis import given
from hypothesis import strategies as st

from core.formatting import (
    change_size,
    figure_text,
    percent_text,
    score_text,
    signed_figure,
    span_text,
)


@pytest.mark.parametrize(
    ("value", "score", "figure"),
    [
        (Decimal("2.25"), "2.3", "2.25"),  # halves up, where f"{x:.1f}" would say 2.2
        (Decimal("2.345"), "2.3", "2.35"),
        (3, "3.0", "3.00"),
        (2.05, "2.1", "2.05"),  # a float is taken as it prints, not its binary value
        (Decimal("-0.004"), "0.0", "0.00"),  # never "-0.0"
        (None, "", ""),
    ],
)
def test_scores_have_one_place_and_figures_two(value, score, figure):
    assert score_text(value) == score
    assert figure_text(value) == figure


def test_ranges_percentages_and_changes():
    assert span_text(Decimal("2.5"), Decimal("3.75")) == "2.50 to 3.75"
    assert span_text(None, Decimal("3")) == ""
    assert percent_text(Decimal("66.5")) == "67"
    assert change_size(Decimal("-0.3")) == "0.3"
    assert change_size(None) == ""
    assert signed_figure(Decimal("0.25")) == "+0.25"
    assert signed_figure(Decimal("-0.25")) == "\u22120.25"
    assert signed_figure(Decimal("0.001")) == "0.00"


@given(st.decimals(min_value=-10, max_value=10, places=4))
def test_pages_round_as_django_floatformat_does(value):
    for places, write in ((1, score_text), (2, figure_text)):
        expected = floatformat(value, places)
        if Decimal(expected) == 0:
            expected = expected.lstrip("-")  # floatformat can say "-0.0"; we never do
        assert write(value) == expected


def test_the_filters_are_the_same_functions():
    html = Template(
        "{% load numbers %}{{ s|score }} {{ f|figure }} {{ f|span:g }} {{ p|percent }} "
        "{{ c|change_size }}"
    ).render(Context({"s": Decimal("3.25"), "f": Decimal("2.5"), "g": 4, "p": 66.6, "c": -0.25}))
    assert html == "3.3 2.50 2.50 to 4.00 67 0.3"
