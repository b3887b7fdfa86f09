"""Assignments share the work: an officer with parts assigned answers those and may send;
the lead assigns every part in one form and sees how far each has got."""

import pytest
from django.urls import reverse

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.models import DimensionAssignment, ResponseStatus
from assessments.services import AssessmentError
from assessments.tests.factories import dims, level, questions
from notifications.models import OutboxEmail


def answer(assessment, user, dimension, n=3):
    response = services.response_for(assessment=assessment, user=user)
    services.answers_save(
        response=response,
        dimension=dimension,
        answers={q.pk: level(n) for q in questions(dimension)},
    )
    return response


def test_an_officer_with_a_part_assigned_sends_once_that_part_is_answered(personas, assessment):
    first, _second = dims(assessment)
    services.assignments_set(
        assessment=assessment, dimension=first, users=[personas.officer_a], by=personas.lead_a
    )
    answer(assessment, personas.officer_a, first)

    response = services.response_submit_for(assessment=assessment, user=personas.officer_a)

    assert response.status == ResponseStatus.SUBMITTED


def test_the_refusal_names_what_is_left_in_the_assigned_parts(personas, assessment):
    first, second = dims(assessment)
    services.assignments_set(
        assessment=assessment, dimension=first, users=[personas.officer_a], by=personas.lead_a
    )
    answer(assessment, personas.officer_a, second)  # answered another part, not theirs

    with pytest.raises(AssessmentError, match="3 in Barrier 1 still need an answer"):
        services.response_submit_for(assessment=assessment, user=personas.officer_a)


def test_with_nothing_assigned_every_part_is_needed(personas, assessment):
    first, _second = dims(assessment)
    answer(assessment, personas.officer_a, first)

    with pytest.raises(AssessmentError, match="Answer every question before you submit: 3 "):
        services.response_submit_for(assessment=assessment, user=personas.officer_a)


def test_one_save_gives_each_person_their_parts_and_one_email(personas, assessment):
    first, second = dims(assessment)
    colleague = UserFactory(email="priya.shah@hartlepool.example", full_name="Priya Shah")
    CouncilMembershipFactory(user=colleague, council=personas.council_a, role=CouncilRole.OFFICER)

    newly = services.assignments_save(
        assessment=assessment,
        parts={first: [personas.officer_a, colleague], second: [personas.officer_a]},
        by=personas.lead_a,
    )

    assert newly == {personas.officer_a: [first, second], colleague: [first]}
    emails = {e.to_email: e.text_body for e in OutboxEmail.objects.all()}
    assert sorted(emails) == ["officer.a@hartlepool.example", "priya.shah@hartlepool.example"]
    assert "- Barrier 1\n- Barrier 2" in emails["officer.a@hartlepool.example"]
    # Saving the same again gives nobody anything new.
    again = services.assignments_save(
        assessment=assessment,
        parts={first: [personas.officer_a, colleague], second: [personas.officer_a]},
        by=personas.lead_a,
    )
    assert again == {}
    assert OutboxEmail.objects.count() == 2


def test_only_the_councils_answering_members_can_be_assigned(personas, assessment):
    first, _second = dims(assessment)

    for outsider in (personas.officer_b, personas.executive_a):
        with pytest.raises(AssessmentError, match="only assign officers of your council"):
            services.assignments_save(
                assessment=assessment, parts={first: [outsider]}, by=personas.lead_a
            )
    assert not DimensionAssignment.objects.exists()


def test_the_officers_task_list_puts_their_parts_first_and_lets_them_send(
    client, personas, assessment
):
    first, second = dims(assessment)
    services.assignments_set(
        assessment=assessment, dimension=second, users=[personas.officer_a], by=personas.lead_a
    )
    answer(assessment, personas.officer_a, second)
    client.force_login(personas.officer_a)

    page = client.get(reverse("assessments:overview", args=[assessment.pk]))

    tasks = page.context["tasks"]
    assert [t["dimension"] for t in tasks] == [second, first]
    assert page.context["ready_to_send"] is True
    html = page.content.decode()
    assert "Assigned to you" in html and "Ready to send" in html
    check = client.get(reverse("assessments:check-answers", args=[assessment.pk]))
    assert check.context["unanswered"] == 0


def test_the_assign_page_makes_a_bounded_number_of_queries_with_ten_officers(
    client, personas, assessment, django_assert_max_num_queries
):
    first, second = dims(assessment)
    officers = []
    for n in range(10):
        officer = UserFactory(email=f"officer{n}@hartlepool.example", full_name=f"Officer {n}")
        CouncilMembershipFactory(user=officer, council=personas.council_a, role=CouncilRole.OFFICER)
        answer(assessment, officer, first)
        officers.append(officer)
    services.assignments_save(
        assessment=assessment, parts={first: officers[:5], second: officers[5:]}, by=personas.lead_a
    )
    client.force_login(personas.lead_a)

    with django_assert_max_num_queries(15):
        page = client.get(reverse("assessments:assign", args=[assessment.pk]))

    assert page.status_code == 200
    assert "Officer 0 (answered)" in page.content.decode()
    assert "Officer 5 (not answered yet)" in page.content.decode()
