"""Every chart's figure is one Plotly accepts. `benchmarks.charts` builds figures as plain dicts,
without plotly.py's validating objects, so an unknown property or a bad value is caught here:
`plotly.graph_objects.Figure` raises ValueError on either."""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import pytest

from benchmarks import charts
from benchmarks.charts import Chart
from benchmarks.dashboard import council_dashboard
from benchmarks.figures import GroupFigures
from benchmarks.network_dashboard import (
    Cell,
    Column,
    Distribution,
    HeatmapRow,
    NetworkDashboard,
    network_dashboard,
)
from benchmarks.publication import OVERLAP, TOO_SMALL
from councils.models import Network

from .dashboard_data import build_sector
from .test_network_dashboard import k3, scene  # noqa: F401 - fixtures the tests below use

# The trace types in the plotly.js bundle charts.js draws with (static/vendor/plotly/).
BUNDLED = {"scatter", "scatterpolar", "box", "bar", "heatmap"}


def nones_in_dicts(value: Any, path: str = "") -> Iterator[str]:
    """Where a dict in the figure holds None. None inside a list (a gap in r, x, y or z) is
    deliberate; in a dict it would be a property Plotly reads as unset, or chokes on."""
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                yield f"{path}.{key}"
            else:
                yield from nones_in_dicts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nones_in_dicts(item, f"{path}[{index}]")


def check(chart: Chart) -> None:
    figure = chart.figure
    go.Figure(figure)  # raises ValueError on an unknown property or a bad value
    assert json.loads(json.dumps(figure)) == figure, "not plain JSON (a Decimal, a tuple?)"
    assert list(nones_in_dicts(figure)) == []
    assert {trace["type"] for trace in figure["data"]} <= BUNDLED


def test_the_council_dashboards_charts(personas, settings):
    build_sector(personas, settings)
    found: set[str] = set()
    # The council's own neighbours, a region, every council, a group too small to publish,
    # and a council with one round (no trend).
    for council, slug in [
        (personas.council_a, None),
        (personas.council_a, "region-ne"),
        (personas.council_a, "tier-unitary"),
        (personas.council_a, "rurality-urban"),
        (personas.council_b, None),
    ]:
        for chart in charts.council_charts(council_dashboard(council, group_slug=slug)):
            check(chart)
            found.add(chart.id)

    assert found == {"chart-radar", "chart-distributions", "chart-trend"}


def test_the_network_dashboards_charts(scene):  # noqa: F811 - the imported fixture
    found = charts.network_charts(network_dashboard(scene["network"]))

    assert {chart.id for chart in found} == {"chart-network-distributions", "chart-network-heatmap"}
    for chart in found:
        check(chart)


def _figures(councils: int, median: str) -> GroupFigures:
    middle = Decimal(median)
    return GroupFigures(councils=councils, mean=middle, median=middle, q1=middle - 1, q3=middle + 1)


@pytest.mark.parametrize("pooled", ["shown", "partly withheld", "withheld", "none"])
@pytest.mark.parametrize("named", [0, 1, 2])
def test_network_charts_with_gaps_and_withheld_figures(pooled, named):
    columns = [Column(1, "L", "Leadership"), Column(2, "D", "Data"), Column(None, "O", "Overall")]

    def row(label: str, scores: list[str | None], *, councils: int = 1) -> HeatmapRow:
        cells = [Cell(None if s is None else Decimal(s), "" if s else TOO_SMALL) for s in scores]
        return HeatmapRow(label, label[:5], councils > 1, councils, cells)

    rows = [row("Ashby & <Barton>", ["3.0", None, "2.5"]), row("Crewe", ["4.0", "2.0", "3.0"])]
    rows = rows[:named]
    pooled_scores: dict[str, list[str | None]] = {
        "shown": ["3.1", "2.2", "2.7"],
        "partly withheld": ["3.1", None, "2.7"],
        "withheld": [None, None, None],
    }
    if pooled in pooled_scores:
        rows.append(row("Other councils", pooled_scores[pooled], councils=4))
    dashboard = NetworkDashboard(
        network=Network(name="North & East"),
        round=None,
        columns=columns,
        distributions=[
            Distribution(columns[0], _figures(12, "3.0")),
            Distribution(columns[1], GroupFigures(reason=OVERLAP)),
            Distribution(columns[2], _figures(4, "2.5")),
        ],
        rows=rows,
    )

    for chart in charts.network_charts(dashboard):
        check(chart)
