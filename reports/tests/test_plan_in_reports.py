"""The plan in the council report and the members' briefing."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as assessment_services
from assessments.models import AssessmentRound, Dimension, Question
from assessments.tests.factories import scored_assessment, submitted_assessment
from benchmarks.dashboard import Subject
from benchmarks.models import PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.factories import make_group
from councils.tests.factories import CouncilFactory
from plans import services
from plans.models import Action, ActionStatus, Plan, PlanStatus, Target
from plans.reads import PlanPage, TargetRow
from plans.services import ActionInput, TargetInput
from plans.tests.conftest import TODAY, planning  # noqa: F401  (the fixture)
from reports.council_report import (
    build_council_pdf,
    build_member_briefing_pdf,
    council_report_html,
    member_briefing_html,
    plan_facts,
)
from reports.plan_wording import PlanFacts, TargetFact, plan_paragraph

from .test_council_report import flat, pdf_text

NO_PLAN = "The council has not yet made an improvement plan from this assessment."


def _no_chart(*args: object, **kwargs: object) -> str:
    return "<svg/>"


def _text(html: str) -> str:
    """A page's words on one line, a space where each tag was (table cells stay apart)."""
    return flat(unescape(re.sub(r"<[^>]+>", " ", html)))


def _report(council_id: int) -> str:
    """The council report's words, without drawing its charts."""
    return _text(council_report_html(council_id=council_id, group_slug="tier-plan", draw=_no_chart))


def _briefing(council_id: int) -> str:
    return _text(member_briefing_html(council_id=council_id, group_slug="tier-plan"))


# The briefing's paragraph: pure -------------------------------------------------------------


def test_no_plan_is_said_plainly():
    assert plan_paragraph(None) == NO_PLAN
    assert plan_paragraph(PlanFacts(None, [], 0, 0, 0)) == NO_PLAN


def test_an_approved_plan_names_its_targets_and_progress():
    facts = PlanFacts(
        approved_on=datetime.date(2026, 6, 3),
        targets=[
            TargetFact("Data sharing and use", 3, "the 2026 to 2027 round"),
            TargetFact("Skills and capability", 4, "31 March 2027"),
        ],
        actions=5,
        done=1,
        overdue=1,
    )
    assert plan_paragraph(facts) == (
        "The council's improvement plan, approved by the chief executive on 3 June 2026, sets "
        "2 targets: reach level 3 (Defined) in Data sharing and use by the 2026 to 2027 round "
        "and level 4 (Embedded) in Skills and capability by 31 March 2027. It has 5 actions, "
        "1 done and 1 overdue."
    )


def test_a_draft_with_many_targets_counts_the_rest():
    facts = PlanFacts(
        approved_on=None,
        targets=[TargetFact(f"Barrier {n}", 2, "the next round") for n in range(5)],
        actions=0,
        done=0,
        overdue=0,
    )
    text = plan_paragraph(facts)
    assert text.startswith("The council's draft improvement plan, not yet approved")
    assert "Barrier 2 by the next round and 2 more." in text
    assert text.endswith("No actions have been agreed yet.")
    facts = PlanFacts(None, [TargetFact("Barrier", 2, "the next round")], 1, 1, 0)
    assert (
        "sets one target: reach level 2 (Developing) in Barrier by the next round. It has 1 "
        "action, 1 done." in plan_paragraph(facts)
    )


def _subject(code: str) -> Subject:
    return Subject(
        dimension_id=None,
        code=code,
        name=code,
        score=None,
        previous=None,
        figures=None,
        position=None,
    )


