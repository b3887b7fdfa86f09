"""Every change to an assessment, with its rules.

Status changes are conditional updates (`filter(status=...).update(...)` and a row count), so
two people pressing a button at once cannot both succeed. Each change is written to the audit
trail in the same transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import CouncilMembership, CouncilRole, User
from core.formatting import date_text
from core.queue import enqueue_after_commit
from core.translation import in_language
from councils.models import Council

from . import notices, scoring, signals
from .models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    AuditAction,
    AuditEvent,
    Dimension,
    DimensionAssignment,
    DimensionScore,
    Question,
    Response,
    ResponseStatus,
    RoundStatus,
)

logger = logging.getLogger(__name__)

# Sent by name: benchmarks is built on assessments, so assessments never imports it.
UPDATE_BENCHMARKS = "benchmarks.tasks.update_benchmarks_for_council"
MAKE_RELEASE = "benchmarks.tasks.make_release"

# Officers answer; leads may answer too. Chief executives sign off but do not answer.
ANSWERING_ROLES = frozenset({CouncilRole.OFFICER, CouncilRole.LEAD})


class AssessmentError(Exception):
    """A rule stops this change. The message is written for the person who tried."""


@dataclass(frozen=True)
class AnswerInput:
    status: str
    level: int | None = None
    confidence: str = ""
    evidence_note: str = ""
    evidence_url: str = ""


@dataclass(frozen=True)
class AgreedInput:
    status: str
    level: int | None
    rationale: str
    expected_version: int


@dataclass(frozen=True)
class Conflict:
    question: Question
    current: AgreedAnswer | None
    attempted: AgreedInput


class StaleAgreedAnswers(AssessmentError):
    """Someone else saved some of these agreed answers after the lead loaded them."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(
            ngettext(
                "Someone else changed this answer while you were editing. Check their answer "
                "before saving yours.",
                "Someone else changed %(count)s of these answers while you were editing. Check "
                "their answer before saving yours.",
                len(conflicts),
            )
            % {"count": len(conflicts)}
        )
        self.conflicts = conflicts


# Helpers ------------------------------------------------------------------------------------


def _role(user: User, council: Council) -> str | None:
    membership = CouncilMembership.objects.for_user(user).filter(council=council).first()
    return membership.role if membership else None


def _require_role(user: User, council: Council, roles: Iterable[str]) -> None:
    if _role(user, council) not in set(roles):
        raise PermissionDenied("Your role at this council does not allow this.")


def _require_staff(user: User) -> None:
    if not (user.is_active and user.is_staff):
        raise PermissionDenied("Only platform administrators can do this.")


def _require_editable(assessment: Assessment) -> None:
    if assessment.round.status != RoundStatus.OPEN:
        raise AssessmentError(gettext("This round is closed, so answers can no longer change."))
    if assessment.is_signed_off:
        raise AssessmentError(
            gettext("This assessment has been signed off, so it can no longer change.")
        )


def _audit(
    assessment: Assessment,
    actor: User | None,
    action: str,
    *,
    subject: str = "",
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        assessment=assessment,
        actor=actor,
        action=action,
        subject=subject,
        before=before,
        after=after,
        note=note,
    )


def _transition(
    assessment: Assessment,
    *,
    by: User,
    action: str,
    source: str,
    target: str,
    refuse: str,
    note: str = "",
    **fields: Any,
) -> AuditEvent:
    """Move the assessment from one status to the next and record it in the audit trail,
    or refuse if it has moved already. Call inside a transaction."""
    updated = Assessment.objects.filter(pk=assessment.pk, status=source).update(
        status=target, **fields
    )
    if updated != 1:
        raise AssessmentError(refuse)
    assessment.refresh_from_db()
    return _audit(assessment, by, action, before=source, after=target, note=note)


def _validate_answer(status: str, level: int | None) -> None:
    if status not in AnswerStatus.values:
        raise AssessmentError(gettext("Choose a level, 'Not applicable' or 'Don't know'."))
    if status == AnswerStatus.ANSWERED and (level is None or not 1 <= level <= 5):
        raise AssessmentError(gettext("A level must be between 1 and 5."))


# Rounds ---------------------------------------------------------------------------------------


# A round opened more than this many days before its opening date needs confirming.
EARLY_OPENING_DAYS = 31


