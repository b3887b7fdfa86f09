from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments import services
from assessments.models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    AssessmentRound,
    AssessmentStatus,
    AuditAction,
    AuditEvent,
    Dimension,
    DimensionScore,
    ResponseStatus,
    RoundStatus,
)
from assessments.services import AgreedInput, AnswerInput, AssessmentError, StaleAgreedAnswers
from assessments.tests.factories import (
    AssessmentRoundFactory,
    dims,
    level,
    questions,
    small_framework,
)
from notifications.models import OutboxEmail

NA = AnswerInput(status=AnswerStatus.NOT_APPLICABLE)
DK = AnswerInput(status=AnswerStatus.DONT_KNOW)


def agree(assessment, question, by, value, *, expected_version=0, rationale=""):
    [saved] = services.agreed_answers_save(
        assessment=assessment,
        answers={question.pk: AgreedInput(value.status, value.level, rationale, expected_version)},
        by=by,
    )
    return saved


def answer_all(assessment, user, value: AnswerInput):
    response = services.response_for(assessment=assessment, user=user)
    for dimension in dims(assessment):
        services.answers_save(
            response=response,
            dimension=dimension,
            answers={q.pk: value for q in questions(dimension)},
        )
    return response


def agree_all(assessment, by, levels_by_question=None):
    for dimension in dims(assessment):
        for question in questions(dimension):
            value = (levels_by_question or {}).get(question.code, level(3))
            agree(assessment, question, by, value, rationale="Agreed at the workshop")


# Rounds


def test_staff_open_and_close_rounds(personas, db):
    round_ = AssessmentRoundFactory(status=RoundStatus.UPCOMING)
    with pytest.raises(PermissionDenied):
        services.round_open(round=round_, by=personas.lead_a)
    services.round_open(round=round_, by=personas.staff)
    assert round_.status == RoundStatus.OPEN
    with pytest.raises(AssessmentError):
        services.round_open(round=round_, by=personas.staff)
    services.round_close(round=round_, by=personas.staff)
    assert round_.status == RoundStatus.CLOSED


def test_a_round_needs_a_published_framework(personas, db):
    round_ = AssessmentRoundFactory(
        status=RoundStatus.UPCOMING, framework=small_framework(status="draft")
    )
    with pytest.raises(AssessmentError, match="published"):
        services.round_open(round=round_, by=personas.staff)


# Starting


def test_start_is_idempotent_and_audited(personas, round_):
    first = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.officer_a
    )
    again = services.assessment_start(council=personas.council_a, round=round_, by=personas.lead_a)
    assert first == again
    assert AuditEvent.objects.filter(assessment=first, action=AuditAction.STARTED).count() == 1


@pytest.mark.parametrize("who", ["officer_b", "analyst", "staff"])
def test_only_members_start_their_councils_assessment(personas, round_, who):
    with pytest.raises(PermissionDenied):
        services.assessment_start(
            council=personas.council_a, round=round_, by=getattr(personas, who)
        )


def test_a_closed_round_cannot_be_started(personas, db):
    round_ = AssessmentRoundFactory(status=RoundStatus.CLOSED)
    with pytest.raises(AssessmentError, match="not open"):
        services.assessment_start(council=personas.council_a, round=round_, by=personas.lead_a)


# Officers' answers


def test_executives_and_outsiders_do_not_answer(personas, assessment):
    for who in (personas.executive_a, personas.officer_b, personas.analyst):
        with pytest.raises(PermissionDenied):
            services.response_for(assessment=assessment, user=who)


