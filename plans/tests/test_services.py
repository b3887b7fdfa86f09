"""The plan's rules, through its services, on a real database."""

import datetime

import pytest

from assessments import services as assessment_services
from assessments.tests.factories import submitted_assessment
from plans import services
from plans.models import Action, ActionStatus, Outcome, Plan, PlanEvent, PlanEventAction, Target
from plans.services import ActionInput, PlanError, StaleChange, TargetInput

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _target(planning, personas, *, question=None, level=3, action=True, owner=None):
    return services.target_add(
        assessment=planning.assessment,
        by=personas.lead_a,
        dimension=planning.dimensions[0],
        question=question,
        values=TargetInput(target_level=level, target_round=planning.latest, target_date=None),
        first_action=ActionInput(
            description="Agree a data sharing protocol",
            owner=owner or personas.officer_a,
            owner_name="",
            due_on=datetime.date(2026, 9, 30),
        )
        if action
        else None,
        today=TODAY,
    )


def test_adding_a_target_starts_the_plan_and_records_who_did_what(planning, personas):
    target = _target(planning, personas, question=planning.questions[0])

    plan = Plan.objects.get(assessment=planning.assessment)
    assert target.plan == plan and target.starting_level == 2 and target.target_level == 3
    assert [a.description for a in target.actions.all()] == ["Agree a data sharing protocol"]
    assert list(plan.events.order_by("pk").values_list("action", "actor")) == [
        (PlanEventAction.CREATED, personas.lead_a.pk),
        (PlanEventAction.TARGET_ADDED, personas.lead_a.pk),
        (PlanEventAction.ACTION_ADDED, personas.lead_a.pk),
    ]


def test_a_barrier_target_starts_from_the_barriers_level_band(planning, personas):
    target = _target(planning, personas)
    assert target.question is None and target.starting_level == 2


@pytest.mark.parametrize(
    ("level", "round_", "date", "message"),
    [
        (2, "latest", None, "above where the council is now, level 2"),
        (3, None, None, "or enter a date"),
        (3, None, datetime.date(2026, 5, 31), "must be in the future"),
        (3, "earlier", None, "a round after the one this plan comes from"),
    ],
)
def test_a_target_must_be_above_today_and_in_the_future(
    planning, personas, level, round_, date, message
):
    with pytest.raises(PlanError, match=message):
        services.target_add(
            assessment=planning.assessment,
            by=personas.lead_a,
            dimension=planning.dimensions[0],
            question=None,
            values=TargetInput(
                target_level=level,
                target_round=getattr(planning, round_) if round_ else None,
                target_date=date,
            ),
            first_action=None,
            today=TODAY,
        )
    assert not Target.objects.exists()


def test_only_the_lead_drafts_and_an_owner_must_be_in_the_council(planning, personas):
    for someone in (personas.officer_a, personas.executive_a, personas.officer_b):
        with pytest.raises(PlanError):
            services.plan_for(assessment=planning.assessment, by=someone)
    with pytest.raises(PlanError, match="member of your council"):
        _target(planning, personas, owner=personas.officer_b)
    assert not Target.objects.exists()


def test_a_question_from_another_framework_is_refused(planning, personas):
    from assessments.tests.factories import small_framework

    other = small_framework()
    question = other.questions.first()
    with pytest.raises(PlanError, match="this assessment's framework"):
        services.target_add(
            assessment=planning.assessment,
            by=personas.lead_a,
            dimension=question.dimension,
            question=question,
            values=TargetInput(3, planning.latest, None),
            first_action=None,
            today=TODAY,
        )


def test_approval_is_recorded_and_later_changes_are_marked_with_before_and_after(
    planning, personas
):
    target = _target(planning, personas)
    plan = target.plan
    with pytest.raises(PlanError):
        services.plan_approve(plan=plan, by=personas.lead_a)
    services.plan_approve(plan=plan, by=personas.executive_a)
    with pytest.raises(PlanError, match="already approved"):
        services.plan_approve(plan=plan, by=personas.executive_a)

    services.target_change(
        target=target,
        by=personas.lead_a,
        values=TargetInput(4, planning.latest, None),
        expected_version=target.version,
        today=TODAY,
    )
    event = plan.events.get(action=PlanEventAction.TARGET_CHANGED)
    assert event.after_approval
    assert event.before["target_level"] == 3 and event.after["target_level"] == 4
    approved = plan.events.get(action=PlanEventAction.APPROVED)
    assert approved.actor == personas.executive_a and not approved.after_approval


