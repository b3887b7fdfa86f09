"""Every change to a plan, with its rules: one transaction each, audited with before and after.

Who may do what: the assessment lead drafts and changes the plan; the chief executive approves
it; an action's owner (or the lead) records progress on it; everyone in the council reads it.
Targets and actions carry a version, and a change made from an out-of-date page is refused with
what is saved now (`StaleChange`), so two people editing at once never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import CouncilMembership, CouncilRole, User
from assessments.lineage import dimension_lineage, question_lineage
from assessments.models import (
    AgreedAnswer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    Dimension,
    DimensionScore,
    Question,
)
from assessments.scoring import LEVEL_NAMES, MAX_LEVEL, level_band
from core.scrub import scrubbed
from councils.models import Council

from .models import (
    FORMER_MEMBER,
    LEFT_SUFFIX,
    LEFT_THE_TEAM,
    NOTE_CARRIED_TARGET,
    NOTE_OWNER_LEFT,
    NOTE_UNCHECKED,
    NOTE_WITHDRAWN,
    Action,
    ActionStatus,
    Outcome,
    Plan,
    PlanEvent,
    PlanEventAction,
    PlanStatus,
    ProgressUpdate,
    SharingOffer,
    Target,
    in_english,
)


class PlanError(Exception):
    """A change the rules refuse; the message is shown to the person as it is."""


class StaleChange(PlanError):
    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Someone else changed this while you were editing it. The page now shows what "
                "is saved; make your change again."
            )
        )


@dataclass(frozen=True)
class TargetInput:
    target_level: int
    target_round: AssessmentRound | None
    target_date: date | None


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: User | None
    owner_name: str
    due_on: date
    status: str = ActionStatus.NOT_STARTED
    blocked_reason: str = ""


# Who ------------------------------------------------------------------------------------------


def role_at(user: Any, council: Council | int) -> str | None:
    council_id = council if isinstance(council, int) else council.pk
    return (
        CouncilMembership.objects.for_user(user)
        .filter(council_id=council_id)
        .values_list("role", flat=True)
        .first()
    )


def _require_role(user: User, council: Council | int, *roles: str) -> None:
    if role_at(user, council) not in roles:
        raise PlanError(gettext("You cannot do this for this council."))


def _require_editable(plan: Plan) -> None:
    if plan.is_read_only:
        raise PlanError(
            gettext(
                "This plan has been checked against the next round, so it can no longer change. "
                "Carry its open actions into the new plan instead."
            )
        )


def _audit(
    plan: Plan,
    *,
    by: User | None,
    action: str,
    subject: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: Any = "",
) -> PlanEvent:
    """Record a change. `note` may be one of the portal's own notes (models.NOTE_...): it is
    stored in English and shown in the reader's language."""
    return PlanEvent.objects.create(
        council_id=plan.council_id,
        plan=plan,
        actor=by,
        action=action,
        subject=subject[:200],
        before=before,
        after=after,
        # What the chief executive has not seen: people's changes since approving.
        after_approval=plan.is_approved and by is not None,
        note=in_english(note),
    )


# Reading what a target starts from ------------------------------------------------------------


def current_level(
    assessment: Assessment, dimension: Dimension, question: Question | None
) -> int | None:
    """Where the council stands at sign-off: the agreed level of the question, or the level band
    of the barrier's frozen score. None when it has none (not applicable, don't know, no score)."""
    if question is not None:
        agreed = AgreedAnswer.objects.filter(
            assessment=assessment, question=question, status=AnswerStatus.ANSWERED
        ).values_list("level", flat=True)
        return next(iter(agreed), None)
    score = (
        DimensionScore.objects.filter(assessment=assessment, dimension=dimension)
        .values_list("score", flat=True)
        .first()
    )
    return level_band(score)


# Checks on input ------------------------------------------------------------------------------


