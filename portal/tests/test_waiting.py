"""Home starts with what is waiting for each person, and only for their own councils."""

import pytest
from django.urls import reverse

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.models import AnswerStatus
from assessments.services import AnswerInput
from assessments.tests.factories import (
    AssessmentRoundFactory,
    dims,
    level,
    questions,
    small_framework,
    submitted_assessment,
)
from portal.waiting import waiting_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    return AssessmentRoundFactory(framework=small_framework(dimensions=2, questions=2))


def texts(user) -> list[str]:
    return [item.text for item in waiting_for(user)]


def answer(assessment, user, dimension, levels):
    response = services.response_for(assessment=assessment, user=user)
    services.answers_save(
        response=response,
        dimension=dimension,
        answers={q.pk: level(n) for q, n in zip(questions(dimension), levels, strict=False)},
    )


def test_a_lead_with_no_assessment_is_asked_to_start_one(client, personas, round_):
    assert texts(personas.lead_a) == [f"Start Hartlepool's assessment for {round_.name}"]
    assert texts(personas.officer_a) == []
    client.force_login(personas.officer_a)
    assert "Nothing is waiting for you" in client.get(reverse("portal:home")).content.decode()


def test_an_officer_sees_their_parts_then_sending(personas, round_):
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first, second = dims(assessment)
    services.assignments_set(
        assessment=assessment, dimension=second, users=[personas.officer_a], by=personas.lead_a
    )
    [item] = waiting_for(personas.officer_a)
    assert item.text == "Answer your barrier: Barrier 2"
    assert item.url == reverse("assessments:dimension", args=[assessment.pk, "DIM2"])
    assert item.closes_on == round_.closes_on

    answer(assessment, personas.officer_a, second, [3, 3])
    assert texts(personas.officer_a) == ["Send your answers to the assessment lead"]
    services.response_submit_for(assessment=assessment, user=personas.officer_a)
    assert texts(personas.officer_a) == []


def test_a_lead_sees_the_questions_where_officers_disagree(client, personas, round_):
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first, _second = dims(assessment)
    answer(assessment, personas.officer_a, first, [1, 3])
    answer(assessment, personas.lead_a, first, [5, 3])
    lead = texts(personas.lead_a)
    assert "Resolve 1 question where officers disagree" in lead

    client.force_login(personas.lead_a)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Resolve 1 question where officers disagree" in html
    assert reverse("assessments:agree", args=[assessment.pk]) in html


def test_the_chief_executive_sees_a_sign_off_and_the_lead_a_returned_assessment(personas, round_):
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a
    )
    [item] = waiting_for(personas.executive_a)
    assert item.text == "Sign off Hartlepool's assessment"
    assert item.url == reverse("assessments:sign-off", args=[assessment.pk])
    assert texts(personas.officer_b) == []  # another council's

    services.assessment_return(
        assessment=assessment, by=personas.executive_a, comment="Check the cyber answers."
    )
    items = waiting_for(personas.lead_a)
    returned = next(i for i in items if i.text.startswith("The chief executive returned"))
    assert returned.detail == "Check the cyber answers."
    assert "Submit the agreed answers for sign-off" in [i.text for i in items]
    assert texts(personas.executive_a) == []


def test_home_makes_a_bounded_number_of_queries(
    client, personas, round_, django_assert_max_num_queries
):
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first, second = dims(assessment)
    for n in range(10):
        officer = UserFactory(email=f"officer{n}@hartlepool.example", full_name=f"Officer {n}")
        CouncilMembershipFactory(user=officer, council=personas.council_a, role=CouncilRole.OFFICER)
        answer(assessment, officer, first, [1 + n % 5, 5 - n % 5])
    for _ in range(3):
        AssessmentRoundFactory(framework=round_.framework)
    client.force_login(personas.lead_a)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("portal:home"))

    assert "Resolve 2 questions where officers disagree" in response.content.decode()


def test_dont_know_answers_do_not_count_as_disagreement(personas, round_):
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first, _second = dims(assessment)
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    services.answers_save(
        response=response,
        dimension=first,
        answers={q.pk: AnswerInput(status=AnswerStatus.DONT_KNOW) for q in questions(first)},
    )
    answer(assessment, personas.lead_a, first, [5, 5])

    assert not any("disagree" in text for text in texts(personas.lead_a))