def test_a_change_from_an_out_of_date_page_is_refused(planning, personas):
    target = _target(planning, personas)
    action = target.actions.get()
    services.action_progress(
        action=action,
        by=personas.officer_a,
        status=ActionStatus.IN_PROGRESS,
        blocked_reason="",
        note="Started",
        expected_version=1,
    )
    with pytest.raises(StaleChange):
        services.action_progress(
            action=action,
            by=personas.lead_a,
            status=ActionStatus.DONE,
            blocked_reason="",
            note="",
            expected_version=1,
        )
    with pytest.raises(StaleChange):
        services.target_change(
            target=target,
            by=personas.lead_a,
            values=TargetInput(4, planning.latest, None),
            expected_version=target.version + 1,
            today=TODAY,
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.version == 2


def test_progress_is_for_the_owner_or_the_lead_and_blocked_needs_a_reason(planning, personas):
    target = _target(planning, personas, owner=personas.officer_a)
    action = target.actions.get()
    with pytest.raises(PlanError, match="owner or the assessment lead"):
        services.action_progress(
            action=action,
            by=personas.executive_a,
            status=ActionStatus.DONE,
            blocked_reason="",
            note="",
            expected_version=1,
        )
    with pytest.raises(PlanError, match="blocked"):
        services.action_progress(
            action=action,
            by=personas.officer_a,
            status=ActionStatus.BLOCKED,
            blocked_reason=" ",
            note="",
            expected_version=1,
        )
    update = services.action_progress(
        action=action,
        by=personas.officer_a,
        status=ActionStatus.BLOCKED,
        blocked_reason="Waiting for the NHS trust",
        note="Draft sent",
        expected_version=1,
    )
    assert update.by == personas.officer_a and update.status == ActionStatus.BLOCKED
    event = PlanEvent.objects.get(action=PlanEventAction.PROGRESS)
    assert event.before["status"] == "Not started" and event.after["status"] == "Blocked"


def test_the_next_sign_off_checks_the_plan_and_a_reopening_withdraws_it(planning, personas):
    met = _target(planning, personas, question=planning.questions[0], level=3)
    not_met = _target(planning, personas, question=planning.questions[1], level=4)
    barrier = _target(planning, personas, level=3)
    plan = met.plan

    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)

    plan.refresh_from_db()
    outcomes = {t.pk: (t.outcome, t.achieved_level) for t in plan.targets.all()}
    assert outcomes == {
        met.pk: (Outcome.MET, 3),
        not_met.pk: (Outcome.NOT_MET, 3),
        barrier.pk: (Outcome.MET, 3),
    }
    assert plan.is_read_only
    with pytest.raises(PlanError, match="can no longer change"):
        services.action_add(
            target=met,
            by=personas.lead_a,
            values=ActionInput("More", personas.lead_a, "", datetime.date(2027, 1, 1)),
            today=TODAY,
        )

    assessment_services.assessment_reopen(assessment=nxt, by=personas.staff, reason="Typo")
    plan.refresh_from_db()
    assert not plan.is_read_only
    assert set(plan.targets.values_list("outcome", flat=True)) == {""}


def test_checking_twice_does_the_same_as_once(planning, personas):
    _target(planning, personas, level=3)
    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)
    assert services.plan_check(assessment=nxt) is None  # already checked
    assert PlanEvent.objects.filter(action=PlanEventAction.CHECKED).count() == 1


def test_sharing_offers_replace_and_withdraw_with_an_audit(planning, personas):
    council = personas.council_a
    services.sharing_offer_save(
        council=council,
        dimension_code="DIM1",
        contact_name="Dee Digital",
        contact_email="dee@hartlepool.example",
        note="Ask about our data protocol",
        by=personas.lead_a,
    )
    services.sharing_offer_save(
        council=council,
        dimension_code="DIM1",
        contact_name="Dee Digital",
        contact_email="digital@hartlepool.example",
        note="",
        by=personas.lead_a,
    )
    services.sharing_offer_withdraw(council=council, dimension_code="DIM1", by=personas.lead_a)
    from plans.models import SharingOffer

    assert SharingOffer.objects.active().count() == 0 and SharingOffer.objects.count() == 2
    assert PlanEvent.objects.filter(action=PlanEventAction.SHARING).count() == 3
    with pytest.raises(PlanError):
        services.sharing_offer_withdraw(council=council, dimension_code="DIM1", by=personas.lead_a)
    with pytest.raises(PlanError):
        services.sharing_offer_save(
            council=council,
            dimension_code="DIM1",
            contact_name="X",
            contact_email="x@example.org",
            note="",
            by=personas.officer_a,
        )


