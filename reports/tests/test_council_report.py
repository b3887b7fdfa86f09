"""The council report and the member briefing, made for real (kaleido in Chromium, WeasyPrint)
and read back with poppler's pdftotext: the PDF must say what the dashboard says."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.defaultfilters import floatformat

from assessments.models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    AssessmentStatus,
    Dimension,
    Question,
    Response,
    ResponseStatus,
)
from assessments.tests.factories import (
    AssessmentRoundFactory,
    FrameworkFactory,
    scored_assessment,
    small_framework,
)
from benchmarks.dashboard import Subject, council_dashboard
from benchmarks.models import PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.dashboard_data import build_sector
from benchmarks.tests.factories import make_group
from councils.tests.factories import CouncilFactory
from reports import rendering
from reports.council_report import (
    build_council_pdf,
    build_member_briefing_pdf,
    focus_areas,
    improved_areas,
)
from reports.errors import ChartRenderError, ReportError

JARGON = ("percentile", "median", "quartile", "dimension")
AREA_NAMES = ("Leadership and strategy", "Data sharing and use")
# The barriers of the product brief, as a full-size framework would name them.
NINE_AREAS = (
    "Leadership and strategy",
    "Procurement and commercial",
    "Culture and change",
    "Data sharing and use",
    "Skills and capability",
    "Legacy systems and technology",
    "Citizen engagement and inclusion",
    "Cyber resilience",
    "Collaboration and shared services",
)


@pytest.fixture
def sector(personas, settings):
    """dashboard_data's sector (k = 3), with real area names (the test framework calls them
    "Dimension 1" and "Dimension 2", a word the briefing must not use), reasons on council A's
    agreed answers, and evidence from two officers, one of whom never submitted."""
    data = build_sector(personas, settings)
    for dimension, name in zip(data["dimensions"], AREA_NAMES, strict=True):
        Dimension.objects.filter(pk=dimension.pk).update(name_en=name)
    assessment = personas.council_a.assessments.get(round=data["latest"])
    first = Question.objects.filter(dimension=data["dimensions"][0]).order_by("order")
    AgreedAnswer.objects.filter(assessment=assessment, question=first[0]).update(
        rationale="Agreed at the digital board in May."
    )
    submitted = Response.objects.create(
        assessment=assessment, respondent=personas.officer_a, status=ResponseStatus.SUBMITTED
    )
    drafted = Response.objects.create(assessment=assessment, respondent=personas.lead_a)
    Answer.objects.create(
        response=submitted,
        question=first[0],
        status=AnswerStatus.ANSWERED,
        level=3,
        evidence_note="Digital strategy approved by cabinet.",
        evidence_url="https://example.org/digital-strategy",
    )
    Answer.objects.create(
        response=drafted,
        question=first[0],
        status=AnswerStatus.ANSWERED,
        level=4,
        evidence_note="Draft note nobody submitted.",
    )
    return data


@pytest.fixture
def nine_areas(personas, settings):
    """A framework the size of the real one: nine areas, ten councils in one published group,
    council A in two rounds. Returns the group's slug."""
    settings.BENCHMARK_MIN_GROUP = 3
    framework = small_framework(dimensions=9, questions=3)
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("order"))
    for dimension, name in zip(dimensions, NINE_AREAS, strict=True):
        Dimension.objects.filter(pk=dimension.pk).update(name_en=name)
    earlier = AssessmentRoundFactory(framework=framework, name="2025 to 2026", slug="25-26")
    latest = AssessmentRoundFactory(framework=framework, name="2026 to 2027", slug="26-27")
    earlier.opens_on = earlier.opens_on.replace(year=2025)
    earlier.save()
    others = [CouncilFactory(gss_code=f"W0600{n:04d}") for n in range(8)]
    councils = [personas.council_a, personas.council_b, *others]
    for i, council in enumerate(councils):
        scores = {d: str(1 + ((i * 7 + j * 3) % 9) / 2) for j, d in enumerate(dimensions)}
        scored_assessment(council=council, round=latest, scores=scores)
    scored_assessment(
        council=personas.council_a,
        round=earlier,
        scores={d: str(1 + (j % 3) / 2) for j, d in enumerate(dimensions)},
    )
    make_group("tier-test", PeerGroupKind.TIER, councils, name="Single-tier councils")
    for round_ in (earlier, latest):
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)
    return "tier-test"


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    )
    return result.stdout


