"""The council's PDF report (for the lead and the chief executive) and the one-page briefing
for elected members.

Both read the council dashboard (`benchmarks.dashboard.council_dashboard`), so every figure is
the one the dashboard shows, formatted the same way (the results table is the dashboard's own
row template). The report's charts are the dashboard's Plotly figures
(`benchmarks.charts.council_charts`) drawn as SVG by kaleido (`reports.rendering`). The
briefing has no charts: their legends and summaries use the words it avoids.

Anything that goes wrong raises ReportError (ChartRenderError for a chart), whose message is
shown to the person who asked for the report.

Both are written in the active language: the report job renders them inside
`translation.override(report.language)` (services.report_generate).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    AgreedAnswer,
    Answer,
    Assessment,
    AssessmentRound,
    Dimension,
    Question,
    ResponseStatus,
)
from assessments.scoring import LEVEL_NAMES
from assessments.wording import answer_text
from benchmarks.charts import council_charts
from benchmarks.dashboard import CouncilDashboard, Subject, council_dashboard
from benchmarks.models import PeerGroup
from core.formatting import change_size, score_text
from councils.models import Council
from plans import reads as plan_reads

from . import rendering
from .errors import ReportError
from .plan_wording import PlanFacts, TargetFact, plan_paragraph
from .print_css import page_of_pages

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "reports" / "pdf"
# How many areas the briefing names in each of its lists.
BRIEFING_AREAS = 3
FAILED = _("Something went wrong while making this report. Try again.")
# Charts drawn wider than the page's text column, (width, height) in CSS pixels, and scaled
# down to fit it. The radar's dimension names sit outside the plot, where Plotly leaves them
# no margin of their own: at the column's width the longest are cut off. Other charts are
# drawn at the column's width (rendering.DEFAULT_WIDTH) and their figure's own height.
PRINT_SIZES: dict[str, tuple[int, int]] = {"chart-radar": (940, 560)}


@dataclass(frozen=True)
class Evidence:
    note: str
    url: str

    @property
    def link(self) -> str:
        """The URL if it may be a link in the PDF (web addresses only); else printed as text."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else ""


@dataclass(frozen=True)
class AgreedRow:
    """One question in the appendix: the council's agreed answer and the officers' evidence."""

    code: str
    statement: str
    status: str  # an AnswerStatus value, or "" when no answer was agreed
    level: int | None
    rationale: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def answer(self) -> str:
        return answer_text(self.status, self.level) if self.status else gettext("No agreed answer")


@dataclass(frozen=True)
class AgreedDimension:
    code: str
    name: str
    rows: list[AgreedRow]


@dataclass(frozen=True)
class DrawnChart:
    id: str
    summary: str
    svg: str


def build_council_pdf(*, council_id: int, group_slug: str | None) -> bytes:
    """The council report: cover, executive summary, results against the group with charts,
    trend, strengths and priorities with next steps, and the agreed answers with evidence."""
    with _failures_as_report_errors("council report", council_id):
        return _pdf(council_report_html(council_id=council_id, group_slug=group_slug))


def build_member_briefing_pdf(*, council_id: int, group_slug: str | None) -> bytes:
    """One A4 page for elected members, in plain English: where the council stands, what has
    improved, what to focus on next."""
    with _failures_as_report_errors("member briefing", council_id):
        return _pdf(member_briefing_html(council_id=council_id, group_slug=group_slug))


def council_report_html(
    *, council_id: int, group_slug: str | None, draw: Callable[..., str] | None = None
) -> str:
    """The council report's page, which `build_council_pdf` prints. `draw` turns a chart's
    Plotly figure into SVG (default: `rendering.figure_to_svg`, which needs Chromium)."""
    council, dashboard = _load(council_id, group_slug)
    draw = draw or rendering.figure_to_svg
    charts = {
        chart.id.removeprefix("chart-"): DrawnChart(
            id=chart.id,
            summary=chart.summary,
            svg=draw(chart.figure, **_print_size(chart.id)),
        )
        for chart in council_charts(dashboard)
    }
    context = {
        **_common(council, dashboard),
        "charts": charts,
        "appendix": agreed_answers(_assessment(council, dashboard)),
        "plan": _plan_page(council, dashboard),
        **_planned(council, dashboard),
    }
    return render_to_string("reports/pdf/council_report.html", context)


def member_briefing_html(*, council_id: int, group_slug: str | None) -> str:
    """The members' briefing's page, which `build_member_briefing_pdf` prints."""
    council, dashboard = _load(council_id, group_slug)
    position = dashboard.overall.position if dashboard.overall else None
    focus = focus_areas(dashboard)
    context = {
        **_common(council, dashboard),
        "improved": improved_areas(dashboard.dimensions),
        "strong": strong_areas(dashboard),
        "focus": focus,
        "place": ordinal(position.rank) if position else "",
        "plan_paragraph": plan_paragraph(plan_facts(_plan_page(council, dashboard), focus)),
    }
    return render_to_string("reports/pdf/member_briefing.html", context)


