"""The officer's pages, per persona: the list, the task list, a dimension, check your answers."""

import re

import pytest
from django.urls import reverse

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.forms import TAMPERED
from assessments.models import (
    AgreedAnswer,
    Answer,
    AnswerStatus,
    Assessment,
    Dimension,
    DimensionAssignment,
    Question,
    Response,
    ResponseStatus,
    RoundStatus,
)
from assessments.services import AgreedInput, AnswerInput
from assessments.tests.factories import AssessmentRoundFactory, dims, questions, small_framework
from tests.support import post_urlencoded


def url(name: str, assessment, *args) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk, *args])


def dimension_url(assessment, dimension) -> str:
    return url("dimension", assessment, dimension.code)


def saved(user) -> dict[str, tuple]:
    return {
        a.question.code: (a.status, a.level, a.confidence, a.evidence_note, a.evidence_url)
        for a in Answer.objects.filter(response__respondent=user).select_related("question")
    }


def answer_everything(assessment, user, status=AnswerStatus.DONT_KNOW, level=None):
    response = services.response_for(assessment=assessment, user=user)
    for dimension in dims(assessment):
        services.answers_save(
            response=response,
            dimension=dimension,
            answers={q.pk: AnswerInput(status=status, level=level) for q in questions(dimension)},
        )
    return response


def sign_off(assessment, personas) -> None:
    for question in Question.objects.filter(framework=assessment.round.framework):
        services.agreed_answers_save(
            assessment=assessment,
            answers={question.pk: AgreedInput(AnswerStatus.ANSWERED, 3, "", 0)},
            by=personas.lead_a,
        )
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    services.assessment_sign_off(assessment=assessment, by=personas.executive_a)


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return match.group(0) if match else ""


# The list of assessments