def page_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, check=True, text=True, timeout=60
    ).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match[1])


def flat(text: str) -> str:
    """One space for every run of whitespace (pdftotext breaks lines where the PDF does)."""
    return " ".join(text.split())


def expected_row(subject: Subject, min_group: int) -> list[str]:
    """What the dashboard's table row (benchmarks/_subject_row.html) shows for a subject."""
    cells = [subject.name, floatformat(subject.score, 1)]
    figures = subject.figures
    if subject.published and figures is not None:
        cells.append(floatformat(figures.median, 2))
        cells.append(f"{floatformat(figures.q1, 2)} to {floatformat(figures.q3, 2)}")
        if figures.p10 is None:
            cells.append(f"Not shown for fewer than {min_group * 2} councils")
        else:
            cells.append(f"{floatformat(figures.p10, 2)} to {floatformat(figures.p90, 2)}")
        if subject.position:
            cells.append(f"{subject.position.rank} of {subject.position.councils}")
    return cells


# The council report ---------------------------------------------------------------------------


@pytest.mark.parametrize("group_slug", [None, "region-ne", "tier-unitary"])
def test_the_report_shows_the_figures_the_dashboard_shows(
    chromium, poppler, personas, sector, tmp_path, group_slug
):
    council = personas.council_a
    dashboard = council_dashboard(council, group_slug=group_slug)
    assert dashboard.overall and dashboard.group and dashboard.overall.published

    pdf = build_council_pdf(council_id=council.pk, group_slug=group_slug)

    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf, tmp_path))
    pages = page_count(pdf, tmp_path)
    assert "Digital maturity report" in text
    assert "None" not in text
    assert council.name in text
    assert "2026 to 2027" in text
    assert dashboard.group.name in text
    assert "Page 1 of " + str(pages) in text
    assert f"Page {pages} of {pages}" in text
    overall = dashboard.overall
    assert f"{floatformat(overall.score, 1)} out of 5, level {overall.level}" in text
    assert f"Group median {floatformat(overall.figures.median, 2)}" in text
    assert overall.change is not None
    assert f"Up {floatformat(overall.change, 1)} since 2025 to 2026" in text
    if overall.position:
        assert f"Ranked {overall.position.rank} of {overall.position.councils} councils" in text
    for subject in [*dashboard.dimensions, overall]:
        # The results table's row: every cell in order, as the dashboard formats it.
        assert " ".join(expected_row(subject, dashboard.min_group)) in text, subject.name
    for chart in ("radar", "distributions", "trend"):
        assert f'id="chart-{chart}"' not in text  # the SVGs are drawn, not printed as markup
    assert "the chart shows how scores spread" in text.lower()


def test_the_report_has_strengths_priorities_and_their_next_steps(
    chromium, poppler, personas, sector, tmp_path
):
    council = personas.council_a
    dashboard = council_dashboard(council, group_slug="tier-unitary")
    text = flat(
        pdf_text(build_council_pdf(council_id=council.pk, group_slug="tier-unitary"), tmp_path)
    )

    assert dashboard.strengths and dashboard.priorities
    for item in [*dashboard.strengths, *dashboard.priorities]:
        assert item.subject.name in text
        for step in item.steps:
            assert (
                f"{step.statement} (now level {step.level}). To reach level "
                f"{step.next_level}, {step.next_level_name.lower()}: {step.descriptor}"
            ) in text


