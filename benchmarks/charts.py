"""Every chart the portal draws, built here as plain dicts in Plotly's figure format and handed
to pages as JSON.

Each function takes plain figures (already suppressed where they must be) and returns a
`Chart`: the Plotly figure as a JSON-ready dict, and the one-sentence summary the page prints
above the chart's table, both worded in the active language (titles, legend names, summary).
Pages never build figures themselves, so what a chart shows is exactly what its table shows.
`static/js/charts.js` draws them with the bundle in `static/vendor/plotly/`, which holds only
the trace types used here (scatter, scatterpolar, box, bar, heatmap).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from assessments.scoring import MAX_LEVEL, MIN_LEVEL
from core.formatting import score_text

from .dashboard import CouncilDashboard, Subject
from .figures import GroupFigures
from .network_dashboard import Distribution, NetworkDashboard

# GOV.UK Design System colours.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
BLACK = "#0b0c0c"
GREY = "#505a5f"
MID_GREY = "#b1b4b6"
LIGHT_BLUE_FILL = "rgba(29, 112, 184, 0.18)"
ORANGE = "#f47738"

# A trace: a dict with its "type" ("scatter", "scatterpolar", "box", "heatmap"), as plotly.js
# reads it. Built without plotly.py, whose validating objects took 18% of the dashboard's
# server time; benchmarks/tests/test_chart_schema.py checks every chart against its schema.
Trace = dict[str, Any]

_LAYOUT: dict[str, Any] = {
    # plotly's default template adds ~7 KB of JSON to every chart. This is plotly.py's "none"
    # template as it writes it (one empty scatter default): no defaults of any kind.
    "template": {"data": {"scatter": [{"type": "scatter"}]}},
    "font": {"family": "arial, sans-serif", "color": BLACK, "size": 14},
    "margin": {"l": 40, "r": 20, "t": 20, "b": 40},
    "legend": {"orientation": "h", "y": -0.15},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
}


@dataclass(frozen=True)
class Chart:
    id: str
    figure: dict[str, Any]
    summary: str


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _unset(properties: dict[str, Any]) -> dict[str, Any]:
    """The properties without those set to None: in a Plotly figure, None means "not set" (a
    None inside a data list, such as a trace's r, x, y or z, is a gap, and stays)."""
    return {key: value for key, value in properties.items() if value is not None}


def _fresh(value: Any) -> Any:
    """A copy of a figure's part, its dicts and lists new too (as plotly.py's were): no figure
    shares one with another, or with _LAYOUT."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    return value


def _figure(traces: Sequence[Trace], **layout: Any) -> dict[str, Any]:
    """The figure: the traces, and the shared layout with `layout` over it (a setting given
    as None is left out)."""
    return {"data": list(traces), "layout": _unset({**_fresh(_LAYOUT), **layout})}


def _fmt(value: Decimal | None) -> str:
    return score_text(value) or gettext("no score")


def _box(name: str, figures: GroupFigures) -> Trace:
    """One group's published spread as a horizontal box: quartiles, the median, and whiskers
    at the 10th and 90th percentiles where the group is big enough to show them (else at the
    quartiles)."""
    low = figures.p10 if figures.p10 is not None else figures.q1
    high = figures.p90 if figures.p90 is not None else figures.q3
    return {
        "type": "box",
        "y": [name],
        "q1": [_number(figures.q1)],
        "median": [_number(figures.median)],
        "q3": [_number(figures.q3)],
        "lowerfence": [_number(low)],
        "upperfence": [_number(high)],
        "orientation": "h",
        "fillcolor": LIGHT_BLUE_FILL,
        "line": {"color": DARK_BLUE},
        "name": name,
        "showlegend": False,
        "hoverinfo": "skip",
    }


def _published(rows: Iterable[tuple[str, GroupFigures | None]]) -> list[tuple[str, GroupFigures]]:
    """The (name, figures) rows whose figures are published: the only ones a box is drawn for."""
    return [(name, figures) for name, figures in rows if figures is not None and figures.published]


def _box_chart(
    chart_id: str,
    rows: Sequence[tuple[str, GroupFigures]],
    summary: str,
    *,
    marks: Trace | None = None,
) -> Chart:
    """A box per row (`_box`), the first row at the top, on the 1 to 5 scale; `marks` (a trace
    with a legend entry, such as the council's own scores) drawn over them."""
    traces = [_box(name, figures) for name, figures in reversed(rows)]
    # Without marks no trace has a legend entry, and plotly.js's validate throws on legend
    # settings in a figure without one.
    legend: dict[str, Any] = {"legend": None, "showlegend": False}
    if marks is not None:
        traces.append(marks)
        legend = {}
    figure = _figure(
        traces,
        xaxis={
            "range": [MIN_LEVEL, MAX_LEVEL],
            "title": {"text": _score_axis()},
            "dtick": 1,
            "gridcolor": MID_GREY,
        },
        yaxis={"automargin": True},
        height=60 + 48 * len(rows),
        margin={"l": 20, "r": 20, "t": 10, "b": 60},
        **legend,
    )
    return Chart(id=chart_id, figure=figure, summary=summary)


def _score_axis() -> str:
    """The title of a score axis: "Score (1 to 5)"."""
    return gettext("Score (%(low)s to %(high)s)") % {"low": MIN_LEVEL, "high": MAX_LEVEL}


def _group_name(dashboard: CouncilDashboard) -> str:
    return dashboard.group.name if dashboard.group else gettext("the group")


def _widest(rows: Sequence[tuple[str, GroupFigures]]) -> str:
    """The name of the row whose middle half is widest (the first, on a tie)."""
    return max(rows, key=lambda row: (row[1].q3 or 0) - (row[1].q1 or 0))[0]


# The council dashboard ------------------------------------------------------------------------


DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")
SYMBOLS = ("square", "diamond", "triangle-up", "triangle-down", "x", "cross", "star", "hexagon")


def two_lines(name: str, *, longest: int = 14) -> str:
    """A long name wrapped at spaces into lines of about `longest` characters, joined with
    Plotly's "<br>"; a short one as it is. Plotly reads tick text as a little HTML, so the
    name's own &, < and > are written as entities: a name is always text."""

    def text(part: str) -> str:
        return part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    lines: list[str] = []
    for word in name.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= longest:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(text(line) for line in lines)


def radar(dashboard: CouncilDashboard) -> Chart | None:
    """The council's dimension scores against the group's median, with the middle half (lower
    to upper quartile) as a band. Dimensions whose group figures are suppressed have no
    median or band there (a gap, not a zero)."""
    subjects = dashboard.dimensions
    if not subjects or all(s.score is None for s in subjects):
        return None
    names = [s.name for s in subjects]
    closed = [*names, names[0]]

    def ring(values: list[Decimal | None]) -> list[float | None]:
        numbers = [_number(v) for v in values]
        return [*numbers, numbers[0]]

    def figure_of(s: Subject, name: str) -> Decimal | None:
        return getattr(s.figures, name) if s.published and s.figures else None

    traces: list[Trace] = []
    group_name = _group_name(dashboard)
    if any(s.published for s in subjects):
        # The band: the upper quartiles filled, then the lower quartiles filled in white
        # over them, so only the space between them stays shaded.
        traces.append(
            {
                "type": "scatterpolar",
                "r": ring([figure_of(s, "q3") for s in subjects]),
                "theta": list(closed),
                "fill": "toself",
                "fillcolor": LIGHT_BLUE_FILL,
                "line": {"width": 0},
                "mode": "lines",
                "name": gettext("Middle half of the group"),
                "hoverinfo": "skip",
            }
        )
        traces.append(
            {
                "type": "scatterpolar",
                "r": ring([figure_of(s, "q1") for s in subjects]),
                "theta": list(closed),
                "fill": "toself",
                "fillcolor": "#ffffff",
                "line": {"width": 0},
                "mode": "lines",
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        traces.append(
            {
                "type": "scatterpolar",
                "r": ring([figure_of(s, "median") for s in subjects]),
                "theta": list(closed),
                "mode": "lines",
                "line": {"color": GREY, "dash": "dash", "width": 2},
                "name": gettext("Median of %(group)s") % {"group": group_name},
            }
        )
    traces.append(
        {
            "type": "scatterpolar",
            "r": ring([s.score for s in subjects]),
            "theta": closed,
            "mode": "lines+markers",
            "line": {"color": BLUE, "width": 3},
            "marker": {"size": 7},
            "name": dashboard.council.name,
        }
    )
    compared = [s for s in subjects if s.difference is not None]
    above = sum(1 for s in compared if (s.difference or 0) > 0)
    below = sum(1 for s in compared if (s.difference or 0) < 0)
    if compared:
        summary = gettext(
            "%(council)s is above the median of %(group)s in %(above)s of %(compared)s "
            "barriers that can be compared, and below it in %(below)s."
        ) % {
            "council": dashboard.council.name,
            "group": group_name,
            "above": above,
            "compared": len(compared),
            "below": below,
        }
    else:
        summary = gettext(
            "The chart shows %(council)s's scores only: %(group)s has no figures that can be shown."
        ) % {"council": dashboard.council.name, "group": group_name}
    figure = _figure(
        traces,
        polar={
            "radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5], "angle": 90},
            # Long names on two lines, so none is cut off at the chart's edge.
            "angularaxis": {
                "direction": "clockwise",
                "tickmode": "array",
                "tickvals": names,
                "ticktext": [two_lines(name) for name in names],
            },
        },
        showlegend=True,
        height=480,
        margin={"l": 115, "r": 115, "t": 50, "b": 40},
    )
    return Chart(id="chart-radar", figure=figure, summary=summary)


def distributions(dashboard: CouncilDashboard) -> Chart | None:
    """Per dimension, the group's spread as a box with the council marked. Drawn from the
    published figures only: no other council's score is in it."""
    shown = _published((s.name, s.figures) for s in dashboard.dimensions)
    if not shown:
        return None
    published = {name for name, _ in shown}
    marked = [s for s in reversed(dashboard.dimensions) if s.name in published and s.score]
    council: Trace = {
        "type": "scatter",
        "x": [_number(s.score) for s in marked],
        "y": [s.name for s in marked],
        "mode": "markers",
        "marker": {
            "color": ORANGE,
            "size": 12,
            "symbol": "diamond",
            "line": {"color": BLACK, "width": 1},
        },
        "name": dashboard.council.name,
    }
    summary = gettext(
        "For %(count)s barriers, the chart shows how scores spread across %(group)s and where "
        "%(council)s sits; councils differ most on %(widest)s."
    ) % {
        "count": len(shown),
        "group": _group_name(dashboard),
        "council": dashboard.council.name,
        "widest": _widest(shown),
    }
    return _box_chart("chart-distributions", shown, summary, marks=council)


def trend(dashboard: CouncilDashboard) -> Chart | None:
    """Each dimension's score (and the overall score) across the council's signed-off rounds."""
    if len(dashboard.trend) < 2:
        return None
    rounds = [point.round_name for point in dashboard.trend]
    traces: list[Trace] = []
    for n, s in enumerate([*dashboard.dimensions, dashboard.overall]):
        if s is None:
            continue
        key = s.dimension_id
        overall = key is None
        # Each line has its own dash and marker too, so it can be told apart in greyscale
        # and by people who cannot tell the colours apart.
        traces.append(
            {
                "type": "scatter",
                "x": list(rounds),
                "y": [_number(point.scores.get(key)) for point in dashboard.trend],
                "mode": "lines+markers",
                "name": s.name,
                # No colour for a dimension's line: plotly.js gives each its own.
                "line": _unset(
                    {
                        "width": 4 if overall else 1.5,
                        "color": BLACK if overall else None,
                        "dash": "solid" if overall else DASHES[n % len(DASHES)],
                    }
                ),
                "marker": {
                    "symbol": "circle" if overall else SYMBOLS[n % len(SYMBOLS)],
                    "size": 8,
                },
            }
        )
    first, last = dashboard.trend[0], dashboard.trend[-1]
    before, after = first.scores.get(None), last.scores.get(None)
    values = {"rounds": len(rounds), "first": first.round_name, "last": last.round_name}
    if before is None or after is None:
        summary = (
            gettext(
                "Across %(rounds)s rounds, from %(first)s to %(last)s, the overall score cannot "
                "be compared."
            )
            % values
        )
    elif after == before:
        summary = gettext(
            "Across %(rounds)s rounds, from %(first)s to %(last)s, the overall score stayed at "
            "%(score)s."
        ) % {**values, "score": _fmt(after)}
    elif after > before:
        summary = gettext(
            "Across %(rounds)s rounds, from %(first)s to %(last)s, the overall score rose from "
            "%(before)s to %(after)s."
        ) % {**values, "before": _fmt(before), "after": _fmt(after)}
    else:
        summary = gettext(
            "Across %(rounds)s rounds, from %(first)s to %(last)s, the overall score fell from "
            "%(before)s to %(after)s."
        ) % {**values, "before": _fmt(before), "after": _fmt(after)}
    figure = _figure(
        traces,
        yaxis={
            "range": [MIN_LEVEL, MAX_LEVEL],
            "dtick": 1,
            "title": {"text": _score_axis()},
            "gridcolor": MID_GREY,
        },
        xaxis={"type": "category"},
        height=520,
        margin={"l": 60, "r": 20, "t": 10, "b": 40},
        # Below the plot, not beside it: ten names beside it squash the plot on a phone.
        legend={"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"},
    )
    return Chart(id="chart-trend", figure=figure, summary=summary)


def council_charts(dashboard: CouncilDashboard) -> list[Chart]:
    return [c for c in (radar(dashboard), distributions(dashboard), trend(dashboard)) if c]


# The network dashboard ------------------------------------------------------------------------

# A single-hue sequential scale, from GOV.UK's light blue tint to its dark blue: it reads the
# same with any colour vision deficiency, and in greyscale, because only lightness changes.
HEATMAP_SCALE = [
    [0.0, "#f3f8fc"],
    [0.25, "#d2e2f1"],
    [0.5, "#5694ca"],
    [0.75, BLUE],
    [1.0, DARK_BLUE],
]


def network_distributions(dashboard: NetworkDashboard) -> Chart | None:
    """The network group's spread per dimension and overall (group_distributions)."""
    return group_distributions(dashboard.network.name, dashboard.distributions)


def group_distributions(group_name: str, distributions: Sequence[Distribution]) -> Chart | None:
    """Per dimension and overall, one group's spread as a box, drawn from its published
    figures only (a network's members on its dashboard; the scope of a sector report). A
    suppressed subject has no box at all; None if nothing is published."""
    shown = _published((d.column.name, d.figures) for d in distributions)
    if not shown:
        return None
    dimensions = _published(
        (d.column.name, d.figures) for d in distributions if d.column.dimension_id is not None
    )
    if dimensions:
        summary = gettext(
            "For %(count)s barriers, the chart shows how member councils' scores spread across "
            "%(group)s; they differ most on %(widest)s."
        ) % {"count": len(dimensions), "group": group_name, "widest": _widest(dimensions)}
    else:
        summary = gettext(
            "The chart shows how member councils' overall scores spread across %(group)s."
        ) % {"group": group_name}
    return _box_chart("chart-network-distributions", shown, summary)


def network_heatmap(dashboard: NetworkDashboard) -> Chart | None:
    """Rows: the councils that share their results with the network by name, then the other
    member councils pooled; columns: the dimensions, then the overall score. A withheld pooled
    mean or a missing score is None, drawn as a gap, never as a zero."""
    rows = dashboard.rows
    if not any(cell.score is not None for row in rows for cell in row.cells):
        return None
    columns = [column.name for column in dashboard.columns]
    ordered = list(reversed(rows))  # plotly draws the first row at the bottom
    values = [[_number(cell.score) for cell in row.cells] for row in ordered]
    trace: Trace = {
        "type": "heatmap",
        "z": values,
        "x": columns,
        "y": [row.short_label for row in ordered],
        "text": [[score_text(v) for v in row] for row in values],
        "texttemplate": "%{text}",
        "colorscale": _fresh(HEATMAP_SCALE),
        "zmin": MIN_LEVEL,
        "zmax": MAX_LEVEL,
        "xgap": 2,
        "ygap": 2,
        "hoverongaps": False,
        "hovertemplate": "%{y}, %{x}: %{text}<extra></extra>",
        "colorbar": {
            "title": {"text": gettext("Score")},
            "tickvals": [1, 2, 3, 4, 5],
        },
    }
    network = dashboard.network.name
    named = len(dashboard.named_rows)
    # The summary is two clauses, each its own message: who is named, then the rest.
    # Translators: each "rest" clause follows a "who" clause, and its punctuation with it.
    if named == 1:
        who = gettext(
            "The heatmap shows the one member council that shares its results with "
            "%(network)s by name"
        ) % {"network": network}
    elif named:
        who = gettext(
            "The heatmap shows the %(count)s member councils that share their results with "
            "%(network)s by name"
        ) % {"count": named, "network": network}
    else:
        who = gettext("No member council shares its results with %(network)s by name") % {
            "network": network
        }
    pooled = dashboard.pooled_row
    if pooled is None:
        rest = gettext(", and no other member council has signed off this round")
    else:
        count = {"count": pooled.councils}
        shown = [cell.score is not None for cell in pooled.cells]
        if all(shown):
            rest = (
                gettext(
                    "; the other %(count)s signed-off member councils are shown together as "
                    "their mean"
                )
                if named
                else gettext(
                    "; the %(count)s signed-off member councils are shown together as their mean"
                )
            ) % count
        elif any(shown):
            rest = (
                gettext(
                    "; the other %(count)s signed-off member councils are shown together as "
                    "their mean where that cannot reveal any one council's scores"
                )
                if named
                else gettext(
                    "; the %(count)s signed-off member councils are shown together as their "
                    "mean where that cannot reveal any one council's scores"
                )
            ) % count
        else:
            rest = (
                gettext(
                    "; the mean of the other %(count)s signed-off member councils is withheld "
                    "to protect individual councils"
                )
                if named
                else gettext(
                    "; the mean of the %(count)s signed-off member councils is withheld to "
                    "protect individual councils"
                )
            ) % count
    summary = gettext("%(who)s%(rest)s.") % {"who": who, "rest": rest}
    figure = _figure(
        [trace],
        xaxis={"side": "top", "automargin": True, "tickangle": -30},
        yaxis={"automargin": True},
        # Room for the slanted dimension names above the cells.
        height=220 + 56 * len(rows),
        margin={"l": 20, "r": 20, "t": 40, "b": 20},
        legend=None,  # as above: a heatmap has a colour bar, not a legend
        showlegend=False,
    )
    return Chart(id="chart-network-heatmap", figure=figure, summary=summary)


def network_charts(dashboard: NetworkDashboard) -> list[Chart]:
    return [c for c in (network_distributions(dashboard), network_heatmap(dashboard)) if c]