@contextmanager
def _failures_as_report_errors(what: str, council_id: int) -> Iterator[None]:
    """Let ReportError through; turn anything else into one, logged with its traceback."""
    try:
        yield
    except ReportError:
        raise
    except Exception as error:
        logger.exception("The %s for council %s failed", what, council_id)
        raise ReportError(str(FAILED)) from error


# What the briefing picks out: pure, over the dashboard's subjects ------------------------------


def improved_areas(subjects: Sequence[Subject], *, count: int = BRIEFING_AREAS) -> list[Subject]:
    """The areas whose score rose most since the previous round (framework order for ties)."""
    rose = [s for s in subjects if s.change is not None and s.change > 0]
    return sorted(rose, key=lambda s: -(s.change or 0))[:count]


def strong_areas(dashboard: CouncilDashboard, *, count: int = BRIEFING_AREAS) -> list[Subject]:
    """The dashboard's strengths (furthest above the group's median); without group figures,
    the council's own highest scores, never the same areas as `focus_areas`."""
    if dashboard.strengths or dashboard.priorities:
        return [h.subject for h in dashboard.strengths[:count]]
    lowest = focus_areas(dashboard, count=count)
    scored = [s for s in _by_score(dashboard.dimensions) if s not in lowest]
    return list(reversed(scored))[: len(lowest) or count]