def _check_target(
    assessment: Assessment, values: TargetInput, starting: int | None, *, today: date
) -> None:
    if not 1 <= values.target_level <= MAX_LEVEL:
        raise PlanError(gettext("Choose a target level from 1 to %(top)s.") % {"top": MAX_LEVEL})
    if starting is not None and values.target_level <= starting:
        raise PlanError(
            gettext(
                "Choose a target level above where the council is now, level %(level)s (%(name)s)."
            )
            % {"level": starting, "name": LEVEL_NAMES[starting]}
        )
    if values.target_round is None and values.target_date is None:
        raise PlanError(gettext("Choose the round to reach the target by, or enter a date."))
    if (
        values.target_round is not None
        and values.target_round.opens_on <= assessment.round.opens_on
    ):
        raise PlanError(gettext("Choose a round after the one this plan comes from."))
    if values.target_date is not None and values.target_date <= today:
        raise PlanError(gettext("The target date must be in the future."))


def _check_action(
    council_id: int, values: ActionInput, *, today: date, previous_due: date | None = None
) -> None:
    if not values.description.strip():
        raise PlanError(gettext("Enter what will be done."))
    if values.owner is None and not values.owner_name.strip():
        raise PlanError(
            gettext("Choose an owner from your team, or name a role outside the portal.")
        )
    if values.owner is not None and role_at(values.owner, council_id) is None:
        raise PlanError(gettext("The owner must be a member of your council's team."))
    # An unchanged due date may be in the past (the action is overdue); a new one may not.
    if values.due_on != previous_due and values.due_on < today:
        raise PlanError(gettext("The due date must be today or in the future."))
    if values.status not in ActionStatus.values:
        raise PlanError(gettext("Choose a status from the list."))
    if values.status == ActionStatus.BLOCKED and not values.blocked_reason.strip():
        raise PlanError(gettext("Say why the action is blocked."))


def _target_snapshot(target: Target) -> dict[str, Any]:
    return {
        "target_level": target.target_level,
        "target_round": target.target_round.name if target.target_round else None,
        "target_date": target.target_date.isoformat() if target.target_date else None,
    }


def _action_snapshot(action: Action) -> dict[str, Any]:
    """An action as the history records it: the portal's own words in English."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "description": action.description,
            "owner": action.owner_label,
            "due_on": action.due_on.isoformat(),
            "status": action.get_status_display(),
            "blocked_reason": action.blocked_reason,
        }


def _status_recorded(status: str) -> str:
    """A status as the history records it: its English label (shown in the reader's language)."""
    return in_english(ActionStatus(status).label)


def _subject(target: Target) -> str:
    """What a target is about, as the history records it: in English."""
    with translation.override(settings.LANGUAGE_CODE):
        return target.subject_name


# The plan -------------------------------------------------------------------------------------


def plan_for(*, assessment: Assessment, by: User) -> Plan:
    """The assessment's plan, started now if it has none. Only the lead starts one, and only
    for a signed-off assessment."""
    _require_role(by, assessment.council, CouncilRole.LEAD)
    if not assessment.is_signed_off:
        raise PlanError(gettext("A plan can be made once the assessment is signed off."))
    existing = Plan.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                assessment=assessment, council_id=assessment.council_id, created_by=by
            )
            _audit(plan, by=by, action=PlanEventAction.CREATED)
    except IntegrityError:
        # Two first clicks at once: the other one made it.
        return Plan.objects.get(assessment=assessment)
    return plan


def plan_approve(*, plan: Plan, by: User) -> None:
    """The chief executive approves the plan. Later changes are audited as made after approval."""
    _require_role(by, plan.council_id, CouncilRole.EXECUTIVE)
    _require_editable(plan)
    with transaction.atomic():
        if not Target.objects.filter(plan=plan).exists():
            raise PlanError(gettext("A plan needs at least one target before it can be approved."))
        now = timezone.now()
        barriers = sorted(
            set(Target.objects.filter(plan=plan).values_list("dimension__code", flat=True))
        )
        updated = Plan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT).update(
            status=PlanStatus.APPROVED, approved_at=now, approved_by=by, approved_barriers=barriers
        )
        if not updated:
            raise PlanError(gettext("This plan is already approved."))
        _audit(
            plan,
            by=by,
            action=PlanEventAction.APPROVED,
            before={"status": "Draft"},
            after={"status": "Approved"},
        )
        plan.status, plan.approved_at, plan.approved_by = PlanStatus.APPROVED, now, by
        plan.approved_barriers = barriers