def test_the_briefing_puts_targets_in_its_top_priorities_first():
    """Built from unsaved objects: no database."""
    round_ = AssessmentRound(name="2026 to 2027")
    plan = Plan(
        status=PlanStatus.APPROVED,
        approved_at=datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.UTC),
    )
    rows = []
    for code in ("DIM1", "DIM2", "DIM3"):
        target = Target(target_level=3, target_round=round_)
        target.dimension = Dimension(code=code, name=f"Barrier {code[-1]}")
        rows.append(TargetRow(target=target, actions=[], shown=[]))
    question_target = Target(target_level=4, target_date=datetime.date(2027, 3, 31))
    question_target.dimension = Dimension(code="DIM1", name="Barrier 1")
    question_target.question = Question(code="DIM1-02", statement="Data is shared")
    actions = [Action(status=ActionStatus.DONE), Action(status=ActionStatus.IN_PROGRESS)]
    rows.append(TargetRow(target=question_target, actions=actions, shown=actions))
    page = PlanPage(plan=plan, rows=rows, overdue=1)

    facts = plan_facts(page, [_subject("DIM3"), _subject("DIM1")])

    assert facts is not None
    assert [t.subject for t in facts.targets] == [
        "Barrier 3",
        "Barrier 1",
        "Barrier 1: Data is shared",
        "Barrier 2",
    ]
    assert facts.targets[2].by_when == "31 March 2027"
    assert (facts.approved_on, facts.actions, facts.done, facts.overdue) == (
        datetime.date(2026, 6, 3),
        2,
        1,
        1,
    )
    assert plan_facts(None, []) is None
    draft = Plan(status=PlanStatus.DRAFT)
    facts = plan_facts(PlanPage(plan=draft, rows=rows), [])
    assert facts is not None and facts.approved_on is None


# The reports, built from the database -------------------------------------------------------


def _comparison_group(planning, personas, *rounds):  # noqa: F811
    """Five other councils at 3.5 in every barrier, in a group with council A, released for
    each round."""
    others = [CouncilFactory() for _ in range(5)]
    for council in others:
        for round_ in rounds:
            scored_assessment(
                council=council, round=round_, scores={d: "3.5" for d in planning.dimensions}
            )
    make_group("tier-plan", PeerGroupKind.TIER, [personas.council_a, *others], name="Single-tier")
    for round_ in rounds:
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)


def _barrier_target(planning, personas):  # noqa: F811
    """A target in the first barrier (level 2 at sign-off, level 3 by the next round) with an
    action for an officer in the portal and a blocked one for a role outside it."""
    target = services.target_add(
        assessment=planning.assessment,
        by=personas.lead_a,
        dimension=planning.dimensions[0],
        question=None,
        values=TargetInput(3, planning.latest, None),
        first_action=ActionInput(
            "Agree a data sharing protocol", personas.officer_a, "", datetime.date(2026, 9, 1)
        ),
        today=TODAY,
    )
    services.action_add(
        target=target,
        by=personas.lead_a,
        values=ActionInput(
            "Train the managers",
            None,
            "Head of HR",
            datetime.date(2026, 10, 1),
            status=ActionStatus.BLOCKED,
            blocked_reason="Waiting for the training budget",
        ),
        today=TODAY,
    )
    return target


def _approve_on_3_june(plan: Plan, personas) -> None:
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, 0, tzinfo=datetime.UTC)):
        services.plan_approve(plan=plan, by=personas.executive_a)


@pytest.mark.django_db
def test_with_no_plan_each_report_says_so_in_one_sentence(planning, personas, settings):  # noqa: F811
    settings.BENCHMARK_MIN_GROUP = 3
    _comparison_group(planning, personas, planning.earlier)

    html = _report(personas.council_a.pk)

    assert "Our plan" in html
    assert "Hartlepool has not yet made an improvement plan from its 2025 to 2026 results." in html
    # The first round has nothing earlier to check.
    assert "What we planned and what we achieved" not in html
    assert NO_PLAN in _briefing(personas.council_a.pk)


@pytest.mark.django_db
def test_the_report_lists_the_plan_made_from_its_round(planning, personas, settings):  # noqa: F811
    settings.BENCHMARK_MIN_GROUP = 3
    _comparison_group(planning, personas, planning.earlier)
    target = _barrier_target(planning, personas)
    services.target_add(
        assessment=planning.assessment,
        by=personas.lead_a,
        dimension=planning.dimensions[1],
        question=planning.questions[3],
        values=TargetInput(4, None, datetime.date(2027, 3, 31)),
        first_action=None,
        today=TODAY,
    )

    # On 15 September the officer's action (due 1 September, not started) is overdue.
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)):
        html = _report(personas.council_a.pk)
        briefing = _briefing(personas.council_a.pk)

    assert (
        "A draft, not yet approved by the chief executive. 2 targets, 2 open actions, 1 overdue."
        in html
    )
    assert (
        "Barrier 1 From Level 2 (Developing) at sign-off to Level 3 (Defined) by the 2026 to "
        "2027 round. 0 of 2 actions done." in html
    )
    assert (
        "Agree a data sharing protocol Olivia Okafor 1 September 2026 (overdue) Not started" in html
    )
    assert (
        "Train the managers Head of HR 1 October 2026 Blocked: Waiting for the training budget"
        in html
    )
    assert (
        "Barrier 2: Statement 2.1 From Level 2 (Developing) at sign-off to Level 4 (Embedded) "
        "by 31 March 2027. No actions agreed yet." in html
    )
    assert "What we planned and what we achieved" not in html
    assert (
        "The council's draft improvement plan, not yet approved by the chief executive, sets 2 "
        "targets: reach level 3 (Defined) in Barrier 1 by the 2026 to 2027 round and level 4 "
        "(Embedded) in Barrier 2: Statement 2.1 by 31 March 2027. It has 2 actions, 0 done and "
        "1 overdue." in briefing
    )

    _approve_on_3_june(target.plan, personas)
    html, briefing = _report(personas.council_a.pk), _briefing(personas.council_a.pk)
    assert "Approved by the chief executive on 3 June 2026." in html
    assert "The council's improvement plan, approved by the chief executive on 3 June 2026" in (
        briefing
    )


