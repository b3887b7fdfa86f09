"""The sector report as a PDF (WeasyPrint, A4, "Page X of Y" in every footer): the summary,
participation, each dimension's distribution as a table and a box chart, councils at each
level, the change since the previous round, the councils sharing by name (a network), the
medians of nations and council types (all UK) and notes. Every table is a `PdfTable`, drawn by
one partial (templates/reports/pdf/_table.html)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.scoring import LEVEL_NAMES, LEVELS
from benchmarks.charts import Chart, group_distributions
from benchmarks.figures import NO_RESULTS, GroupFigures, extremes_words, withheld_words
from benchmarks.network_dashboard import Distribution
from benchmarks.publication import OVERLAP, TOO_SMALL
from core.formatting import figure_text, score_text, span_text

from ..print_css import css_content, css_string, page_of_pages
from .data import SectorData
from .wording import (
    LICENCE_NOTE,
    change_text,
    notes_sections,
    participation_sentence,
    scale,
    summary,
    withheld_text,
)

# The PDF's narrow tables mark a withheld value with a code, explained under the table.
_CODES = {
    TOO_SMALL: pgettext_lazy("code for a withheld figure: too few councils", "[low]"),
    OVERLAP: pgettext_lazy("code for a withheld figure: confidential", "[c]"),
}
_NO_RESULTS_CODE = pgettext_lazy("code for a figure with no results", "[x]")

CHART_SUMMARY = _(
    "Each box spans the middle half of councils' scores (lower to upper quartile), with the "
    "median marked inside; the whiskers reach the 10th and 90th percentiles where the group "
    "has at least %(double)s councils, otherwise the quartiles. A withheld barrier has no box."
)


def _code(reason: str) -> str:
    return str(_CODES.get(reason, _CODES[OVERLAP]))


@dataclass(frozen=True)
class PdfRow:
    """One row of a PDF table: its name, then its cells, or one reason across all of them."""

    name: str
    cells: list[object] = field(default_factory=list)
    withheld: str = ""
    note: str = ""  # beside the name, in grey (a named council's GSS code)


@dataclass(frozen=True)
class PdfTable:
    caption: str
    headings: list[str]  # the first is the rows' names
    rows: list[PdfRow]
    legend: str = ""  # under the table
    small: bool = False


def _pdf_tables(data: SectorData) -> dict[str, PdfTable | None]:
    """Every table of the PDF, drawn by one partial (reports/pdf/_table.html)."""
    k, scope, round_name = data.min_group, data.scope, data.round.name

    def by_subject(cells: Callable[[GroupFigures], list[object]]) -> list[PdfRow]:
        return [
            PdfRow(f.subject.name, withheld=withheld_text(f.current, k))
            if f.current is None or f.current.suppressed
            else PdfRow(f.subject.name, cells(f.current))
            for f in data.figures
        ]

    def span(low: Decimal | None, high: Decimal | None) -> str:
        return span_text(low, high) or gettext("Not shown")

    barrier = pgettext("a table's heading over the barriers' names", "Dimension")
    tables: dict[str, PdfTable | None] = {
        "distribution": PdfTable(
            gettext("Scores %(scale)s of the councils signed off in %(round)s, %(scope)s")
            % {"scale": scale(), "round": round_name, "scope": scope},
            [barrier, gettext("Councils"), gettext("Mean"), gettext("Median")]
            + [gettext("Middle half"), gettext("10th to 90th percentile")]
            + [gettext("Lowest to highest")],
            by_subject(
                lambda g: [
                    g.councils,
                    figure_text(g.mean),
                    figure_text(g.median),
                    span(g.q1, g.q3),
                    span(g.p10, g.p90),
                    span(g.minimum, g.maximum),
                ]
            ),
            legend=gettext(
                "The 10th and 90th percentiles, the lowest and the highest score are %(words)s."
            )
            % {"words": extremes_words(k)},
        ),
        "levels": PdfTable(
            gettext("Councils at each level (a score counts at its nearest level, halves up)"),
            [barrier, *(f"{level}: {LEVEL_NAMES[level]}" for level in LEVELS)],
            by_subject(lambda g: list(g.levels())),
        ),
        "change": None,
        "named": None,
        "groups": None,
    }

    def median(figures: GroupFigures | None) -> str:
        if figures is not None and figures.published:
            return figure_text(figures.median)
        return withheld_text(figures, k)

    if data.previous is not None:
        tables["change"] = PdfTable(
            gettext("Median score in %(previous)s and in %(round)s")
            % {"previous": data.previous.name, "round": round_name},
            [barrier, data.previous.name, round_name, gettext("Change")],
            [
                PdfRow(
                    f.subject.name,
                    [
                        median(f.previous) if f.previous is not None else gettext("No figure"),
                        median(f.current),
                        change_text(f.change)
                        if f.change is not None
                        else gettext("Not comparable"),
                    ],
                )
                for f in data.figures
            ],
        )
    codes = [s.code for s in data.subjects]
    key = (
        "; ".join(f"{s.code}: {s.name}" for s in data.subjects)
        + ". "
        + " ".join(f"{code}: {withheld_words(reason, k)}." for reason, code in _CODES.items())
    )

    if data.named or data.pooled:
        rows = [
            PdfRow(c.name, [score_text(s) for s in c.scores], note=c.gss_code) for c in data.named
        ]
        if data.pooled is not None:
            cells = [
                _code(c.reason) if c.reason else score_text(c.score) for c in data.pooled.cells
            ]
            rows.append(PdfRow(data.pooled.label, list(cells)))
        tables["named"] = PdfTable(
            gettext("Each council's score, and the mean of the other member councils signed off"),
            [gettext("Council"), *codes],
            rows,
            legend=gettext("%(key)s An empty cell: no score.") % {"key": key},
            small=True,
        )

    def coded_median(figures: GroupFigures | None) -> str:
        if figures is None:
            return str(_NO_RESULTS_CODE)
        return _code(figures.reason) if figures.suppressed else figure_text(figures.median)

    if data.groups:
        tables["groups"] = PdfTable(
            gettext("Median score by group and barrier, %(round)s") % {"round": round_name},
            [gettext("Group"), *codes],
            [PdfRow(g.name, [coded_median(f) for f in g.figures]) for g in data.groups],
            legend=f"{key} {_NO_RESULTS_CODE}: {gettext(NO_RESULTS)}.",
            small=True,
        )
    return tables


def _pdf_context(data: SectorData) -> dict[str, Any]:
    return {
        "data": data,
        "summary": summary(data),
        "participation": participation_sentence(data),
        **_pdf_tables(data),
        "notes": notes_sections(data.min_group),
        "licence": str(LICENCE_NOTE),
        # The page margins' words, as CSS (print_css).
        "page_of_pages": page_of_pages(),
        "running_head": css_content(gettext("Sector report: %(scope)s"), scope="string(scope)"),
        "generated": css_content(
            gettext("Generated %(date)s"),
            date=css_string(dateformat.format(data.generated_on, "j F Y")),
        ),
    }


def distribution_chart(data: SectorData) -> Chart | None:
    """A box per published subject of the scope group (benchmarks.charts.group_distributions,
    as on the network dashboard). Suppressed subjects have no box; None if nothing is
    published."""
    distributions = [Distribution(f.subject, f.current) for f in data.figures]
    return group_distributions(data.scope, distributions)


def build_sector_pdf(data: SectorData) -> bytes:
    """The PDF (WeasyPrint), with "Page X of Y" in every footer and one chart of the scope
    group's distributions drawn by kaleido (reports.rendering). Raises ChartRenderError if the
    chart cannot be drawn."""
    # Imported here: importing WeasyPrint takes about 0.7 s.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = sector_report_html(data)
    # The template links to nothing and the chart is inline: refuse every fetch but data:
    # URLs, so no name in the report can make WeasyPrint read a file or call a server.
    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


def sector_report_html(data: SectorData, *, draw: Callable[..., str] | None = None) -> str:
    """The page `build_sector_pdf` prints. `draw` turns the chart's Plotly figure into SVG
    (default: `rendering.figure_to_svg`, which starts Chromium)."""
    # Imported here: rendering starts Chromium.
    from .. import rendering

    context = _pdf_context(data)
    chart = distribution_chart(data)
    if chart is not None:
        context["chart_svg"] = (draw or rendering.figure_to_svg)(chart.figure)
        context["chart_summary"] = CHART_SUMMARY % {"double": 2 * data.min_group}
    return render_to_string("reports/pdf/sector_report.html", context)