# Targets --------------------------------------------------------------------------------------


def target_add(
    *,
    assessment: Assessment,
    by: User,
    dimension: Dimension,
    question: Question | None,
    values: TargetInput,
    first_action: ActionInput | None,
    today: date,
) -> Target:
    """A target for a barrier or one of its questions, with its first action if given. Starts
    the plan if the assessment has none yet."""
    if dimension.framework_id != assessment.round.framework_id or (
        question is not None and question.dimension_id != dimension.pk
    ):
        raise PlanError(gettext("Choose a barrier and question from this assessment's framework."))
    plan = plan_for(assessment=assessment, by=by)
    _require_editable(plan)
    starting = current_level(assessment, dimension, question)
    _check_target(assessment, values, starting, today=today)
    if first_action is not None:
        _check_action(plan.council_id, first_action, today=today)
    existing = Target.objects.filter(plan=plan, dimension=dimension, question=question)
    if existing.exists():
        raise PlanError(
            gettext("The plan already has a target for this. Change that target instead.")
        )
    try:
        with transaction.atomic():
            target = Target.objects.create(
                plan=plan,
                dimension=dimension,
                question=question,
                starting_level=starting,
                target_level=values.target_level,
                target_round=values.target_round,
                target_date=values.target_date,
            )
            _audit(
                plan,
                by=by,
                action=PlanEventAction.TARGET_ADDED,
                subject=_subject(target),
                after=_target_snapshot(target),
            )
            if first_action is not None:
                _action_create(target, first_action, by=by)
    except IntegrityError as error:
        raise PlanError(
            gettext("The plan already has a target for this. Change that target instead.")
        ) from error
    return target


def target_change(
    *, target: Target, by: User, values: TargetInput, expected_version: int, today: date
) -> None:
    plan = target.plan
    _require_role(by, plan.council_id, CouncilRole.LEAD)
    _require_editable(plan)
    _check_target(plan.assessment, values, target.starting_level, today=today)
    with transaction.atomic():
        before = _target_snapshot(target)
        updated = Target.objects.filter(pk=target.pk, version=expected_version).update(
            target_level=values.target_level,
            target_round=values.target_round,
            target_date=values.target_date,
            version=F("version") + 1,
        )
        if not updated:
            raise StaleChange()
        target.refresh_from_db()
        _audit(
            plan,
            by=by,
            action=PlanEventAction.TARGET_CHANGED,
            subject=_subject(target),
            before=before,
            after=_target_snapshot(target),
        )


def target_remove(*, target: Target, by: User) -> None:
    plan = target.plan
    _require_role(by, plan.council_id, CouncilRole.LEAD)
    _require_editable(plan)
    with transaction.atomic():
        before = _target_snapshot(target)
        before["actions"] = list(target.actions.values_list("description", flat=True))
        _audit(
            plan,
            by=by,
            action=PlanEventAction.TARGET_REMOVED,
            subject=_subject(target),
            before=before,
        )
        target.delete()


# Actions --------------------------------------------------------------------------------------


def _action_create(target: Target, values: ActionInput, *, by: User) -> Action:
    action = Action.objects.create(
        target=target,
        plan_id=target.plan_id,
        description=values.description.strip(),
        owner=values.owner,
        owner_name="" if values.owner else values.owner_name.strip(),
        due_on=values.due_on,
        status=values.status,
        blocked_reason=values.blocked_reason.strip()
        if values.status == ActionStatus.BLOCKED
        else "",
    )
    _audit(
        target.plan,
        by=by,
        action=PlanEventAction.ACTION_ADDED,
        subject=_subject(target),
        after=_action_snapshot(action),
    )
    return action


def action_add(*, target: Target, by: User, values: ActionInput, today: date) -> Action:
    plan = target.plan
    _require_role(by, plan.council_id, CouncilRole.LEAD)
    _require_editable(plan)
    _check_action(plan.council_id, values, today=today)
    with transaction.atomic():
        return _action_create(target, values, by=by)