def test_removing_a_target_removes_its_actions_and_keeps_a_record(planning, personas):
    target = _target(planning, personas)
    services.target_remove(target=target, by=personas.lead_a)
    assert not Action.objects.exists()
    event = PlanEvent.objects.get(action=PlanEventAction.TARGET_REMOVED)
    assert event.before["actions"] == ["Agree a data sharing protocol"]


def test_open_actions_carry_into_the_next_plan_under_the_same_barrier(planning, personas):
    target = _target(planning, personas, level=4)  # barrier at 2, aiming for 4
    done, still_open = (
        target.actions.get(),
        services.action_add(
            target=target,
            by=personas.lead_a,
            values=ActionInput("Train managers", None, "Head of HR", datetime.date(2026, 7, 1)),
            today=TODAY,
        ),
    )
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.DONE)
    done.refresh_from_db()
    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)

    later = datetime.date(2027, 6, 1)
    with pytest.raises(PlanError, match="new due date"):
        services.actions_carry(
            assessment=nxt, by=personas.lead_a, actions=[still_open], new_due_on=None, today=later
        )
    with pytest.raises(PlanError, match="open actions of the previous plan"):
        services.actions_carry(
            assessment=nxt, by=personas.lead_a, actions=[done], new_due_on=None, today=later
        )
    [copy] = services.actions_carry(
        assessment=nxt,
        by=personas.lead_a,
        actions=[still_open],
        new_due_on=datetime.date(2027, 9, 30),
        today=later,
    )
    assert copy.carried_from == still_open and copy.owner_name == "Head of HR"
    assert copy.due_on == datetime.date(2027, 9, 30)
    new_target = copy.target
    assert new_target.plan.assessment == nxt
    assert (new_target.starting_level, new_target.target_level) == (3, 4)
    assert new_target.dimension == planning.dimensions[0]


def test_someone_leaving_the_team_gives_up_their_open_actions(planning, personas):
    from accounts.models import CouncilMembership
    from accounts.services import membership_remove

    target = _target(planning, personas, owner=personas.officer_a)
    membership_remove(
        membership=CouncilMembership.objects.get(user=personas.officer_a),
        by=personas.lead_a,
    )
    action = target.actions.get()
    assert action.owner is None
    assert action.owner_name == "Olivia Okafor (left the council's team)"
    assert PlanEvent.objects.filter(
        action=PlanEventAction.ACTION_CHANGED, note="The owner left the council's team."
    ).exists()


def test_a_new_framework_version_keeps_what_carries_on_and_says_what_does_not(planning, personas):
    """Version 2 carries barrier 1 and its first question on (`replaces`); barrier 2 is new."""
    from assessments.models import AssessmentRound, Question
    from assessments.tests.factories import small_framework

    met = _target(planning, personas, question=planning.questions[0], level=3)
    barrier = _target(planning, personas, level=3)
    gone = services.target_add(
        assessment=planning.assessment,
        by=personas.lead_a,
        dimension=planning.dimensions[1],
        question=None,
        values=TargetInput(3, planning.latest, None),
        first_action=None,
        today=TODAY,
    )
    v2 = small_framework(dimensions=2, questions=3, version=2)
    for old, new in zip(
        planning.questions[:3],
        Question.objects.filter(framework=v2, dimension__order=1).order_by("order"),
        strict=True,
    ):
        new.replaces = old
        new.save()
    AssessmentRound.objects.filter(pk=planning.latest.pk).update(framework=v2)
    planning.latest.refresh_from_db()
    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)

    outcomes = dict(met.plan.targets.values_list("pk", "outcome"))
    assert outcomes == {
        met.pk: Outcome.MET,
        barrier.pk: Outcome.MET,
        gone.pk: Outcome.NOT_COMPARABLE,
    }