class NeedsConfirmation(AssessmentError):
    """Opening this round needs staff to confirm, for the reasons given."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def round_open_warnings(round: AssessmentRound, *, today: date) -> list[str]:
    """Why opening this round now deserves a second look: another round is open, or it is
    more than a month before its opening date."""
    reasons = []
    others = [
        in_language(name, name_cy)
        for name, name_cy in AssessmentRound.objects.filter(status=RoundStatus.OPEN)
        .exclude(pk=round.pk)
        .values_list("name_en", "name_cy")
    ]
    if others:
        reasons.append(
            gettext("Another round is open (%(rounds)s): councils would have two to answer.")
            % {"rounds": ", ".join(others)}
        )
    if (round.opens_on - today).days > EARLY_OPENING_DAYS:
        reasons.append(
            gettext("This round is due to open on %(date)s, more than a month from now.")
            % {"date": date_text(round.opens_on)}
        )
    return reasons


def _round_open(round: AssessmentRound) -> None:
    if not round.framework.is_published:
        raise AssessmentError(gettext("A round can only use a published framework."))
    with transaction.atomic():
        if (
            AssessmentRound.objects.filter(pk=round.pk, status=RoundStatus.UPCOMING).update(
                status=RoundStatus.OPEN
            )
            != 1
        ):
            raise AssessmentError(gettext("Only a round that has not opened yet can be opened."))
        round.refresh_from_db()
        # Stored with the opening, so every council's leads hear of it even if a job is lost.
        notices.round_opened(round)


def _round_close(round: AssessmentRound) -> None:
    if (
        AssessmentRound.objects.filter(pk=round.pk, status=RoundStatus.OPEN).update(
            status=RoundStatus.CLOSED
        )
        != 1
    ):
        raise AssessmentError(gettext("Only an open round can be closed."))
    round.refresh_from_db()
    # The round's final figures are released at once, not at the next daily release.
    enqueue_after_commit(MAKE_RELEASE, round.pk, "round_closed")


def round_open(*, round: AssessmentRound, by: User, confirmed: bool = False) -> None:
    """Staff open a round now. Opening while another round is open, or more than a month
    early, needs `confirmed` (NeedsConfirmation says why)."""
    _require_staff(by)
    reasons = round_open_warnings(round, today=timezone.localdate())
    if reasons and not confirmed:
        raise NeedsConfirmation(reasons)
    _round_open(round)


def round_close(*, round: AssessmentRound, by: User) -> None:
    _require_staff(by)
    _round_close(round)


@dataclass(frozen=True)
class DateChanges:
    opened: list[AssessmentRound]
    closed: list[AssessmentRound]


def rounds_apply_dates(*, today: date) -> DateChanges:
    """Open each round on its opening date and close it the day after its closing date (the
    closing date is the last day to answer). Run daily by beat; running it twice, or late,
    does the same as once. A round staff opened early or closed by hand is left as it is."""
    opened, closed = [], []
    for round_ in AssessmentRound.objects.filter(
        status=RoundStatus.OPEN, closes_on__lt=today
    ).select_related("framework"):
        try:
            _round_close(round_)
        except AssessmentError:
            continue  # closed by someone else meanwhile
        closed.append(round_)
    for round_ in AssessmentRound.objects.filter(
        status=RoundStatus.UPCOMING, opens_on__lte=today, closes_on__gte=today
    ).select_related("framework"):
        try:
            _round_open(round_)
        except AssessmentError:
            # Its framework is not published: staff see it still "not open yet" on the page.
            logger.warning("Round %s could not open on its date", round_.slug)
            continue
        opened.append(round_)
    return DateChanges(opened=opened, closed=closed)


def round_save(*, round: AssessmentRound, by: User) -> AssessmentRound:
    """Create or change a round (its name, dates and, before it opens, framework)."""
    _require_staff(by)
    if round.closes_on < round.opens_on:
        raise AssessmentError(gettext("The closing date must be on or after the opening date."))
    if round.pk and round.status != RoundStatus.UPCOMING:
        stored = AssessmentRound.objects.get(pk=round.pk)
        if stored.framework_id != round.framework_id:
            raise AssessmentError(gettext("The framework cannot change once a round has opened."))
    round.full_clean()
    round.save()
    return round


def round_delete(*, round: AssessmentRound, by: User) -> None:
    """Delete a round no council has started. A round with assessments, and so any with
    signed-off results, is kept: its answers and scores are the councils' record."""
    _require_staff(by)
    with transaction.atomic():
        started = Assessment.objects.filter(round=round).count()
        if started:
            raise AssessmentError(
                ngettext(
                    "%(count)s council has started this round, so it cannot be deleted.",
                    "%(count)s councils have started this round, so it cannot be deleted.",
                    started,
                )
                % {"count": started}
            )
        AssessmentRound.objects.filter(pk=round.pk).delete()