def action_change(
    *, action: Action, by: User, values: ActionInput, expected_version: int, today: date
) -> None:
    """The lead changes an action's wording, owner, due date or status."""
    plan = action.plan
    _require_role(by, plan.council_id, CouncilRole.LEAD)
    _require_editable(plan)
    _check_action(plan.council_id, values, today=today, previous_due=action.due_on)
    with transaction.atomic():
        before = _action_snapshot(action)
        updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
            description=values.description.strip(),
            owner=values.owner,
            owner_name="" if values.owner else values.owner_name.strip(),
            due_on=values.due_on,
            status=values.status,
            blocked_reason=values.blocked_reason.strip()
            if values.status == ActionStatus.BLOCKED
            else "",
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise StaleChange()
        action.refresh_from_db()
        _audit(
            plan,
            by=by,
            action=PlanEventAction.ACTION_CHANGED,
            subject=_subject(action.target),
            before=before,
            after=_action_snapshot(action),
        )


def action_remove(*, action: Action, by: User) -> None:
    plan = action.plan
    _require_role(by, plan.council_id, CouncilRole.LEAD)
    _require_editable(plan)
    with transaction.atomic():
        _audit(
            plan,
            by=by,
            action=PlanEventAction.ACTION_REMOVED,
            subject=_subject(action.target),
            before=_action_snapshot(action),
        )
        action.delete()


def can_update_progress(user: User, action: Action) -> bool:
    """The action's owner, or the council's lead."""
    if action.owner_id is not None and action.owner_id == user.pk:
        return role_at(user, action.plan.council_id) is not None
    return role_at(user, action.plan.council_id) == CouncilRole.LEAD


def action_progress(
    *,
    action: Action,
    by: User,
    status: str,
    blocked_reason: str,
    note: str,
    expected_version: int,
) -> ProgressUpdate:
    """A dated progress update on an action, by its owner or the lead."""
    plan = action.plan
    if not can_update_progress(by, action):
        raise PlanError(gettext("Only the action's owner or the assessment lead can update it."))
    _require_editable(plan)
    if status not in ActionStatus.values:
        raise PlanError(gettext("Choose a status from the list."))
    if status == ActionStatus.BLOCKED and not blocked_reason.strip():
        raise PlanError(gettext("Say why the action is blocked."))
    if status == action.status and not note.strip():
        raise PlanError(gettext("Enter what has happened, or change the status."))
    with transaction.atomic():
        before = {
            "status": _status_recorded(action.status),
            "blocked_reason": action.blocked_reason,
        }
        reason = blocked_reason.strip() if status == ActionStatus.BLOCKED else ""
        updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
            status=status,
            blocked_reason=reason,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise StaleChange()
        action.refresh_from_db()
        update = ProgressUpdate.objects.create(
            action=action, by=by, status=status, note=note.strip()
        )
        _audit(
            plan,
            by=by,
            action=PlanEventAction.PROGRESS,
            subject=action.description[:200],
            before=before,
            after={"status": _status_recorded(action.status), "blocked_reason": reason},
            note=note.strip(),
        )
    return update


# Planned against achieved ---------------------------------------------------------------------


def plan_check(*, assessment: Assessment) -> Plan | None:
    """On a sign-off: the council's latest earlier plan not yet checked gets each target's
    outcome (met, not met, or no longer comparable where the framework changed and the barrier
    or question has no successor), and becomes read-only. Running it again does the same."""
    plan = (
        Plan.objects.filter(
            council_id=assessment.council_id,
            assessment__round__opens_on__lt=assessment.round.opens_on,
        )
        .filter(checked_against__isnull=True)
        .select_related("assessment__round")
        .order_by("-assessment__round__opens_on")
        .first()
    )
    if plan is None:
        return None
    targets = list(plan.targets.select_related("dimension", "question"))
    achieved = achieved_levels(assessment, targets)
    with transaction.atomic():
        for target in targets:
            found = achieved.get(target.pk)
            if found is None:
                target.outcome, target.achieved_level = Outcome.NOT_COMPARABLE, None
            else:
                comparable, level = found
                target.achieved_level = level
                target.outcome = (
                    Outcome.NOT_COMPARABLE
                    if not comparable
                    else Outcome.MET
                    if level is not None and level >= target.target_level
                    else Outcome.NOT_MET
                )
        Target.objects.bulk_update(targets, ["outcome", "achieved_level"])
        plan.checked_against = assessment
        plan.save(update_fields=["checked_against"])
        _audit(
            plan,
            by=None,
            action=PlanEventAction.CHECKED,
            subject=assessment.round.name,
            after={
                "met": sum(t.outcome == Outcome.MET for t in targets),
                "not_met": sum(t.outcome == Outcome.NOT_MET for t in targets),
                "not_comparable": sum(t.outcome == Outcome.NOT_COMPARABLE for t in targets),
            },
        )
    return plan