def _plan_and_next_round(planning, personas):  # noqa: F811
    """A plan from the earlier round (one barrier target, two actions), approved, then the
    next round signed off at level 3 so the target is met; a comparison group for both."""
    target = _barrier_target(planning, personas)
    _approve_on_3_june(target.plan, personas)
    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)
    _comparison_group(planning, personas, planning.earlier, planning.latest)


@pytest.mark.django_db
def test_the_report_of_the_next_round_says_what_was_planned_and_achieved(
    planning,  # noqa: F811
    personas,
    settings,
):
    settings.BENCHMARK_MIN_GROUP = 3
    _plan_and_next_round(planning, personas)

    html = _report(personas.council_a.pk)

    assert "Hartlepool has not yet made an improvement plan from its 2026 to 2027 results." in html
    assert "What we planned and what we achieved" in html
    assert (
        "The 2025 to 2026 plan, checked against the 2026 to 2027 results: 1 of 1 target met."
        in html
    )
    assert (
        "Barrier or question Planned Outcome Level reached Barrier 1 From Level 2 (Developing) "
        "to Level 3 (Defined) Met Level 3 (Defined)" in html
    )
    assert NO_PLAN in _briefing(personas.council_a.pk)


@pytest.mark.django_db
def test_the_plan_costs_the_same_queries_whatever_its_size(planning, personas, settings):  # noqa: F811
    settings.BENCHMARK_MIN_GROUP = 3
    _comparison_group(planning, personas, planning.earlier)
    target = _barrier_target(planning, personas)
    _approve_on_3_june(target.plan, personas)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as report:
            _report(personas.council_a.pk)
        with CaptureQueriesContext(connection) as briefing:
            _briefing(personas.council_a.pk)
        return len(report), len(briefing)

    queries()  # the first read after the release fills the cache (benchmarks.release_cache)
    small = queries()
    more = services.target_add(
        assessment=planning.assessment,
        by=personas.lead_a,
        dimension=planning.dimensions[1],
        question=None,
        values=TargetInput(4, None, datetime.date(2027, 3, 31)),
        first_action=None,
        today=TODAY,
    )
    for n in range(6):
        action = services.action_add(
            target=more,
            by=personas.lead_a,
            values=ActionInput(f"Step {n}", personas.officer_a, "", datetime.date(2026, 12, 31)),
            today=TODAY,
        )
        services.action_progress(
            action=action,
            by=personas.lead_a,
            status=ActionStatus.IN_PROGRESS,
            blocked_reason="",
            note="Started",
            expected_version=action.version,
        )

    assert queries() == small


@pytest.mark.slow
@pytest.mark.django_db
def test_the_pdf_says_it_too(planning, personas, settings, chromium, poppler, tmp_path):  # noqa: F811
    settings.BENCHMARK_MIN_GROUP = 3
    _plan_and_next_round(planning, personas)
    text = flat(
        pdf_text(
            build_council_pdf(council_id=personas.council_a.pk, group_slug="tier-plan"), tmp_path
        )
    )
    assert "Our plan" in text and "What we planned and what we achieved" in text
    assert "1 of 1 target met" in text
    briefing = flat(
        pdf_text(
            build_member_briefing_pdf(council_id=personas.council_a.pk, group_slug="tier-plan"),
            tmp_path,
        )
    )
    assert NO_PLAN in briefing