# Starting and answering -------------------------------------------------------------------


def assessment_start(*, council: Council, round: AssessmentRound, by: User) -> Assessment:
    """The council's assessment for the round, created the first time a member opens it."""
    if _role(by, council) is None:
        raise PermissionDenied("You are not a member of this council.")
    existing = Assessment.objects.filter(council=council, round=round).first()
    if existing:
        return existing
    if round.status != RoundStatus.OPEN:
        raise AssessmentError(gettext("This round is not open."))
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(council=council, round=round)
            _audit(assessment, by, AuditAction.STARTED)
    except IntegrityError:
        # Another member started it at the same moment.
        return Assessment.objects.get(council=council, round=round)
    return assessment


def response_for(*, assessment: Assessment, user: User) -> Response:
    """This officer's response, created on first use."""
    _require_role(user, assessment.council, ANSWERING_ROLES)
    response, _ = Response.objects.get_or_create(assessment=assessment, respondent=user)
    response.assessment = assessment
    return response


def answers_save(
    *, response: Response, dimension: Dimension, answers: Mapping[int, AnswerInput]
) -> int:
    """Save the officer's answers to some or all questions of one dimension.

    Only the questions given are written, so a half-filled page keeps everything sent.
    Returns the number of answers written. Nothing is written if any answer is refused.
    """
    assessment = response.assessment
    _require_editable(assessment)
    if response.is_submitted:
        raise AssessmentError(gettext("You have already submitted your answers."))
    if dimension.framework_id != assessment.round.framework_id:
        raise AssessmentError(gettext("That barrier is not in this assessment."))
    questions = {q.pk: q for q in dimension.questions.all()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise AssessmentError(gettext("Some answers were for questions that are not on this page."))
    for value in answers.values():
        _validate_answer(value.status, value.level)
    now = timezone.now()
    with transaction.atomic():
        # One statement whatever the number of answers: insert, or update the existing row.
        Answer.objects.bulk_create(
            [
                Answer(
                    response=response,
                    question_id=question_id,
                    status=value.status,
                    level=value.level if value.status == AnswerStatus.ANSWERED else None,
                    confidence=value.confidence,
                    evidence_note=value.evidence_note.strip(),
                    evidence_url=value.evidence_url.strip(),
                    updated_at=now,
                )
                for question_id, value in answers.items()
            ],
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=[
                "status",
                "level",
                "confidence",
                "evidence_note",
                "evidence_url",
                "updated_at",
            ],
        )
        Response.objects.filter(pk=response.pk).update(updated_at=now)
    return len(answers)


def response_submit(*, response: Response) -> None:
    """Send the person's answers to the lead. Every question of the parts they were assigned
    needs an answer first, or of every part if they were assigned none."""
    assessment = response.assessment
    _require_editable(assessment)
    parts = DimensionAssignment.objects.parts_of(assessment, response.respondent_id)
    questions = Question.objects.for_framework(assessment.round.framework_id)
    if parts:
        questions = questions.filter(dimension_id__in=parts)
    answered = set(response.answers.values_list("question_id", flat=True))
    missing = [
        (question.dimension.name, question.dimension.order)
        for question in questions.select_related("dimension")
        if question.pk not in answered
    ]
    if missing and parts:
        counts = Counter(missing)
        left = ", ".join(
            gettext("%(count)s in %(barrier)s") % {"count": n, "barrier": name}
            for (name, _order), n in sorted(counts.items(), key=lambda i: i[0][1])
        )
        raise AssessmentError(
            ngettext(
                "Answer every question in the barriers assigned to you before you submit: "
                "%(left)s still needs an answer. You can choose 'Don't know'.",
                "Answer every question in the barriers assigned to you before you submit: "
                "%(left)s still need an answer. You can choose 'Don't know'.",
                len(missing),
            )
            % {"left": left}
        )
    if missing:
        raise AssessmentError(
            ngettext(
                "Answer every question before you submit: %(count)s still need an answer. "
                "You can choose 'Don't know'.",
                "Answer every question before you submit: %(count)s still need an answer. "
                "You can choose 'Don't know'.",
                len(missing),
            )
            % {"count": len(missing)}
        )
    if (
        Response.objects.filter(pk=response.pk, status=ResponseStatus.IN_PROGRESS).update(
            status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
        )
        != 1
    ):
        raise AssessmentError(gettext("You have already submitted your answers."))
    response.refresh_from_db()


def response_submit_for(*, assessment: Assessment, user: User) -> Response:
    """Submit this person's answers. A refused submission writes nothing, not even the empty
    response of someone who has answered nothing yet."""
    with transaction.atomic():
        response = response_for(assessment=assessment, user=user)
        response_submit(response=response)
        notices.response_sent(response)
    return response


# The lead -------------------------------------------------------------------------------------


class StaleAssignments(AssessmentError):
    """Someone else changed who answers which part since the page was loaded."""


def assignments_save(
    *,
    assessment: Assessment,
    parts: Mapping[Dimension, Iterable[User]],
    by: User,
    expected_version: str | None = None,
) -> dict[User, list[Dimension]]:
    """Say who answers each of these parts (replacing earlier assignments of those parts), in
    one transaction. `expected_version` is `DimensionAssignment.objects.version_of` as the
    lead's page showed it: if assignments changed since, nothing is saved (StaleAssignments).
    Returns the parts each person was newly given, and emails them."""
    _require_role(by, assessment.council, [CouncilRole.LEAD])
    _require_editable(assessment)
    if any(d.framework_id != assessment.round.framework_id for d in parts):
        raise AssessmentError(gettext("That barrier is not in this assessment."))
    chosen = {dimension: list(users) for dimension, users in parts.items()}
    people = {user.pk for users in chosen.values() for user in users}
    members = set(
        CouncilMembership.objects.filter(
            council=assessment.council, role__in=ANSWERING_ROLES, user__in=people
        ).values_list("user_id", flat=True)
    )
    if people - members:
        raise AssessmentError(gettext("You can only assign officers of your council."))
    newly: dict[User, list[Dimension]] = {}
    with transaction.atomic():
        # Locked, so two leads saving at once cannot both pass the version check.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        if (
            expected_version is not None
            and DimensionAssignment.objects.version_of(assessment) != expected_version
        ):
            raise StaleAssignments(
                gettext(
                    "Someone else changed who answers which barrier while you had this page "
                    "open. The page now shows their choices: make yours again and save."
                )
            )
        current: dict[int, set[int]] = {}
        for dimension_id, user_id in DimensionAssignment.objects.filter(
            assessment=assessment
        ).values_list("dimension_id", "user_id"):
            current.setdefault(dimension_id, set()).add(user_id)
        everyone = people | {pk for ids in current.values() for pk in ids}
        emails = dict(User.objects.filter(pk__in=everyone).values_list("pk", "email"))
        for dimension, users in sorted(chosen.items(), key=lambda item: item[0].order):
            before = current.get(dimension.pk, set())
            after = {user.pk for user in users}
            if before == after:
                continue
            DimensionAssignment.objects.filter(
                assessment=assessment, dimension=dimension, user_id__in=before - after
            ).delete()
            DimensionAssignment.objects.bulk_create(
                DimensionAssignment(assessment=assessment, dimension=dimension, user=user)
                for user in users
                if user.pk not in before
            )
            for user in users:
                if user.pk not in before:
                    newly.setdefault(user, []).append(dimension)
            _audit(
                assessment,
                by,
                AuditAction.ASSIGNED,
                subject=dimension.code,
                before=sorted(emails[pk] for pk in before),
                after=sorted(emails[pk] for pk in after),
            )
        notices.parts_assigned(assessment, newly)
    return newly