def test_index_offers_to_start_an_open_round(client, personas, round_):
    client.force_login(personas.officer_a)
    response = client.get(reverse("assessments:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hartlepool Borough Council" in html
    assert round_.name in html
    assert reverse("assessments:start", args=["E06000001", round_.slug]) in html
    assert "Middlesbrough" not in html


def test_index_continues_a_started_assessment_and_lists_earlier_ones(
    client, personas, assessment, django_assert_max_num_queries
):
    old_round = AssessmentRoundFactory(
        framework=assessment.round.framework, status=RoundStatus.CLOSED
    )
    old = Assessment.objects.create(council=personas.council_a, round=old_round)
    client.force_login(personas.officer_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assessments:index"))
    html = response.content.decode()
    assert url("overview", assessment) in html
    assert "Continue" in html
    assert "Earlier assessments" in html
    assert url("overview", old) in html
    assert reverse("assessments:start", args=["E06000001", assessment.round.slug]) not in html


def test_chief_executive_sees_the_list_without_start_buttons(client, personas, round_):
    client.force_login(personas.executive_a)
    response = client.get(reverse("assessments:index"))
    assert response.status_code == 200
    assert round_.name in response.content.decode()
    assert reverse("assessments:start", args=["E06000001", round_.slug]) not in (
        response.content.decode()
    )


# Starting


def test_start_creates_the_assessment_and_opens_its_task_list(client, personas, round_):
    client.force_login(personas.officer_a)
    response = client.post(reverse("assessments:start", args=["E06000001", round_.slug]))
    assessment = Assessment.objects.get(council=personas.council_a, round=round_)
    assert response.status_code == 302
    assert response.url == url("overview", assessment)
    # Pressing it again (or a colleague pressing it) opens the same assessment.
    again = client.post(reverse("assessments:start", args=["E06000001", round_.slug]))
    assert again.url == url("overview", assessment)
    assert Assessment.objects.count() == 1


def test_start_is_post_only(client, personas, round_):
    client.force_login(personas.officer_a)
    response = client.get(reverse("assessments:start", args=["E06000001", round_.slug]))
    assert response.status_code == 405
    assert not Assessment.objects.exists()


def test_start_refuses_unknown_foreign_and_closed_rounds(client, personas, round_):
    client.force_login(personas.officer_a)
    unknown = client.post(reverse("assessments:start", args=["E06000001", "no-such-round"]))
    assert unknown.status_code == 404
    foreign = client.post(reverse("assessments:start", args=["E06000002", round_.slug]))
    assert foreign.status_code == 404

    closed = AssessmentRoundFactory(status=RoundStatus.CLOSED)
    response = client.post(
        reverse("assessments:start", args=["E06000001", closed.slug]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:index")
    assert "This round is not open." in response.content.decode()
    assert not Assessment.objects.exists()


# The task list


def test_overview_shows_a_task_list_of_this_officers_progress(client, personas, assessment):
    first, second = dims(assessment)
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    services.answers_save(
        response=response,
        dimension=first,
        answers={questions(first)[0].pk: AnswerInput(status=AnswerStatus.DONT_KNOW)},
    )
    # Someone else's answers do not count towards this officer's task list.
    answer_everything(assessment, personas.lead_a)
    DimensionAssignment.objects.create(
        assessment=assessment, dimension=second, user=personas.officer_a
    )
    client.force_login(personas.officer_a)
    page = client.get(url("overview", assessment))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Hartlepool: " + assessment.round.name in html
    assert 'class="govuk-task-list"' in html
    assert '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in html
    assert "Assigned to you" in html
    assert "Cannot start yet" in html
    assert dimension_url(assessment, second) in html
    assert html.count("<h1") == 1


def test_overview_shows_completed_as_plain_text(client, personas, assessment):
    answer_everything(assessment, personas.officer_a)
    client.force_login(personas.officer_a)
    html = client.get(url("overview", assessment)).content.decode()
    assert "You have completed 2 of 2 barriers." in html
    assert 'govuk-tag--grey">Not started' not in html
    assert url("check-answers", assessment) in html


def test_lead_gets_links_to_progress_and_agreeing(client, personas, assessment):
    client.force_login(personas.lead_a)
    html = client.get(url("overview", assessment)).content.decode()
    assert url("progress", assessment) in html
    assert url("agree", assessment) in html
    assert 'class="govuk-task-list"' in html


def test_chief_executive_sees_status_and_sign_off_not_a_task_list(client, personas, assessment):
    client.force_login(personas.executive_a)
    response = client.get(url("overview", assessment))
    assert response.status_code == 200
    html = response.content.decode()
    assert url("sign-off", assessment) in html
    assert "In progress" in html
    assert 'class="govuk-task-list"' not in html


@pytest.mark.parametrize("who", ["officer_b", "analyst", "staff"])
@pytest.mark.parametrize("name", ["overview", "check-answers", "response-submitted"])
def test_outsiders_get_404(client, personas, assessment, who, name):
    client.force_login(getattr(personas, who))
    assert client.get(url(name, assessment)).status_code == 404


@pytest.mark.parametrize("who", ["officer_b", "analyst", "staff", "executive_a"])
def test_only_answering_members_open_or_post_a_dimension(client, personas, assessment, who):
    first = dims(assessment)[0]
    client.force_login(getattr(personas, who))
    assert client.get(dimension_url(assessment, first)).status_code == 404
    q = questions(first)[0]
    posted = client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "3"})
    assert posted.status_code == 404
    assert not Answer.objects.exists()


def test_chief_executive_cannot_submit_answers(client, personas, assessment):
    client.force_login(personas.executive_a)
    assert client.post(url("check-answers", assessment)).status_code == 404


# A dimension


def test_an_expired_session_goes_to_sign_in_and_back(client, personas, assessment):
    target = dimension_url(assessment, dims(assessment)[0])
    response = client.get(target)
    assert response.status_code == 302
    assert response.url == reverse("accounts:sign-in") + "?next=" + target


def test_dimension_page_shows_questions_levels_and_guidance(client, personas, assessment):
    first, second = dims(assessment)
    client.force_login(personas.officer_a)
    response = client.get(dimension_url(assessment, second))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Barrier 2 of 2" in html
    assert html.count("<h1") == 1
    q = questions(second)[0]
    assert f'id="id_q{q.pk}-answer"' in html  # the error summary's links land on this
    assert "2 Developing" in html
    assert "Level 2" in html  # the descriptor, as the radio's hint
    assert "What good looks like" in html
    assert "Not applicable" in html and "Don&#x27;t know" in html
    assert '<div class="govuk-radios__divider">or</div>' in html
    assert "Save and continue" in html and "Save and come back later" in html


def test_unknown_dimension_or_one_from_another_framework_version_is_404(
    client, personas, assessment
):
    other = small_framework(dimensions=3)
    third = Dimension.objects.get(framework=other, code="DIM3")
    client.force_login(personas.officer_a)
    assert client.get(url("dimension", assessment, "NOPE")).status_code == 404
    assert client.get(dimension_url(assessment, third)).status_code == 404
    q = questions(third)[0]
    posted = client.post(dimension_url(assessment, third), {f"q{q.pk}-answer": "3"})
    assert posted.status_code == 404
    assert not Answer.objects.exists()


def test_partial_save_keeps_answers_and_comes_back_later(client, personas, assessment):
    first, _ = dims(assessment)
    q1, q2, q3 = questions(first)
    client.force_login(personas.officer_a)
    response = client.post(
        dimension_url(assessment, first),
        {
            f"q{q1.pk}-answer": "3",
            f"q{q1.pk}-confidence": "high",
            f"q{q1.pk}-note": "  The digital strategy, agreed in May. ",
            f"q{q1.pk}-link": "https://intranet.example.gov.uk/strategy",
            f"q{q2.pk}-answer": "not_applicable",
            # Confidence and evidence for an unanswered question are ignored.
            f"q{q3.pk}-confidence": "low",
            f"q{q3.pk}-note": "Not sure",
            "later": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(url("overview", assessment), 302)]
    assert "Your answers have been saved" in response.content.decode()
    assert saved(personas.officer_a) == {
        "DIM1-01": (
            "answered",
            3,
            "high",
            "The digital strategy, agreed in May.",
            "https://intranet.example.gov.uk/strategy",
        ),
        "DIM1-02": ("not_applicable", None, "", "", ""),
    }

    html = client.get(dimension_url(assessment, first)).content.decode()
    assert re.search(rf'id="id_q{q1.pk}-answer-3"[^>]*value="3" checked', html)
    assert re.search(r'value="high" checked', html)
    assert re.search(r'value="not_applicable" checked', html)
    assert "The digital strategy, agreed in May." in html
    assert "https://intranet.example.gov.uk/strategy" in html
    assert "Not sure" not in html


def test_save_and_continue_goes_to_the_next_part_then_check_answers(client, personas, assessment):
    first, second = dims(assessment)
    client.force_login(personas.officer_a)
    q = questions(first)[0]
    response = client.post(
        dimension_url(assessment, first), {f"q{q.pk}-answer": "1", "continue": ""}
    )
    assert response.url == dimension_url(assessment, second)
    q = questions(second)[0]
    response = client.post(
        dimension_url(assessment, second), {f"q{q.pk}-answer": "dont_know", "continue": ""}
    )
    assert response.url == url("check-answers", assessment)
    # An empty page saves nothing and still moves on.
    response = client.post(dimension_url(assessment, first), {"continue": ""})
    assert response.url == dimension_url(assessment, second)
    assert len(saved(personas.officer_a)) == 2


def test_a_later_save_changes_an_answer(client, personas, assessment):
    first, _ = dims(assessment)
    q = questions(first)[0]
    client.force_login(personas.officer_a)
    client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "2"})
    client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "4"})
    assert saved(personas.officer_a)["DIM1-01"][:2] == ("answered", 4)


