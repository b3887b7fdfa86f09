"""The lead resolves disagreement inside the portal: who said what, with their evidence, the
questions where officers disagree, and a check before agreeing a question nobody answered."""

import pytest
from django.urls import reverse

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.models import AgreedAnswer, AnswerStatus
from assessments.services import AnswerInput
from assessments.tests.factories import dims, questions


def officer(personas, email: str, name: str):
    user = UserFactory(email=email, full_name=name)
    CouncilMembershipFactory(user=user, council=personas.council_a, role=CouncilRole.OFFICER)
    return user


def answer(assessment, user, levels, **extra):
    """Answer the first dimension's questions with these levels, in order."""
    dimension = dims(assessment)[0]
    response = services.response_for(assessment=assessment, user=user)
    services.answers_save(
        response=response,
        dimension=dimension,
        answers={
            q.pk: AnswerInput(status=AnswerStatus.ANSWERED, level=n, **extra)
            for q, n in zip(questions(dimension), levels, strict=False)
        },
    )
    return response


def page(client, assessment, query=""):
    return client.get(reverse("assessments:agree-dimension", args=[assessment.pk, "DIM1"]) + query)


@pytest.fixture
def spread(personas, assessment):
    """Olivia says 2, 3, 3 with a note and a link; Priya says 4, 3 with a link that is not a
    web address. Both are still in progress."""
    answer(
        assessment,
        personas.officer_a,
        [2, 3, 3],
        confidence="high",
        evidence_note="Board minutes, March",
        evidence_url="https://intranet.hartlepool.example/minutes",
    )
    priya = officer(personas, "priya.shah@hartlepool.example", "Priya Shah")
    answer(assessment, priya, [4, 3], evidence_url="javascript:alert(1)")
    return assessment


def test_the_lead_sees_who_answered_what_with_their_evidence(client, personas, spread):
    client.force_login(personas.lead_a)

    html = page(client, spread).content.decode()

    assert "What each officer said about DIM1-01" in html
    assert "Olivia Okafor" in html and "Priya Shah" in html
    assert "Level 2 (Developing)" in html and "Level 4 (Embedded)" in html
    assert "Board minutes, March" in html
    assert 'href="https://intranet.hartlepool.example/minutes"' in html
    # A link that is not a web address is shown as text, never as a link.
    assert 'href="javascript:alert(1)"' not in html and "javascript:alert(1)" in html
    assert "Lowest: level 2, Olivia Okafor. Highest: level 4, Priya Shah." in html
    assert "In progress" in html


def test_another_councils_answers_never_appear(client, personas, spread, round_):
    other = services.assessment_start(
        council=personas.council_b, round=round_, by=personas.officer_b
    )
    answer(other, personas.officer_b, [1, 1, 1], evidence_note="Middlesbrough's own note")
    client.force_login(personas.lead_a)

    html = page(client, spread).content.decode()

    assert "Omar Bashir" not in html and "Middlesbrough's own note" not in html


def test_the_lead_can_show_only_questions_where_officers_disagree(client, personas, spread):
    first = dims(spread)[0]
    q1, q2, q3 = questions(first)
    client.force_login(personas.lead_a)

    shown = page(client, spread, "?show=disagree")

    assert [row["question"] for row in shown.context["rows"]] == [q1]
    assert "Show all questions" in shown.content.decode()
    # Saving from the filtered page saves what it shows.
    response = client.post(
        reverse("assessments:agree-dimension", args=[spread.pk, "DIM1"]) + "?show=disagree",
        {f"q{q1.pk}_answer": "3", f"q{q1.pk}_version": "0"},
    )
    assert response.status_code == 302
    assert list(AgreedAnswer.objects.values_list("question_id", "level")) == [(q1.pk, 3)]


def test_agreeing_a_question_nobody_answered_asks_for_confirmation_first(
    client, personas, assessment
):
    first = dims(assessment)[0]
    q1, q2, _q3 = questions(first)
    answer(assessment, personas.officer_a, [2])  # only DIM1-01 has an answer
    client.force_login(personas.lead_a)
    url = reverse("assessments:agree-dimension", args=[assessment.pk, "DIM1"])
    data = {
        f"q{q1.pk}_answer": "2",
        f"q{q1.pk}_version": "0",
        f"q{q2.pk}_answer": "4",
        f"q{q2.pk}_version": "0",
    }

    refused = client.post(url, data)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "No officer has answered DIM1-02" in html
    assert 'href="#id_confirm_unanswered"' in html
    assert not AgreedAnswer.objects.exists()
    confirmed = client.post(url, {**data, "confirm_unanswered": "on"})
    assert confirmed.status_code == 302
    assert AgreedAnswer.objects.count() == 2


def test_the_page_makes_the_same_number_of_queries_with_ten_officers(
    client, personas, assessment, django_assert_max_num_queries
):
    answer(assessment, personas.officer_a, [2, 3, 4], evidence_note="One")
    client.force_login(personas.lead_a)
    with django_assert_max_num_queries(14) as one:
        page(client, assessment)
    for n in range(10):
        person = officer(personas, f"officer{n}@hartlepool.example", f"Officer {n}")
        answer(assessment, person, [1 + n % 5, 3, 5 - n % 5], evidence_note=f"Note {n}")

    with django_assert_max_num_queries(len(one.captured_queries)):
        html = page(client, assessment).content.decode()

    assert "Officer 9" in html and "Note 9" in html