def test_the_appendix_lists_the_agreed_answers_with_their_evidence(
    chromium, poppler, personas, sector, tmp_path
):
    pdf = build_council_pdf(council_id=personas.council_a.pk, group_slug=None)
    text = flat(pdf_text(pdf, tmp_path))

    appendix = text[text.index("Appendix: the council's agreed answers") :]
    for code, statement, answer in [
        ("DIM1-01", "Statement 1.1", "Level 3 (Defined)"),
        ("DIM1-02", "Statement 1.2", "Level 1 (Ad hoc)"),
        ("DIM1-03", "Statement 1.3", "Level 5 (Leading)"),
    ]:
        assert f"{code} {statement} Agreed answer: {answer}" in appendix
    assert "Reason: Agreed at the digital board in May." in appendix
    assert "Digital strategy approved by cabinet." in appendix
    assert "https://example.org/digital-strategy" in appendix
    # Only submitted answers count towards the scores, so only their evidence is shown.
    assert "Draft note nobody submitted." not in text
    # The second area has no agreed answers in this sector.
    assert "DIM2-01 Statement 2.1 Agreed answer: No agreed answer" in appendix


def test_a_withheld_group_says_so_and_shows_no_group_figures(
    chromium, poppler, personas, sector, tmp_path
):
    dashboard = council_dashboard(personas.council_a, group_slug="rurality-urban")
    assert not dashboard.group_published

    text = flat(
        pdf_text(
            build_council_pdf(council_id=personas.council_a.pk, group_slug="rurality-urban"),
            tmp_path,
        )
    )

    assert "Fewer than 3 councils" in text
    assert "has fewer than 3 councils with signed-off scores this round" in text
    # Group figures have two decimal places; the council's own scores have one.
    assert not re.search(r"\b\d\.\d\d\b", text)
    assert floatformat(dashboard.overall.score, 1) in text


# The member briefing ---------------------------------------------------------------------------


@pytest.mark.parametrize("group_slug", [None, "tier-unitary", "rurality-urban"])
def test_the_member_briefing_is_one_page_of_plain_english(
    poppler, personas, sector, tmp_path, group_slug
):
    council = personas.council_a
    dashboard = council_dashboard(council, group_slug=group_slug)

    pdf = build_member_briefing_pdf(council_id=council.pk, group_slug=group_slug)

    assert page_count(pdf, tmp_path) == 1
    text = flat(pdf_text(pdf, tmp_path))
    for word in JARGON:
        assert word not in text.lower(), word
    assert council.name in text
    assert f"We scored {floatformat(dashboard.overall.score, 1)} out of 5 overall" in text
    if dashboard.overall.published:
        assert (f"the middle score was {floatformat(dashboard.overall.figures.median, 2)}") in text
    else:
        assert "We cannot compare this with similar councils" in text
    assert "Since 2025 to 2026, our overall score has gone up from" in text
    for area in focus_areas(dashboard):
        assert area.name in text


def test_a_full_size_framework_keeps_the_briefing_to_one_page_and_the_report_exact(
    chromium, poppler, personas, nine_areas, tmp_path
):
    council = personas.council_a
    dashboard = council_dashboard(council, group_slug=nine_areas)
    assert len(dashboard.dimensions) == 9 and dashboard.group_published

    briefing = build_member_briefing_pdf(council_id=council.pk, group_slug=nine_areas)
    report = build_council_pdf(council_id=council.pk, group_slug=nine_areas)

    assert page_count(briefing, tmp_path) == 1
    assert not any(word in pdf_text(briefing, tmp_path).lower() for word in JARGON)
    text = flat(pdf_text(report, tmp_path))
    for subject in [*dashboard.dimensions, dashboard.overall]:
        assert " ".join(expected_row(subject, dashboard.min_group)) in text, subject.name


def test_the_briefing_names_the_areas_that_improved_most():
    def subject(name: str, score: str, previous: str | None) -> Subject:
        return Subject(
            dimension_id=1,
            code=name,
            name=name,
            score=Decimal(score),
            previous=None if previous is None else Decimal(previous),
            figures=None,
            position=None,
        )

    subjects = [
        subject("Up a little", "3.0", "2.8"),
        subject("Down", "2.0", "2.5"),
        subject("Up a lot", "4.0", "2.0"),
        subject("New", "3.0", None),
        subject("Up a little too", "3.2", "3.0"),
        subject("Up some", "3.0", "2.0"),
    ]

    assert [s.name for s in improved_areas(subjects)] == ["Up a lot", "Up some", "Up a little"]


