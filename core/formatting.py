"""How the portal writes a number, once: pages (`{% load numbers %}`), charts and files.

A council's score has one decimal place ("3.2"); a group's published figure (a median, a
quartile) has two ("3.25"); a share is a whole percentage ("67"). Every one rounds half up on
the decimal value, as Django's `floatformat` does, so a page, its chart, its PDF and its CSV
never differ by a rounding (Python's own `f"{x:.1f}"` rounds a Decimal's halves to even).
None, for no score or a withheld figure, is an empty string: the caller words the gap.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import dateformat, timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext

Number = Decimal | float | int

SCORE_PLACES = 1
FIGURE_PLACES = 2


def fixed(value: Number | None, places: int) -> str:
    """`value` to `places` decimal places, halves up; never "-0.0"."""
    if value is None:
        return ""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Adding zero turns a negative zero, left by rounding a tiny fall, into a plain zero.
    return f"{rounded + 0:f}"


def score_text(value: Number | None) -> str:
    """One council's score: "3.2"."""
    return fixed(value, SCORE_PLACES)


def figure_text(value: Number | None) -> str:
    """A group's published figure: "3.25"."""
    return fixed(value, FIGURE_PLACES)


def span_text(low: Number | None, high: Number | None) -> str:
    """Two published figures as a range: "2.50 to 3.75"; empty if either is missing."""
    if low is None or high is None:
        return ""
    return gettext("%(low)s to %(high)s") % {"low": figure_text(low), "high": figure_text(high)}


def percent_text(value: Number | None) -> str:
    """A share as a whole percentage, without the sign: "67"."""
    return fixed(value, 0)


def change_size(value: Number | None) -> str:
    """How far a score moved, without its direction (the sentence says up or down): "0.3"."""
    if value is None:
        return ""
    return score_text(-value if value < 0 else value)


def signed_figure(value: Number) -> str:
    """A change in a published figure with its direction: "+0.25", "−0.25" (a true minus sign,
    which screen readers say), or "0.00" for a change too small to show."""
    text = figure_text(-value if value < 0 else value)
    if text == figure_text(0):
        return text
    return f"+{text}" if value > 0 else f"\u2212{text}"


# Dates and times ------------------------------------------------------------------------------


def date_text(value: datetime.date | None) -> str:
    """GOV.UK style: "2 December 2026" (no leading zero, the month in full), with the month
    in the active language from Django's own catalogue: "2 Rhagfyr 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dateformat.format(value, "j F Y")


def datetime_text(value: datetime.datetime | None) -> str:
    """GOV.UK style, in London time: "2 December 2026 at 5:42pm"; "midday" and "midnight"
    rather than 12pm and 12am. In Welsh: "2 Rhagfyr 2026 am 5:42yp", "canol dydd", "hanner nos"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (local.hour, local.minute) == (12, 0):
        time = gettext("midday")
    elif (local.hour, local.minute) == (0, 0):
        time = gettext("midnight")
    else:
        # Written straight after the minutes, with no space: "5:42pm", "5:42yp".
        if local.hour < 12:
            half = pgettext("time before midday", "am")
        else:
            half = pgettext("time after midday", "pm")
        time = f"{(local.hour % 12) or 12}:{local.minute:02d}{half}"
    return gettext("%(date)s at %(time)s") % {"date": date_text(local.date()), "time": time}


# Words worked out later ----------------------------------------------------------------------
#
# Text made now but read later in someone else's language (an email the outbox renders in its
# reader's, a form error shown to whoever reads it) must stay unworked until it is used.


def _format(message: str | Promise, values: dict[str, Any]) -> str:
    return str(message) % values


_format_lazy = lazy(_format, str)
_date_lazy = lazy(date_text, str)


def lazy_format(message: str | Promise, **values: Any) -> Any:
    """`message % values`, translated and filled in when used, not now. Values may themselves
    be lazy (`lazy_date`, a `gettext_lazy` string, a framework name read then)."""
    return _format_lazy(message, values)


def lazy_date(value: datetime.date) -> Any:
    """The date as the portal writes it (`date_text`), in the language active when used."""
    return _date_lazy(value)