def assignments_set(
    *, assessment: Assessment, dimension: Dimension, users: Iterable[User], by: User
) -> None:
    """Say who answers one part (replacing its earlier assignments)."""
    assignments_save(assessment=assessment, parts={dimension: users}, by=by)


def _agreed_value(answer: AgreedAnswer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"status": answer.status, "level": answer.level, "rationale": answer.rationale}


def agreed_answers_save(
    *, assessment: Assessment, answers: Mapping[int, AgreedInput], by: User
) -> list[AgreedAnswer]:
    """Set the council's answers to some questions, by question id, all or nothing.

    Each answer names the version the lead saw (0 if there was no agreed answer yet). If
    anyone saved one of them in between, StaleAgreedAnswers lists each clash with both
    values and nothing is written, so no save silently overwrites another. An answer
    that is the same as the one stored is left alone.
    """
    _require_role(by, assessment.council, [CouncilRole.LEAD])
    _require_editable(assessment)
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise AssessmentError(
            gettext("This assessment is waiting for sign-off, so answers are locked.")
        )
    in_framework = Question.objects.for_framework(assessment.round.framework_id)
    questions = {q.pk: q for q in in_framework.filter(pk__in=answers)}
    if set(answers) - set(questions):
        raise AssessmentError(gettext("That question is not part of this assessment's framework."))
    for value in answers.values():
        _validate_answer(value.status, value.level)
    saved = []
    with transaction.atomic():
        current = {
            a.question_id: a
            for a in AgreedAnswer.objects.select_for_update().filter(
                assessment=assessment, question_id__in=answers
            )
        }
        conflicts = [
            Conflict(questions[qid], current.get(qid), value)
            for qid, value in answers.items()
            if (current[qid].version if qid in current else 0) != value.expected_version
        ]
        if conflicts:
            raise StaleAgreedAnswers(conflicts)
        for qid, value in answers.items():
            values = {
                "status": value.status,
                "level": value.level if value.status == AnswerStatus.ANSWERED else None,
                "rationale": value.rationale.strip(),
            }
            existing = current.get(qid)
            before = _agreed_value(existing)
            if existing is not None and before == values:
                saved.append(existing)
                continue
            if existing is None:
                try:
                    with transaction.atomic():
                        agreed = AgreedAnswer.objects.create(
                            assessment=assessment, question_id=qid, updated_by=by, **values
                        )
                except IntegrityError as error:
                    # Created by someone else since we looked.
                    theirs = AgreedAnswer.objects.get(assessment=assessment, question_id=qid)
                    raise StaleAgreedAnswers([Conflict(questions[qid], theirs, value)]) from error
            else:
                AgreedAnswer.objects.filter(pk=existing.pk).update(
                    version=F("version") + 1, updated_by=by, updated_at=timezone.now(), **values
                )
                agreed = AgreedAnswer.objects.get(pk=existing.pk)
            _audit(
                assessment,
                by,
                AuditAction.AGREED_ANSWER,
                subject=questions[qid].code,
                before=before,
                after=_agreed_value(agreed),
            )
            saved.append(agreed)
    return saved


