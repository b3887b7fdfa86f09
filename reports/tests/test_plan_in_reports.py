"""The plan in the council report and the members' briefing."""

from __future__ import annotations

import datetime
from html import unescape

import pytest

from assessments import services as assessment_services
from assessments.tests.factories import scored_assessment, submitted_assessment
from benchmarks.models import PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.factories import make_group
from councils.tests.factories import CouncilFactory
from plans import services
from plans.services import ActionInput, TargetInput
from plans.tests.conftest import TODAY, planning  # noqa: F401  (the fixture)
from reports.council_report import (
    build_council_pdf,
    build_member_briefing_pdf,
    council_report_html,
    member_briefing_html,
)
from reports.plan_wording import PlanFacts, TargetFact, plan_paragraph

from .test_council_report import flat, pdf_text


def test_no_plan_is_said_plainly():
    expected = "The council has not yet made an improvement plan from this assessment."
    assert plan_paragraph(None) == expected
    assert plan_paragraph(PlanFacts(None, [], 0, 0, 0)) == expected


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
        targets=[TargetFact(f"Area {n}", 2, "the next round") for n in range(5)],
        actions=0,
        done=0,
        overdue=0,
    )
    text = plan_paragraph(facts)
    assert text.startswith("The council's draft improvement plan, not yet approved")
    assert "Area 2 by the next round and 2 more." in text
    assert text.endswith("No actions have been agreed yet.")
    facts = PlanFacts(None, [TargetFact("Area", 2, "the next round")], 1, 1, 0)
    assert (
        "sets one target: reach level 2 (Developing) in Area by the next round. It has 1 "
        "action, 1 done." in plan_paragraph(facts)
    )


def _plan_and_next_round(planning, personas):  # noqa: F811
    """A plan from the earlier round (one barrier target, two actions), approved, then the
    next round signed off at level 3 so the target is met; a comparison group for both."""
    others = [CouncilFactory() for _ in range(5)]
    for council in others:
        for round_ in (planning.earlier, planning.latest):
            scored_assessment(
                council=council, round=round_, scores={d: "3.5" for d in planning.dimensions}
            )
    make_group("tier-plan", PeerGroupKind.TIER, [personas.council_a, *others], name="Single-tier")
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
        values=ActionInput("Train the managers", None, "Head of HR", datetime.date(2026, 10, 1)),
        today=TODAY,
    )
    services.plan_approve(plan=target.plan, by=personas.executive_a)
    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)
    for round_ in (planning.earlier, planning.latest):
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)


@pytest.mark.django_db
def test_the_report_of_the_next_round_says_what_was_planned_and_achieved(
    planning,  # noqa: F811
    personas,
    settings,
):
    settings.BENCHMARK_MIN_GROUP = 3
    _plan_and_next_round(planning, personas)
    html = flat(
        council_report_html(
            council_id=personas.council_a.pk, group_slug="tier-plan", draw=lambda *a, **k: "<svg/>"
        )
    )
    assert "Our plan" in html
    assert "Hartlepool has not yet made an improvement plan from its 2026 to 2027 results." in html
    assert "What we planned and what we achieved" in html
    assert "1 of 1 target met" in html
    briefing = flat(member_briefing_html(council_id=personas.council_a.pk, group_slug="tier-plan"))
    assert "The council has not yet made an improvement plan from this assessment." in briefing


@pytest.mark.django_db
def test_the_report_of_the_planned_round_lists_the_plan(planning, personas, settings):  # noqa: F811
    settings.BENCHMARK_MIN_GROUP = 3
    _plan_and_next_round(planning, personas)
    # The earlier round's report: "Our plan" holds its targets and actions.
    from plans.models import Plan

    Plan.objects.update(checked_against=None)  # as before the next round was signed off
    from assessments.models import Assessment

    Assessment.objects.filter(round=planning.latest).delete()
    html = flat(
        council_report_html(
            council_id=personas.council_a.pk, group_slug="tier-plan", draw=lambda *a, **k: "<svg/>"
        )
    )
    assert "Approved by the chief executive on" in html
    assert "Agree a data sharing protocol" in html and "Head of HR" in html
    briefing = unescape(
        flat(member_briefing_html(council_id=personas.council_a.pk, group_slug="tier-plan"))
    )
    assert "The council's improvement plan, approved by the chief executive on" in briefing
    assert "reach level 3 (Defined) in Barrier 1 by the 2026 to 2027 round" in briefing


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
    assert "improvement plan" in briefing