def test_partial_saves_keep_earlier_answers(personas, assessment):
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    dimension = dims(assessment)[0]
    q1, q2, q3 = questions(dimension)
    services.answers_save(
        response=response,
        dimension=dimension,
        answers={q1.pk: level(2, confidence="high", evidence_note=" Minutes of May board ")},
    )
    services.answers_save(response=response, dimension=dimension, answers={q2.pk: NA})
    saved = {a.question_id: a for a in response.answers.all()}
    assert saved[q1.pk].level == 2
    assert saved[q1.pk].evidence_note == "Minutes of May board"
    assert saved[q2.pk].status == AnswerStatus.NOT_APPLICABLE
    assert saved[q2.pk].level is None
    assert q3.pk not in saved
    # Changing an answer to "don't know" clears its level.
    services.answers_save(response=response, dimension=dimension, answers={q1.pk: DK})
    assert Answer.objects.get(response=response, question=q1).level is None


@pytest.mark.parametrize(
    "bad",
    [
        AnswerInput(status=AnswerStatus.ANSWERED, level=9),
        AnswerInput(status=AnswerStatus.ANSWERED, level=None),
        AnswerInput(status="maybe"),
    ],
)
def test_a_bad_answer_saves_nothing_from_the_page(personas, assessment, bad):
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    dimension = dims(assessment)[0]
    q1, q2, _ = questions(dimension)
    with pytest.raises(AssessmentError):
        services.answers_save(
            response=response, dimension=dimension, answers={q1.pk: level(3), q2.pk: bad}
        )
    assert not Answer.objects.exists()


def test_questions_from_another_page_or_framework_are_refused(personas, assessment):
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    first, second = dims(assessment)
    with pytest.raises(AssessmentError, match="not on this page"):
        services.answers_save(
            response=response, dimension=first, answers={questions(second)[0].pk: level(3)}
        )
    other = small_framework()
    foreign = Dimension.objects.filter(framework=other).first()
    with pytest.raises(AssessmentError, match="not in this assessment"):
        services.answers_save(
            response=response, dimension=foreign, answers={questions(foreign)[0].pk: level(3)}
        )
    assert not Answer.objects.exists()


def test_submitting_a_response_needs_every_question(personas, assessment):
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    services.answers_save(
        response=response,
        dimension=dims(assessment)[0],
        answers={q.pk: level(3) for q in questions(dims(assessment)[0])},
    )
    with pytest.raises(AssessmentError, match="3 still need an answer"):
        services.response_submit(response=response)
    response = answer_all(assessment, personas.officer_a, DK)
    services.response_submit(response=response)
    assert response.status == ResponseStatus.SUBMITTED
    with pytest.raises(AssessmentError, match="already submitted"):
        services.response_submit(response=response)
    with pytest.raises(AssessmentError, match="already submitted"):
        services.answers_save(
            response=response,
            dimension=dims(assessment)[0],
            answers={questions(dims(assessment)[0])[0].pk: level(1)},
        )


def test_closed_round_is_read_only(personas, assessment):
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    AssessmentRound.objects.filter(pk=assessment.round_id).update(status=RoundStatus.CLOSED)
    assessment.round.refresh_from_db()
    dimension = dims(assessment)[0]
    with pytest.raises(AssessmentError, match="closed"):
        services.answers_save(
            response=response, dimension=dimension, answers={questions(dimension)[0].pk: level(2)}
        )


# The lead


def test_lead_assigns_dimensions_to_officers(personas, assessment):
    dimension = dims(assessment)[0]
    services.assignments_set(
        assessment=assessment, dimension=dimension, users=[personas.officer_a], by=personas.lead_a
    )
    assert [a.user for a in assessment.assignments.all()] == [personas.officer_a]
    event = AuditEvent.objects.get(action=AuditAction.ASSIGNED)
    assert event.after == [personas.officer_a.email]
    with pytest.raises(AssessmentError, match="officers of your council"):
        services.assignments_set(
            assessment=assessment,
            dimension=dimension,
            users=[personas.officer_b],
            by=personas.lead_a,
        )
    with pytest.raises(PermissionDenied):
        services.assignments_set(
            assessment=assessment, dimension=dimension, users=[], by=personas.officer_a
        )


