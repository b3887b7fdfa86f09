"""The data under each council dashboard chart, as CSV rows: what the table beside the chart
shows, for people to take away. Pure, over the dashboard read; every text cell neutralised."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext, pgettext

from core.spreadsheet_text import neutralise

from .dashboard import CouncilDashboard
from .figures import FIGURES, figure_headings, withheld_words

CHARTS = ("radar", "distributions", "trend")


def _text(value: object) -> str:
    return "" if value is None else neutralise(str(value))


def chart_rows(dashboard: CouncilDashboard, chart: str) -> Iterator[list[str]]:
    """The CSV's rows, heading first, in the active language. `chart` is one of CHARTS."""
    if chart == "trend":
        yield [gettext("Dimension"), *(point.round_name for point in dashboard.trend)]
        for row in dashboard.trend_rows:
            yield [_text(row["name"]), *(_text(v) for v in row["values"])]  # type: ignore[attr-defined]
        return
    group = dashboard.group.name if dashboard.group else ""
    yield [
        gettext("Dimension"),
        gettext("%(council)s score") % {"council": dashboard.council.short_name},
        pgettext("comparison group", "Group"),
        gettext("Councils in the group"),
        *figure_headings().values(),
        gettext("Figures withheld"),
    ]
    subjects = [*dashboard.dimensions, *([dashboard.overall] if dashboard.overall else [])]
    for subject in subjects:
        figures = subject.figures
        shown = figures is not None and figures.published
        yield [
            _text(subject.name),
            _text(subject.score),
            _text(group),
            _text(figures.councils if shown and figures else None),
            *(_text(getattr(figures, name) if shown and figures else None) for name in FIGURES),
            ""
            if shown
            else withheld_words(figures.reason if figures else None, dashboard.min_group),
        ]