def achieved_levels(
    assessment: Assessment, targets: Iterable[Target]
) -> dict[int, tuple[bool, int | None]]:
    """{target id: (comparable, level reached in `assessment`)}. A target is comparable when its
    barrier or question is in the assessment's framework, or carries on into it."""
    targets = list(targets)
    successors = _successors(assessment.round.framework_id, targets)
    scores = dict(
        DimensionScore.objects.filter(assessment=assessment).values_list("dimension_id", "score")
    )
    agreed = {
        question_id: (level if status == AnswerStatus.ANSWERED else None)
        for question_id, status, level in AgreedAnswer.objects.filter(
            assessment=assessment
        ).values_list("question_id", "status", "level")
    }
    found: dict[int, tuple[bool, int | None]] = {}
    for target in targets:
        successor = successors.get(target.pk)
        if successor is None:
            found[target.pk] = (False, None)
        elif successor[1] is not None:
            found[target.pk] = (True, agreed.get(successor[1]))
        else:
            found[target.pk] = (True, level_band(scores.get(successor[0])))
    return found


def _successors(framework_id: int, targets: Iterable[Target]) -> dict[int, tuple[int, int | None]]:
    """{target id: (dimension id, question id or None) in the framework}, for the targets whose
    barrier or question is in it or carries on into it (`assessments.lineage`, as trends
    follow). One query when a target comes from another framework version, none otherwise."""
    targets = list(targets)
    older = {t.dimension.framework_id for t in targets} - {framework_id}
    dimensions: dict[int, int] = {}
    questions: dict[int, int] = {}
    question_dimension: dict[int, int] = {}
    if older:
        links = list(
            Question.objects.filter(framework_id__in={*older, framework_id}).values_list(
                "pk", "dimension_id", "replaces_id", "replaces__dimension_id"
            )
        )
        dimensions = dimension_lineage((d, rd) for _, d, _, rd in links)
        questions = question_lineage((q, r) for q, _, r, _ in links)
        question_dimension = {q: d for q, d, _, _ in links}
    found: dict[int, tuple[int, int | None]] = {}
    for target in targets:
        same = target.dimension.framework_id == framework_id
        if target.question_id is not None:
            question_id = target.question_id if same else questions.get(target.question_id)
            if question_id is not None:
                dimension_id = target.dimension_id if same else question_dimension[question_id]
                found[target.pk] = (dimension_id, question_id)
        else:
            successor = target.dimension_id if same else dimensions.get(target.dimension_id)
            if successor is not None:
                found[target.pk] = (successor, None)
    return found


def plan_uncheck(*, assessment: Assessment) -> None:
    """On a reopening: outcomes recorded against the reopened assessment are withdrawn until it
    is signed off again, and the plan can change again."""
    with transaction.atomic():
        for plan in Plan.objects.filter(checked_against=assessment):
            Target.objects.filter(plan=plan).update(outcome="", achieved_level=None)
            plan.checked_against = None
            plan.save(update_fields=["checked_against"])
            _audit(
                plan,
                by=None,
                action=PlanEventAction.CHECKED,
                subject=assessment.round.name,
                note=NOTE_UNCHECKED,
            )


# Offers to share ------------------------------------------------------------------------------