def focus_areas(dashboard: CouncilDashboard, *, count: int = BRIEFING_AREAS) -> list[Subject]:
    """The dashboard's priorities (furthest below the group's median); without group figures,
    the council's own lowest scores below 5, at most half its areas (so that the highest
    can be named as strengths)."""
    if dashboard.strengths or dashboard.priorities:
        return [h.subject for h in dashboard.priorities[:count]]
    scored = _by_score(dashboard.dimensions)
    room = min(count, max(1, len(scored) // 2))
    return [s for s in scored if s.score is not None and s.score < 5][:room]


def _by_score(subjects: Sequence[Subject]) -> list[Subject]:
    """Subjects with a score, lowest first (framework order for ties)."""
    return sorted((s for s in subjects if s.score is not None), key=lambda s: s.score or 0)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ... In Welsh, the number itself: the
    sentence says "yn safle 3" ("in place 3"), as Welsh ordinals past 20 are rarely written in
    figures."""
    if translation.get_language() == "cy":
        return str(number)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# Reads --------------------------------------------------------------------------------------


def agreed_answers(assessment: Assessment) -> list[AgreedDimension]:
    """Every question of the assessment's framework with the council's agreed answer, and the
    evidence notes and links of the officers whose submitted answers the scores rest on. Four
    queries."""
    framework_id = assessment.round.framework_id
    dimensions = list(Dimension.objects.for_framework(framework_id))
    questions = list(Question.objects.for_framework(framework_id))
    agreed = {a.question_id: a for a in AgreedAnswer.objects.filter(assessment=assessment)}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for question_id, note, url in (
        Answer.objects.filter(
            response__assessment=assessment, response__status=ResponseStatus.SUBMITTED
        )
        .exclude(evidence_note="", evidence_url="")
        .order_by("question_id", "response__submitted_at", "pk")
        .values_list("question_id", "evidence_note", "evidence_url")
    ):
        evidence[question_id].append(Evidence(note=note.strip(), url=url.strip()))
    by_dimension: dict[int, list[AgreedRow]] = defaultdict(list)
    for question in questions:
        answer = agreed.get(question.pk)
        by_dimension[question.dimension_id].append(
            AgreedRow(
                code=question.code,
                statement=question.statement,
                status=answer.status if answer else "",
                level=answer.level if answer else None,
                rationale=answer.rationale.strip() if answer else "",
                evidence=evidence.get(question.pk, []),
            )
        )
    return [AgreedDimension(d.code, d.name, by_dimension.get(d.pk, [])) for d in dimensions]


def _load(council_id: int, group_slug: str | None) -> tuple[Council, CouncilDashboard]:
    council = Council.objects.filter(pk=council_id).first()
    if council is None:
        raise ReportError(gettext("The council for this report no longer exists."))
    try:
        dashboard = council_dashboard(council, group_slug=group_slug or None)
    except PeerGroup.DoesNotExist:
        raise ReportError(
            gettext(
                "%(council)s cannot be compared with the chosen group: it is not one of the "
                "council's groups any more. Choose another group and ask for the report again."
            )
            % {"council": council.name}
        ) from None
    if dashboard.round is None or dashboard.overall is None:
        raise ReportError(
            gettext(
                "%(council)s has no signed-off assessment yet. The report can be made once the "
                "chief executive signs off the council's first assessment."
            )
            % {"council": council.name}
        )
    return council, dashboard


def _plan_page(council: Council, dashboard: CouncilDashboard) -> plan_reads.PlanPage | None:
    """The plan made from the round reported on, with every target's actions: four or five
    queries whatever its size (`plans.reads.plan_page` prefetches; nothing is read per row)."""
    assert dashboard.round is not None
    found = plan_reads.current_plan(council, dashboard.round)
    return plan_reads.plan_page(found, today=timezone.localdate()) if found else None


def _planned(council: Council, dashboard: CouncilDashboard) -> dict[str, Any]:
    """The previous plan checked against the round reported on (from the council's second
    round), with a row for each target. Two queries."""
    assert dashboard.round is not None
    planned = plan_reads.planned_vs_achieved(council, dashboard.round)
    # TargetRow spells a level the way the plan pages do ("Level 3 (Defined)").
    rows = (
        [plan_reads.TargetRow(target=t, actions=[], shown=[]) for t in planned.targets]
        if planned
        else []
    )
    return {"planned": planned, "planned_rows": rows}


def plan_facts(page: plan_reads.PlanPage | None, focus: Sequence[Subject]) -> PlanFacts | None:
    """What the briefing's paragraph says about the plan. Targets in the barriers the briefing
    names under "what to focus on next" come first, in that order, so the paragraph speaks to
    the council's top priorities; the rest follow in the framework's order."""
    if page is None or page.plan is None:
        return None
    priority = {s.code: n for n, s in enumerate(focus)}
    # sorted() is stable: targets outside the priorities keep the framework's order.
    rows = sorted(page.rows, key=lambda r: priority.get(r.target.dimension.code, len(priority)))
    approved_at = page.plan.approved_at if page.plan.is_approved else None
    return PlanFacts(
        approved_on=timezone.localdate(approved_at) if approved_at else None,
        targets=[
            TargetFact(
                subject=r.target.dimension.name
                + (f": {r.target.question.statement}" if r.target.question else ""),
                level=r.target.target_level,
                by_when=r.target.by_when,
            )
            for r in rows
        ],
        actions=sum(len(r.actions) for r in page.rows),
        done=sum(r.done for r in page.rows),
        overdue=page.overdue,
    )


def _assessment(council: Council, dashboard: CouncilDashboard) -> Assessment:
    return Assessment.objects.select_related("round").get(council=council, round=dashboard.round)


def _common(council: Council, dashboard: CouncilDashboard) -> dict[str, Any]:
    overall = dashboard.overall
    assert overall is not None
    return {
        "council": council,
        "dashboard": dashboard,
        "group": dashboard.group,
        "overall": overall,
        "min_group": dashboard.min_group,
        "generated_on": timezone.localdate(),
        "level_count": len(LEVEL_NAMES),
        "median_gap": _gap(overall),
        "change": change_text(overall, dashboard.previous_round),
        "page_of_pages": page_of_pages(),
    }


def change_text(subject: Subject, previous_round: AssessmentRound | None) -> str:
    """The change since the last round, in the dashboard's words and formatting."""
    change = subject.change
    if change is None:
        if previous_round is not None:
            return gettext("Not comparable with %(round)s") % {"round": previous_round.name}
        return gettext("This is the council's first signed-off round")
    assert previous_round is not None
    words = {
        "change": change_size(change),
        "round": previous_round.name,
        "was": score_text(subject.previous),
    }
    if change > 0:
        return gettext("Up %(change)s since %(round)s (was %(was)s)") % words
    if change < 0:
        return gettext("Down %(change)s since %(round)s (was %(was)s)") % words
    return gettext("No change since %(round)s") % words


def _gap(subject: Subject) -> str:
    """'above', 'below' or 'level' against the group's median; '' when there is none."""
    difference = subject.difference
    if difference is None:
        return ""
    return "above" if difference > Decimal(0) else "below" if difference < 0 else "level"


def _print_size(chart_id: str) -> dict[str, int]:
    width, height = PRINT_SIZES.get(chart_id, (0, 0))
    return {"width": width, "height": height} if width else {}


def _pdf(html: str) -> bytes:
    # Imported here: importing WeasyPrint takes about half a second, which only the
    # report job should pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The templates link to nothing, and charts are inline: refuse every fetch but data:
    # URLs, so nothing in a report (an evidence link, say) can make the worker read a file
    # or call a server.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf = HTML(string=html, base_url=TEMPLATE_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    if not pdf:
        raise ReportError(str(FAILED))
    return bytes(pdf)