def test_agreed_answers_are_versioned_and_audited(personas, assessment):
    question = questions(dims(assessment)[0])[0]
    first = agree(assessment, question, personas.lead_a, level(2), rationale="Most said 2")
    assert first.version == 1
    # Saving the same answer again changes nothing and is not audited.
    assert (
        agree(
            assessment,
            question,
            personas.lead_a,
            level(2),
            expected_version=1,
            rationale="Most said 2",
        ).version
        == 1
    )
    second = agree(
        assessment,
        question,
        personas.lead_a,
        level(3),
        expected_version=1,
        rationale="The board paper shows more",
    )
    assert second.version == 2
    events = AuditEvent.objects.filter(action=AuditAction.AGREED_ANSWER)
    assert events.count() == 2
    event = events.first()
    assert event.subject == question.code
    assert event.before["level"] == 2
    assert event.after == {
        "status": "answered",
        "level": 3,
        "rationale": "The board paper shows more",
    }


def test_a_stale_agreed_answer_is_refused_with_the_current_value(personas, assessment):
    q1, q2, _ = questions(dims(assessment)[0])
    lead = personas.lead_a
    agree(assessment, q1, lead, level(2))
    # Two leads loaded version 1; the first saves, the second must not overwrite.
    agree(assessment, q1, lead, level(4), expected_version=1)
    with pytest.raises(StaleAgreedAnswers) as refused:
        services.agreed_answers_save(
            assessment=assessment,
            answers={
                q2.pk: AgreedInput("answered", 3, "", 0),
                q1.pk: AgreedInput("answered", 1, "", 1),
            },
            by=lead,
        )
    [conflict] = refused.value.conflicts
    assert (conflict.question, conflict.current.level, conflict.attempted.level) == (q1, 4, 1)
    assert AgreedAnswer.objects.get(question=q1).level == 4
    # All or nothing: the answer to q2, which did not clash, was not saved either.
    assert not AgreedAnswer.objects.filter(question=q2).exists()
    # Creating when someone already created is refused the same way.
    with pytest.raises(StaleAgreedAnswers):
        agree(assessment, q1, lead, level(5), expected_version=0)


def test_agreed_answers_are_for_the_lead_and_this_framework(personas, assessment):
    question = questions(dims(assessment)[0])[0]
    with pytest.raises(PermissionDenied):
        agree(assessment, question, personas.officer_a, level(3))
    foreign = questions(Dimension.objects.filter(framework=small_framework()).first())[0]
    with pytest.raises(AssessmentError, match="not part of this assessment"):
        agree(assessment, foreign, personas.lead_a, level(3))
    with pytest.raises(AssessmentError, match="between 1 and 5"):
        agree(assessment, question, personas.lead_a, AnswerInput("answered", 9))
    assert not AgreedAnswer.objects.exists()


def test_submit_needs_every_agreed_answer_and_happens_once(personas, assessment):
    with pytest.raises(AssessmentError, match="6 to go"):
        services.assessment_submit(assessment=assessment, by=personas.lead_a)
    agree_all(assessment, personas.lead_a)
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=assessment, by=personas.officer_a)
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == personas.lead_a
    with pytest.raises(AssessmentError, match="already been submitted"):
        services.assessment_submit(assessment=assessment, by=personas.lead_a)
    question = questions(dims(assessment)[0])[0]
    with pytest.raises(AssessmentError, match="locked"):
        agree(assessment, question, personas.lead_a, level(1), expected_version=1)


# The chief executive and staff


def test_executive_returns_with_a_comment(personas, assessment):
    agree_all(assessment, personas.lead_a)
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    with pytest.raises(AssessmentError, match="Say what"):
        services.assessment_return(assessment=assessment, by=personas.executive_a, comment="  ")
    with pytest.raises(PermissionDenied):
        services.assessment_return(assessment=assessment, by=personas.lead_a, comment="No")
    services.assessment_return(
        assessment=assessment, by=personas.executive_a, comment="Check the cyber answers"
    )
    assert assessment.status == AssessmentStatus.IN_PROGRESS
    assert assessment.return_comment == "Check the cyber answers"
    event = AuditEvent.objects.get(action=AuditAction.RETURNED)
    assert event.note == "Check the cyber answers"


