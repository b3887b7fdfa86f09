"""Dates and times in one format, GOV.UK style."""

import datetime

import pytest

from core.formatting import date_text, datetime_text

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2026, 12, 2, 17, 42, tzinfo=UTC), "2 December 2026 at 5:42pm"),
        (datetime.datetime(2026, 12, 2, 9, 5, tzinfo=UTC), "2 December 2026 at 9:05am"),
        (datetime.datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "2 December 2026 at midday"),
        (datetime.datetime(2026, 12, 2, 0, 0, tzinfo=UTC), "2 December 2026 at midnight"),
        (datetime.datetime(2026, 12, 2, 0, 30, tzinfo=UTC), "2 December 2026 at 12:30am"),
        # In summer, London is an hour ahead of UTC: the date moves with it.
        (datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "2 July 2026 at 12:30am"),
        (None, ""),
    ],
)
def test_datetime_text(value, expected, settings):
    settings.TIME_ZONE = "Europe/London"
    assert datetime_text(value) == expected


def test_date_text():
    assert date_text(datetime.date(2027, 3, 1)) == "1 March 2027"
    assert date_text(datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "2 July 2026"
    assert date_text(None) == ""


def test_no_template_writes_a_time_its_own_way():
    """Every time on a page goes through `|when`: a `|date:` format with hours or minutes in it
    is a second format. (Dates alone may use "j F Y", which is the same as `|day`.)"""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own_format = re.compile(r'\|date:"([^"]*[gGhHisaAP][^"]*)"')
    found = [
        f"{path.relative_to(root)}: {match}"
        for path in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]
        if ".venv" not in path.parts
        for match in own_format.findall(path.read_text())
    ]
    assert found == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2026, 12, 4, 17, 42, tzinfo=UTC), "4 Rhagfyr 2026 am 5:42yp"),
        (datetime.datetime(2026, 12, 4, 9, 5, tzinfo=UTC), "4 Rhagfyr 2026 am 9:05yb"),
        (datetime.datetime(2026, 12, 4, 12, 0, tzinfo=UTC), "4 Rhagfyr 2026 am canol dydd"),
        (datetime.datetime(2026, 12, 4, 0, 0, tzinfo=UTC), "4 Rhagfyr 2026 am hanner nos"),
        (datetime.datetime(2026, 6, 1, 23, 30, tzinfo=UTC), "2 Mehefin 2026 am 12:30yb"),
    ],
)
def test_datetime_text_in_welsh(value, expected, settings):
    """Welsh months come from Django's own catalogue, yb/yp, midday and midnight from ours."""
    from django.utils import translation

    settings.TIME_ZONE = "Europe/London"
    with translation.override("cy"):
        assert datetime_text(value) == expected


def test_date_text_in_welsh():
    from django.utils import translation

    with translation.override("cy"):
        assert date_text(datetime.date(2026, 12, 4)) == "4 Rhagfyr 2026"
        assert date_text(datetime.date(2027, 3, 1)) == "1 Mawrth 2027"
    # And back in English afterwards.
    assert date_text(datetime.date(2026, 12, 4)) == "4 December 2026"


def test_day_and_when_filters_in_welsh(settings):
    from django.template import Context, Template
    from django.utils import translation

    settings.TIME_ZONE = "Europe/London"
    template = Template("{% load numbers %}{{ at|day }} / {{ at|when }}")
    at = datetime.datetime(2026, 12, 4, 17, 42, tzinfo=UTC)
    with translation.override("cy"):
        assert template.render(Context({"at": at})) == "4 Rhagfyr 2026 / 4 Rhagfyr 2026 am 5:42yp"