def test_a_council_with_no_score_and_no_group_still_gets_both_documents(
    poppler, personas, tmp_path
):
    # Every agreed answer "not applicable": a signed-off round with no score, no chart to draw.
    framework = small_framework(dimensions=2, questions=1)
    round_ = AssessmentRoundFactory(framework=framework, name="2026 to 2027")
    scored_assessment(
        council=personas.council_a,
        round=round_,
        scores=dict.fromkeys(Dimension.objects.filter(framework=framework)),
    )

    report = pdf_text(
        build_council_pdf(council_id=personas.council_a.pk, group_slug=None), tmp_path
    )
    briefing = build_member_briefing_pdf(council_id=personas.council_a.pk, group_slug=None)

    assert "None" not in report
    assert "No comparison group" in flat(report)
    assert "has no overall score for 2026 to 2027" in flat(report)
    assert page_count(briefing, tmp_path) == 1
    assert "We have no overall score this year" in flat(pdf_text(briefing, tmp_path))


# Failures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [build_council_pdf, build_member_briefing_pdf])
def test_a_council_with_no_signed_off_round_has_no_report(personas, build):
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
    scored_assessment(
        council=personas.council_a, round=round_, scores={}, status=AssessmentStatus.SUBMITTED
    )

    with pytest.raises(ReportError, match="has no signed-off assessment yet"):
        build(council_id=personas.council_a.pk, group_slug=None)


def test_an_unknown_council_or_a_group_the_council_may_not_see_is_a_report_error(personas, sector):
    with pytest.raises(ReportError, match="no longer exists"):
        build_council_pdf(council_id=CouncilFactory().pk + 1000, group_slug=None)
    with pytest.raises(ReportError, match="cannot be compared with the chosen group"):
        build_council_pdf(council_id=personas.council_a.pk, group_slug="neighbours-b")


def test_a_chart_that_cannot_be_drawn_fails_clearly_and_the_next_report_works(
    chromium, poppler, personas, sector, settings, monkeypatch, tmp_path
):
    council_id = personas.council_a.pk
    # Chromium missing: named by the setting, then by kaleido's own environment variable.
    settings.KALEIDO_BROWSER_PATH = str(tmp_path / "no-such-chromium")
    with pytest.raises(ChartRenderError):
        build_council_pdf(council_id=council_id, group_slug=None)
    del settings.KALEIDO_BROWSER_PATH
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ChartRenderError):
        build_council_pdf(council_id=council_id, group_slug=None)
    # A "browser" that exits at once: kaleido's server thread dies, which on its own would
    # leave the next call waiting for ever.
    broken = tmp_path / "broken-chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(broken))
    with pytest.raises(ChartRenderError, match="could not be drawn"):
        build_council_pdf(council_id=council_id, group_slug=None)

    monkeypatch.delenv("BROWSER_PATH")
    pdf = build_council_pdf(council_id=council_id, group_slug=None)

    assert "Digital maturity report" in pdf_text(pdf, tmp_path)


def test_one_browser_draws_every_chart_in_a_process(chromium):
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {"height": 200}}
    rendering.figure_to_svg(figure)
    started = rendering._started_with
    thread = rendering.kaleido._global_server._thread

    svg = rendering.figure_to_svg(figure)

    assert rendering._started_with == started
    assert rendering.kaleido._global_server._thread is thread
    assert svg.startswith("<svg") and 'height="200"' in svg


# SVGs are checked before they go into the page ------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'


def test_a_plain_svg_is_embedded_as_it_is():
    drawn = SVG.format('<g><text x="1" y="1">Hartlepool &amp; Stockton</text></g>')

    assert rendering.safe_svg(('<?xml version="1.0"?>\n' + drawn).encode()) == drawn


@pytest.mark.parametrize(
    "svg",
    [
        SVG.format("<script>alert(1)</script>"),
        SVG.format('<rect onload="alert(1)"/>'),
        SVG.format('<a href="javascript:alert(1)"><text>x</text></a>'),
        SVG.format("<foreignObject><p>html</p></foreignObject>"),
        '<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
        "<html><p>not an svg</p></html>",
        "</svg><p>escape</p><svg>",
    ],
)
def test_anything_but_an_inert_svg_is_refused(svg):
    with pytest.raises(ChartRenderError):
        rendering.safe_svg(svg)