def assessment_submit(*, assessment: Assessment, by: User) -> None:
    """The lead sends the agreed answers to the chief executive for sign-off."""
    _require_role(by, assessment.council, [CouncilRole.LEAD])
    _require_editable(assessment)
    total = Question.objects.for_framework(assessment.round.framework_id).count()
    agreed = assessment.agreed_answers.count()
    if agreed < total:
        raise AssessmentError(
            gettext("Agree an answer to every question before you submit: %(count)s to go.")
            % {"count": total - agreed}
        )
    with transaction.atomic():
        event = _transition(
            assessment,
            by=by,
            action=AuditAction.SUBMITTED,
            source=AssessmentStatus.IN_PROGRESS,
            target=AssessmentStatus.SUBMITTED,
            refuse=gettext("This assessment has already been submitted."),
            submitted_at=timezone.now(),
            submitted_by=by,
        )
        notices.submitted(assessment, event)


# The chief executive and staff ----------------------------------------------------------------


def assessment_return(*, assessment: Assessment, by: User, comment: str) -> None:
    """The chief executive sends the assessment back to the lead with a comment."""
    _require_role(by, assessment.council, [CouncilRole.EXECUTIVE])
    _require_editable(assessment)
    comment = comment.strip()
    if not comment:
        raise AssessmentError(gettext("Say what the lead needs to change."))
    with transaction.atomic():
        event = _transition(
            assessment,
            by=by,
            action=AuditAction.RETURNED,
            source=AssessmentStatus.SUBMITTED,
            target=AssessmentStatus.IN_PROGRESS,
            refuse=gettext("Only an assessment waiting for sign-off can be returned."),
            note=comment,
            return_comment=comment,
        )
        notices.returned(assessment, event)