@pytest.mark.parametrize(
    "part, value, message",
    [
        ("answer", "9", "Select a level for DIM1-02, or"),
        ("answer", "maybe", "Select a level for DIM1-02, or"),
        ("answer", "answered", "Select a level for DIM1-02, or"),
        ("confidence", "certain", "Select low, medium or high for DIM1-02"),
        ("link", "not a link", "Enter the evidence link for DIM1-02 in the correct format"),
        ("link", "javascript:alert(1)", "Enter the evidence link for DIM1-02"),
        ("note", "x" * 2001, "The evidence for DIM1-02 must be 2000 characters or fewer"),
    ],
)
def test_bad_input_saves_nothing_and_explains(client, personas, assessment, part, value, message):
    first, _ = dims(assessment)
    q1, q2, _ = questions(first)
    client.force_login(personas.officer_a)
    response = client.post(
        dimension_url(assessment, first),
        {f"q{q1.pk}-answer": "3", f"q{q2.pk}-answer": "2", f"q{q2.pk}-{part}": value},
    )
    assert response.status_code == 200
    summary = error_summary(response)
    assert message in summary
    assert "There is a problem" in summary
    assert response.content.decode().count('class="govuk-error-summary"') == 1
    assert "<title>Error: " in response.content.decode()
    # The summary links to the field, which exists on the page.
    href = re.search(r'href="#([^"]+)"', summary).group(1)
    assert href.startswith(f"id_q{q2.pk}-{part}")
    assert f'id="{href}"' in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "where", ["same_framework_other_page", "other_framework", "unknown", "5,000 digits"]
)
def test_a_question_that_is_not_on_the_page_saves_nothing(client, personas, assessment, where):
    first, second = dims(assessment)
    foreign = {
        "same_framework_other_page": lambda: questions(second)[0].pk,
        "other_framework": lambda: questions(dims_of(small_framework())[0])[0].pk,
        "unknown": lambda: 999999,
        # More digits than Python will turn into a number (issue 10: this was a 500).
        "5,000 digits": lambda: "9" * 5000,
    }[where]()
    q = questions(first)[0]
    client.force_login(personas.officer_a)
    response = post_urlencoded(
        client,
        dimension_url(assessment, first),
        {f"q{q.pk}-answer": "3", f"q{foreign}-answer": "2"},
    )
    assert response.status_code == 200
    assert TAMPERED in error_summary(response)
    assert f'href="#id_q{q.pk}-answer"' in error_summary(response)
    assert not Answer.objects.exists()