def sharing_offer_save(
    *,
    council: Council,
    dimension_code: str,
    contact_name: str,
    contact_email: str,
    note: str,
    by: User,
) -> SharingOffer:
    """The council offers to share how it improved in a barrier (replacing any earlier offer)."""
    _require_role(by, council, CouncilRole.LEAD)
    if not contact_name.strip() or not contact_email.strip():
        raise PlanError(gettext("Enter a contact name and email address."))
    with transaction.atomic():
        before = _withdraw(council, dimension_code)
        offer = SharingOffer.objects.create(
            council=council,
            dimension_code=dimension_code,
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip(),
            note=note.strip(),
            created_by=by,
        )
        PlanEvent.objects.create(
            council=council,
            actor=by,
            action=PlanEventAction.SHARING,
            subject=dimension_code,
            before=before,
            after={"contact": offer.contact_name, "email": offer.contact_email, "note": offer.note},
        )
    return offer


def sharing_offer_withdraw(*, council: Council, dimension_code: str, by: User) -> None:
    _require_role(by, council, CouncilRole.LEAD)
    with transaction.atomic():
        before = _withdraw(council, dimension_code)
        if before is None:
            raise PlanError(gettext("There is no offer to withdraw."))
        PlanEvent.objects.create(
            council=council,
            actor=by,
            action=PlanEventAction.SHARING,
            subject=dimension_code,
            before=before,
            note=in_english(NOTE_WITHDRAWN),
        )


def _withdraw(council: Council, dimension_code: str) -> dict[str, Any] | None:
    offer = (
        SharingOffer.objects.select_for_update()
        .active()
        .filter(council=council, dimension_code=dimension_code)
        .first()
    )
    if offer is None:
        return None
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["withdrawn_at"])
    return {"contact": offer.contact_name, "email": offer.contact_email, "note": offer.note}


# Carrying open actions into the next plan -----------------------------------------------------


def previous_plan(assessment: Assessment) -> Plan | None:
    """The plan that was checked against this assessment's sign-off: the one before it."""
    return Plan.objects.filter(checked_against=assessment).first()


def actions_carry(
    *,
    assessment: Assessment,
    by: User,
    actions: Iterable[Action],
    new_due_on: date | None,
    today: date,
) -> list[Action]:
    """Copy open actions of the previous plan into this assessment's plan, each under a target
    for the same barrier or question (through the framework lineage), made if the plan has
    none: the old target's level if still above where the council is now, else the next level
    up, by the first later round or, without one, a year from today. An action whose due date
    has passed takes `new_due_on`. All or nothing."""
    actions = list(actions)
    previous = previous_plan(assessment)
    if not actions:
        raise PlanError(gettext("Choose at least one action to carry over."))
    if previous is None or any(a.plan_id != previous.pk or not a.is_open for a in actions):
        raise PlanError(gettext("Choose open actions of the previous plan."))
    overdue = [a for a in actions if a.due_on < today]
    if overdue and (new_due_on is None or new_due_on < today):
        raise PlanError(
            gettext("Enter a new due date, today or later, for the actions already due.")
        )
    plan = plan_for(assessment=assessment, by=by)
    _require_editable(plan)
    targets = {t.pk: t for t in previous.targets.select_related("dimension", "question")}
    mapped = _subjects_in(assessment, targets.values())
    later = (
        AssessmentRound.objects.filter(opens_on__gt=assessment.round.opens_on)
        .order_by("opens_on")
        .first()
    )
    carried: list[Action] = []
    with transaction.atomic():
        for action in actions:
            old = targets[action.target_id]
            subject = mapped.get(old.pk)
            if subject is None:
                raise PlanError(
                    gettext(
                        "%(subject)s is not in this round's framework, so its actions cannot be "
                        "carried over. Add them to a new target instead."
                    )
                    % {"subject": old.subject_name}
                )
            dimension, question = subject
            target = Target.objects.filter(
                plan=plan, dimension=dimension, question=question
            ).first()
            if target is None:
                starting = current_level(assessment, dimension, question)
                if starting is not None and starting >= MAX_LEVEL:
                    raise PlanError(
                        gettext(
                            "%(subject)s is already at the top level, so there is no target to "
                            "carry its actions towards."
                        )
                        % {"subject": old.subject_name}
                    )
                level = old.target_level
                if starting is not None and level <= starting:
                    level = starting + 1
                target = Target.objects.create(
                    plan=plan,
                    dimension=dimension,
                    question=question,
                    starting_level=starting,
                    target_level=level,
                    target_round=later,
                    target_date=None if later else today + timedelta(days=365),
                )
                _audit(
                    plan,
                    by=by,
                    action=PlanEventAction.TARGET_ADDED,
                    subject=_subject(target),
                    after=_target_snapshot(target),
                    note=NOTE_CARRIED_TARGET,
                )
            copy = Action.objects.create(
                target=target,
                plan=plan,
                description=action.description,
                owner=action.owner,
                owner_name=action.owner_name,
                due_on=new_due_on if action.due_on < today and new_due_on else action.due_on,
                status=action.status,
                blocked_reason=action.blocked_reason,
                carried_from=action,
            )
            carried.append(copy)
        _audit(
            plan,
            by=by,
            action=PlanEventAction.CARRIED,
            subject=previous.assessment.round.name,
            after={"actions": [a.description for a in carried]},
        )
    return carried