def test_sign_off_freezes_scores_and_queues_benchmarks_after_commit(
    personas, assessment, django_capture_on_commit_callbacks
):
    first, second = dims(assessment)
    # Two officers disagree on DIM1-01 (levels 1 and 4); both submit.
    officer_two = personas.lead_a
    one = answer_all(assessment, personas.officer_a, level(2))
    services.answers_save(response=one, dimension=first, answers={questions(first)[0].pk: level(1)})
    two = answer_all(assessment, officer_two, level(2))
    services.answers_save(response=two, dimension=first, answers={questions(first)[0].pk: level(4)})
    services.response_submit(response=one)
    services.response_submit(response=two)
    agree_all(
        assessment,
        personas.lead_a,
        {
            "DIM1-01": level(2),
            "DIM1-02": level(3),
            "DIM1-03": NA,
            "DIM2-01": DK,
            "DIM2-02": NA,
            "DIM2-03": NA,
        },
    )
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    with pytest.raises(PermissionDenied):
        services.assessment_sign_off(assessment=assessment, by=personas.lead_a)
    with django_capture_on_commit_callbacks() as callbacks:
        scores = services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    # The rebuild, and an email to each of the council's three people, are queued for after
    # the commit, never inside the sign-off.
    assert len(callbacks) == 1 + 3
    assert OutboxEmail.objects.filter(key__startswith="signed-off:").count() == 3
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    by_code = {s.dimension.code: s for s in scores}
    assert by_code["DIM1"].score == Decimal("2.5")
    assert by_code["DIM1"].band == 3
    assert by_code["DIM1"].coverage == Decimal("1.000")
    assert by_code["DIM1"].respondents == 2
    assert by_code["DIM1"].spread == Decimal("1.00")  # spreads 3, 0, 0 over three questions
    assert by_code["DIM2"].score is None
    assert by_code["DIM2"].coverage == Decimal("0.000")
    assert DimensionScore.objects.count() == 2
    # Signed off means frozen.
    with pytest.raises(AssessmentError, match="signed off"):
        agree(assessment, questions(first)[0], personas.lead_a, level(5), expected_version=1)
    with pytest.raises(AssessmentError, match="signed off"):
        services.assessment_sign_off(assessment=assessment, by=personas.executive_a)


def test_freezing_again_gives_the_same_rows(personas, assessment):
    agree_all(assessment, personas.lead_a)
    first = [
        (s.dimension_id, s.score, s.coverage) for s in services.scores_freeze(assessment=assessment)
    ]
    second = [
        (s.dimension_id, s.score, s.coverage) for s in services.scores_freeze(assessment=assessment)
    ]
    assert first == second
    assert DimensionScore.objects.count() == 2


def test_staff_reopen_with_a_reason(personas, assessment, django_capture_on_commit_callbacks):
    agree_all(assessment, personas.lead_a)
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    with pytest.raises(PermissionDenied):
        services.assessment_reopen(assessment=assessment, by=personas.lead_a, reason="Typo")
    with pytest.raises(AssessmentError, match="reason"):
        services.assessment_reopen(assessment=assessment, by=personas.staff, reason="")
    with django_capture_on_commit_callbacks() as callbacks:
        services.assessment_reopen(
            assessment=assessment, by=personas.staff, reason="The council asked to fix a typo"
        )
    assert len(callbacks) == 1
    assert assessment.status == AssessmentStatus.IN_PROGRESS
    assert not DimensionScore.objects.exists()
    actions = list(AuditEvent.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions[0] == AuditAction.STARTED
    assert actions[-3:] == [AuditAction.SUBMITTED, AuditAction.SIGNED_OFF, AuditAction.REOPENED]