def assessment_sign_off(*, assessment: Assessment, by: User) -> list[DimensionScore]:
    """The chief executive approves: the assessment is frozen and its scores recorded.

    The council's benchmark update is queued only after the sign-off has committed, so a
    broker that is down can neither block nor lose a sign-off (the nightly reconcile catches up).
    """
    _require_role(by, assessment.council, [CouncilRole.EXECUTIVE])
    _require_editable(assessment)
    with transaction.atomic():
        event = _transition(
            assessment,
            by=by,
            action=AuditAction.SIGNED_OFF,
            source=AssessmentStatus.SUBMITTED,
            target=AssessmentStatus.SIGNED_OFF,
            refuse=gettext("Only an assessment waiting for sign-off can be signed off."),
            signed_off_at=timezone.now(),
            signed_off_by=by,
            return_comment="",
        )
        scores = scores_freeze(assessment=assessment)
        notices.signed_off(assessment, event)
        signals.assessment_signed_off.send(sender=Assessment, assessment=assessment)
        enqueue_after_commit(UPDATE_BENCHMARKS, assessment.round_id, assessment.council_id)
    return scores


def assessment_reopen(*, assessment: Assessment, by: User, reason: str) -> None:
    """Staff reopen a signed-off assessment; its frozen scores are withdrawn until sign-off."""
    _require_staff(by)
    reason = reason.strip()
    if not reason:
        raise AssessmentError(gettext("Give the reason for reopening."))
    with transaction.atomic():
        _transition(
            assessment,
            by=by,
            action=AuditAction.REOPENED,
            source=AssessmentStatus.SIGNED_OFF,
            target=AssessmentStatus.IN_PROGRESS,
            refuse=gettext("Only a signed-off assessment can be reopened."),
            note=reason,
            signed_off_at=None,
            signed_off_by=None,
        )
        DimensionScore.objects.filter(assessment=assessment).delete()
        signals.assessment_reopened.send(sender=Assessment, assessment=assessment)
        enqueue_after_commit(UPDATE_BENCHMARKS, assessment.round_id, assessment.council_id)


# Scores ---------------------------------------------------------------------------------------


def _as_level(status: str, level: int | None) -> int | None:
    return level if status == AnswerStatus.ANSWERED else None


def scores_freeze(*, assessment: Assessment) -> list[DimensionScore]:
    """Record one score row per dimension from the agreed answers. Safe to run again."""
    dimensions = list(
        Dimension.objects.for_framework(assessment.round.framework_id).prefetch_related("questions")
    )
    agreed = {a.question_id: a for a in assessment.agreed_answers.all()}
    officer_levels: dict[int, list[int | None]] = {}
    respondents_by_dimension: dict[int, set[int]] = {}
    for answer in Answer.objects.filter(
        response__assessment=assessment, response__status=ResponseStatus.SUBMITTED
    ).select_related("question"):
        officer_levels.setdefault(answer.question_id, []).append(
            _as_level(answer.status, answer.level)
        )
        respondents_by_dimension.setdefault(answer.question.dimension_id, set()).add(
            answer.response_id
        )
    rows = []
    for dimension in dimensions:
        questions = list(dimension.questions.all())
        levels = [
            _as_level(agreed[q.pk].status, agreed[q.pk].level) if q.pk in agreed else None
            for q in questions
        ]
        result = scoring.dimension_result(
            levels,
            not_applicable=sum(
                1
                for q in questions
                if q.pk in agreed and agreed[q.pk].status == AnswerStatus.NOT_APPLICABLE
            ),
        )
        rows.append(
            DimensionScore(
                assessment=assessment,
                dimension=dimension,
                council_id=assessment.council_id,
                round_id=assessment.round_id,
                score=result.score,
                band=result.band,
                coverage=result.coverage,
                respondents=len(respondents_by_dimension.get(dimension.pk, set())),
                spread=scoring.dimension_spread(officer_levels.get(q.pk, []) for q in questions),
            )
        )
    with transaction.atomic():
        DimensionScore.objects.filter(assessment=assessment).delete()
        return DimensionScore.objects.bulk_create(rows)


def overall_score(scores: Iterable[DimensionScore]) -> Decimal | None:
    return scoring.overall_score(score.score for score in scores)