def _subjects_in(
    assessment: Assessment, targets: Iterable[Target]
) -> dict[int, tuple[Dimension, Question | None]]:
    """{old target id: (dimension, question) in the assessment's framework}, for the targets
    whose barrier or question carries on into it."""
    framework_id = assessment.round.framework_id
    successors = _successors(framework_id, targets)
    dimensions = {d.pk: d for d in Dimension.objects.filter(framework_id=framework_id)}
    questions = {q.pk: q for q in Question.objects.filter(framework_id=framework_id)}
    return {
        target_id: (dimensions[dimension_id], questions[question_id] if question_id else None)
        for target_id, (dimension_id, question_id) in successors.items()
        if dimension_id in dimensions and (question_id is None or question_id in questions)
    }


def actions_release_owner(*, user_id: int, council: Council) -> int:
    """Someone left the council: their open actions in its plans that can still change keep
    their name, as a role outside the portal, so the lead sees who to replace. Audited."""
    actions = list(
        Action.objects.open()
        .filter(owner_id=user_id, plan__council=council, plan__checked_against__isnull=True)
        .select_related("owner", "plan", "target__dimension", "target__question")
    )
    for action in actions:
        before = _action_snapshot(action)
        name = action.owner.get_full_name() if action.owner else "Someone"
        action.owner = None
        action.owner_name = f"{name}{LEFT_SUFFIX}"[:120]
        action.version += 1
        action.save(update_fields=["owner", "owner_name", "version"])
        _audit(
            action.plan,
            by=None,
            action=PlanEventAction.ACTION_CHANGED,
            subject=_subject(action.target),
            before=before,
            after=_action_snapshot(action),
            note=NOTE_OWNER_LEFT,
        )
    return len(actions)


def person_forget(*, user: User) -> None:
    """Someone is being erased: actions they own, or that kept their name when they left, name
    "a former team member"; the plans' history and sharing offers lose their name and email.
    Inside the erasing transaction; the actions' own history is kept, without them."""
    name, email = user.get_full_name(), user.email
    left = f"{name}{LEFT_SUFFIX}"
    Action.objects.filter(owner=user).update(owner=None, owner_name=FORMER_MEMBER)
    Action.objects.filter(owner_name=left).update(owner_name=LEFT_THE_TEAM)
    councils = list(user.council_memberships.values_list("council_id", flat=True))
    offers = SharingOffer.objects.filter(
        Q(contact_email__iexact=email) | Q(council_id__in=councils, contact_name=name)
    )
    offers.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    offers.update(contact_name=FORMER_MEMBER, contact_email="")
    for event in PlanEvent.objects.filter(council_id__in=councils).only("before", "after", "note"):
        if changed := scrubbed(event, ("before", "after", "note"), (email, name), FORMER_MEMBER):
            PlanEvent.objects.filter(pk=event.pk).update(**changed)
