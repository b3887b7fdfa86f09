"""The data under each dashboard chart, as CSV: the same figures as the table beside it."""

import csv
import io

import pytest
from django.urls import reverse

from benchmarks.tests.dashboard_data import build_sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def sector(personas, settings):
    return build_sector(personas, settings)


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_chart_has_its_data_as_csv_for_the_pages_group(client, personas, sector):
    client.force_login(personas.executive_a)
    dashboard = client.get(reverse("benchmarks:council", args=["E06000001"])).content.decode()
    url = reverse("benchmarks:council-chart-data", args=["E06000001", "radar"])
    assert url + "?group=neighbours-a&amp;round=2026-2027" in dashboard

    table = rows(client.get(url + "?group=region-ne"))
    assert table[0][:4] == ["Dimension", "Hartlepool score", "Group", "Councils in the group"]
    first = sector["dimensions"][0].name
    row = next(r for r in table if r[0] == first)
    assert row[1] == "2.0" and row[2] == "region-ne" and row[3] == "5"
    assert table[-1][0] == "Overall score"

    small = rows(client.get(url + "?group=rurality-urban"))
    assert small[1][-1] == "fewer than 3 councils" and small[1][3] == ""

    trend = rows(client.get(reverse("benchmarks:council-chart-data", args=["E06000001", "trend"])))
    assert trend[0] == ["Dimension", "2025 to 2026", "2026 to 2027"]


def test_another_councils_chart_data_or_a_made_up_chart_is_a_404(client, personas, sector):
    client.force_login(personas.officer_b)
    url = reverse("benchmarks:council-chart-data", args=["E06000001", "radar"])
    assert client.get(url).status_code == 404
    client.force_login(personas.officer_a)
    assert client.get(url + "?group=neighbours-b").status_code == 404
    other = reverse("benchmarks:council-chart-data", args=["E06000001", "pie"])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Cyber", "Cyber"),
        ("Procurement and commercial", "Procurement<br>and commercial"),
        ("Data sharing and use", "Data sharing<br>and use"),
        ("Citizen engagement and inclusion", "Citizen<br>engagement and<br>inclusion"),
        ("Supercalifragilistic", "Supercalifragilistic"),
        ("R&D <b>bold</b> claims", "R&amp;D<br>&lt;b&gt;bold&lt;/b&gt;<br>claims"),
    ],
)
def test_long_radar_labels_go_on_two_lines_and_stay_text(name, expected):
    from benchmarks.charts import two_lines

    assert two_lines(name) == expected


def test_trend_lines_differ_by_more_than_colour(client, personas, sector):
    from benchmarks.charts import trend
    from benchmarks.dashboard import council_dashboard

    chart = trend(council_dashboard(personas.council_a))
    lines = [(t["line"]["dash"], t["marker"]["symbol"]) for t in chart.figure["data"]]
    assert len(set(lines)) == len(lines)
    assert chart.figure["layout"]["legend"]["orientation"] == "h"