def dims_of(framework) -> list[Dimension]:
    return list(framework.dimensions.order_by("order"))


# Read-only


def test_after_the_round_closes_answers_are_read_only(client, personas, assessment):
    first, _ = dims(assessment)
    q = questions(first)[0]
    client.force_login(personas.officer_a)
    client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "2"})
    services.round_close(round=assessment.round, by=personas.staff)

    page = client.get(dimension_url(assessment, first))
    html = page.content.decode()
    assert page.status_code == 200
    assert "round has closed" in html
    assert "You can view your answers but not change them." in html
    assert '<form method="post"' not in html.split('id="main-content"')[1]
    assert "Level 2 (Developing)" in html
    assert "Not answered" in html

    posted = client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "5"})
    assert posted.status_code == 200
    assert "Nothing was saved." in posted.content.decode()
    assert saved(personas.officer_a)["DIM1-01"][:2] == ("answered", 2)

    overview = client.get(url("overview", assessment)).content.decode()
    assert "round has closed" in overview
    check = client.get(url("check-answers", assessment)).content.decode()
    assert "Submit your answers" not in check
    refused = client.post(url("check-answers", assessment))
    assert refused.status_code == 200
    assert "This round is closed" in error_summary(refused)


def test_after_sign_off_answers_are_read_only(client, personas, assessment):
    first, _ = dims(assessment)
    q = questions(first)[0]
    sign_off(assessment, personas)
    client.force_login(personas.officer_a)
    page = client.get(dimension_url(assessment, first))
    assert "has been signed off" in page.content.decode()
    posted = client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "5"})
    assert posted.status_code == 200
    assert "Nothing was saved." in posted.content.decode()
    assert not Answer.objects.exists()
    assert "has been signed off" in client.get(url("overview", assessment)).content.decode()


def test_a_submitted_response_is_read_only(client, personas, assessment):
    first, _ = dims(assessment)
    q = questions(first)[0]
    services.response_submit(response=answer_everything(assessment, personas.officer_a))
    client.force_login(personas.officer_a)
    posted = client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "5"})
    assert posted.status_code == 200
    assert "You have sent your answers" in posted.content.decode()
    assert saved(personas.officer_a)["DIM1-01"][:2] == ("dont_know", None)


# Check your answers


def test_check_answers_lists_every_answer_with_change_links(client, personas, assessment):
    first, second = dims(assessment)
    q1, q2, q3 = questions(first)
    client.force_login(personas.officer_a)
    client.post(
        dimension_url(assessment, first),
        {
            f"q{q1.pk}-answer": "3",
            f"q{q1.pk}-confidence": "medium",
            f"q{q1.pk}-note": "Board minutes",
            f"q{q2.pk}-answer": "not_applicable",
            f"q{q3.pk}-answer": "dont_know",
        },
    )
    page = client.get(url("check-answers", assessment))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<h1") == 1
    assert "Level 3 (Defined)" in html
    assert "Confidence: medium" in html
    assert "Board minutes" in html
    assert "Not applicable" in html
    assert "Don&#x27;t know" in html
    assert html.count("Not answered") == 3  # the whole second part
    assert f"{dimension_url(assessment, first)}?return=check#id_q{q1.pk}-answer" in html
    assert f'Change<span class="govuk-visually-hidden"> {q1.code} {q1.statement}' in html


def test_submitting_an_incomplete_response_explains(client, personas, assessment):
    first, second = dims(assessment)
    client.force_login(personas.officer_a)
    client.post(dimension_url(assessment, first), {f"q{questions(first)[0].pk}-answer": "3"})
    response = client.post(url("check-answers", assessment))
    assert response.status_code == 200
    summary = error_summary(response)
    assert "Answer every question before you submit: 5 still need an answer." in summary
    assert f'href="#answer-{questions(first)[1].pk}"' in summary
    assert "<title>Error: " in response.content.decode()
    assert not personas.officer_a.responses.filter(status=ResponseStatus.SUBMITTED).exists()


def test_a_refused_submission_leaves_no_response_behind(client, personas, assessment):
    # Issue 10: pressing "Submit" before answering anything made an empty response, so the
    # lead's progress page showed the officer as started.
    client.force_login(personas.officer_a)

    response = client.post(url("check-answers", assessment))

    assert response.status_code == 200
    assert "Answer every question before you submit: 6 still need an answer." in error_summary(
        response
    )
    assert not Response.objects.exists()


def test_submitting_answers_shows_the_confirmation(client, personas, assessment):
    answer_everything(assessment, personas.officer_a, AnswerStatus.ANSWERED, 4)
    client.force_login(personas.officer_a)
    assert client.get(url("response-submitted", assessment)).url == url("check-answers", assessment)
    response = client.post(url("check-answers", assessment), follow=True)
    assert response.redirect_chain == [(url("response-submitted", assessment), 302)]
    html = response.content.decode()
    assert "govuk-panel--confirmation" in html
    assert "Your answers have been sent to your assessment lead" in html
    assert personas.officer_a.responses.get().status == ResponseStatus.SUBMITTED
    # Sent once; a second press explains rather than fails.
    again = client.post(url("check-answers", assessment))
    assert again.status_code == 200
    assert "You have already submitted your answers." in error_summary(again)
    assert "Submit your answers" not in again.content.decode().split("There is a problem")[1]


def test_the_lead_answers_too(client, personas, assessment):
    first, _ = dims(assessment)
    client.force_login(personas.lead_a)
    q = questions(first)[0]
    response = client.post(dimension_url(assessment, first), {f"q{q.pk}-answer": "5"})
    assert response.status_code == 302
    assert saved(personas.lead_a)["DIM1-01"][:2] == ("answered", 5)
    # Nothing the lead agrees is touched by the lead's own answers.
    assert not AgreedAnswer.objects.exists()


# Query counts stay flat however many questions there are


@pytest.fixture
def big_assessment(personas, db) -> Assessment:
    round_ = AssessmentRoundFactory(framework=small_framework(dimensions=9, questions=6))
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.officer_a
    )
    answer_everything(assessment, personas.officer_a, AnswerStatus.ANSWERED, 3)
    for dimension in dims(assessment)[:4]:
        DimensionAssignment.objects.create(
            assessment=assessment, dimension=dimension, user=personas.officer_a
        )
    return assessment


def test_query_counts_are_bounded(client, personas, big_assessment, django_assert_max_num_queries):
    assessment = big_assessment
    client.force_login(personas.officer_a)
    fifth = dims(assessment)[4]
    with django_assert_max_num_queries(11):
        assert client.get(url("overview", assessment)).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(dimension_url(assessment, fifth)).status_code == 200
    data = {f"q{q.pk}-answer": "4" for q in questions(fifth)}
    # Saving is one upsert, so a save costs the same whatever the questions on the page.
    with django_assert_max_num_queries(22):
        assert client.post(dimension_url(assessment, fifth), data).status_code == 302
    with django_assert_max_num_queries(11):
        assert client.get(url("check-answers", assessment)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("assessments:index")).status_code == 200


def test_a_second_council_member_sees_their_own_council_only(client, personas, round_):
    other = UserFactory(email="both@example.gov.uk")
    CouncilMembershipFactory(user=other, council=personas.council_b, role=CouncilRole.OFFICER)
    client.force_login(other)
    html = client.get(reverse("assessments:index")).content.decode()
    assert "Middlesbrough" in html
    assert "Hartlepool" not in html


@pytest.mark.parametrize(
    "who, expected, absent",
    [
        ("lead_a", ["progress", "assign", "agree", "history"], ["sign-off"]),
        ("executive_a", ["sign-off", "progress"], ["agree", "assign", "history"]),
        ("officer_a", [], ["progress", "agree", "assign", "history", "sign-off"]),
    ],
)
def test_overview_links_each_role_to_its_pages(client, personas, who, expected, absent):
    round_ = AssessmentRoundFactory()
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    client.force_login(getattr(personas, who))
    html = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    for name in expected:
        assert reverse(f"assessments:{name}", args=[assessment.pk]) in html
    for name in absent:
        assert reverse(f"assessments:{name}", args=[assessment.pk]) not in html
