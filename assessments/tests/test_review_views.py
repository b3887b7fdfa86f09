"""The lead's, chief executive's and staff's pages, per persona, with states built by services."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.models import (
    AgreedAnswer,
    AnswerStatus,
    AssessmentRound,
    AssessmentStatus,
    AuditAction,
    AuditEvent,
    Dimension,
    DimensionAssignment,
    DimensionScore,
    Question,
    RoundStatus,
)
from assessments.services import AgreedInput, AnswerInput
from assessments.tests.factories import (
    AssessmentRoundFactory,
    dims,
    level,
    questions,
    small_framework,
)
from tests.support import post_urlencoded

NA = AnswerInput(status=AnswerStatus.NOT_APPLICABLE)


def url(name: str, assessment, *args) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk, *args])


def member(council, role, email, name):
    user = UserFactory(email=email, full_name=name)
    CouncilMembershipFactory(user=user, council=council, role=role)
    return user


def answer_all(assessment, user, value: AnswerInput, overrides=None, submit=False):
    response = services.response_for(assessment=assessment, user=user)
    for dimension in dims(assessment):
        services.answers_save(
            response=response,
            dimension=dimension,
            answers={q.pk: (overrides or {}).get(q.code, value) for q in questions(dimension)},
        )
    if submit:
        services.response_submit(response=response)
    return response


def agree(assessment, question, by, value, *, expected_version=0, rationale=""):
    [saved] = services.agreed_answers_save(
        assessment=assessment,
        answers={question.pk: AgreedInput(value.status, value.level, rationale, expected_version)},
        by=by,
    )
    return saved


def agree_all(assessment, by, value=None):
    for dimension in dims(assessment):
        for question in questions(dimension):
            agree(assessment, question, by, value or level(3), rationale="Agreed at the workshop")


def agree_post(question, answer, *, version=0, rationale=""):
    return {
        f"q{question.pk}_answer": answer,
        f"q{question.pk}_rationale": rationale,
        f"q{question.pk}_version": str(version),
    }


def error_summary(response) -> str:
    html = response.content.decode()
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def submitted(personas, assessment):
    agree_all(assessment, personas.lead_a)
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    return assessment


@pytest.fixture
def signed_off(personas, submitted):
    services.assessment_sign_off(assessment=submitted, by=personas.executive_a)
    return submitted


# Who may see what --------------------------------------------------------------------------

EVERYONE = ["officer_a", "lead_a", "executive_a", "officer_b", "analyst", "staff"]
PAGES = {
    "progress": {"lead_a", "executive_a"},
    "assign": {"lead_a"},
    "agree": {"lead_a"},
    "agree-dimension": {"lead_a"},
    "submit": {"lead_a"},
    "sign-off": {"executive_a"},
    "results": {"officer_a", "lead_a", "executive_a"},
    "history": {"lead_a", "staff"},
    "reopen": {"staff"},
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", EVERYONE)
def test_each_page_is_for_its_roles_and_a_404_for_everyone_else(
    client, personas, assessment, name, who
):
    client.force_login(getattr(personas, who))
    args = ["DIM1"] if name == "agree-dimension" else []
    response = client.get(url(name, assessment, *args))
    assert response.status_code == (200 if who in PAGES[name] else 404)


@pytest.mark.parametrize(
    ("name", "status"),
    # Pages that only read take no POST from anyone (405), before any object is looked up.
    [("progress", 405), ("agree", 405), ("submit", 404), ("sign-off", 404), ("results", 405)],
)
def test_posts_from_outsiders_are_refused_and_change_nothing(
    client, personas, submitted, name, status
):
    client.force_login(personas.officer_b)
    response = client.post(url(name, submitted), {"action": "approve", "comment": "No"})
    assert response.status_code == status
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED


def test_signed_out_people_are_sent_to_sign_in(client, assessment):
    response = client.get(url("progress", assessment))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_an_unknown_dimension_or_assessment_is_a_404(client, personas, assessment):
    client.force_login(personas.lead_a)
    assert client.get(url("agree-dimension", assessment, "NOPE")).status_code == 404
    foreign = Dimension.objects.filter(framework=small_framework()).first()
    foreign.code = "OTHER"
    foreign.save()
    assert client.get(url("agree-dimension", assessment, "OTHER")).status_code == 404
    response = client.get(reverse("assessments:progress", args=[assessment.pk + 100]))
    assert response.status_code == 404


def test_another_councils_lead_gets_a_404(client, personas, round_):
    lead_b = member(personas.council_b, CouncilRole.LEAD, "lead.b@example.gov.uk", "Bea Lead")
    other = services.assessment_start(council=personas.council_b, round=round_, by=lead_b)
    client.force_login(personas.lead_a)
    for name in ["progress", "agree", "submit", "history", "results"]:
        assert client.get(url(name, other)).status_code == 404


# Progress and assignments ------------------------------------------------------------------


def test_progress_shows_who_has_responded_and_how_far_each_dimension_got(
    client, personas, assessment
):
    first, second = dims(assessment)
    member(personas.council_a, CouncilRole.OFFICER, "idle@example.gov.uk", "Ida Idle")
    response = services.response_for(assessment=assessment, user=personas.officer_a)
    services.answers_save(
        response=response, dimension=first, answers={q.pk: level(2) for q in questions(first)}
    )
    answer_all(assessment, personas.lead_a, level(3), submit=True)
    services.assignments_set(
        assessment=assessment, dimension=second, users=[personas.officer_a], by=personas.lead_a
    )

    client.force_login(personas.executive_a)
    page = client.get(url("progress", assessment))
    assert page.status_code == 200
    people = {row["user"].email: row for row in page.context["respondents"]}
    assert people["officer.a@hartlepool.example"]["status"] == "In progress"
    assert people["officer.a@hartlepool.example"]["answered"] == 3
    assert people["lead.a@hartlepool.example"]["status"] == "Submitted"
    assert people["idle@example.gov.uk"]["status"] == "Not started"
    assert people["idle@example.gov.uk"]["total"] == 6
    # Chief executives sign off but do not answer.
    assert "ceo.a@hartlepool.example" not in people
    rows = {row["dimension"].code: row for row in page.context["dimension_rows"]}
    assert (rows["DIM1"]["complete"], rows["DIM1"]["started"]) == (2, 2)
    assert (rows["DIM2"]["complete"], rows["DIM2"]["started"]) == (1, 2)
    assert rows["DIM2"]["assigned"] == [personas.officer_a]
    html = page.content.decode()
    assert "Ida Idle" in html and "3 of 6" in html and "Not started" in html
    # The lead's own links are not offered to the chief executive.
    assert url("assign", assessment) not in html


def assign_form(client, assessment) -> dict:
    """What the assign page's one form posts as it stands."""
    page = client.get(url("assign", assessment))
    form = page.context["form"]
    data: dict = {"version": form.initial["version"]}
    for name in form.dimensions:
        data[name] = form.initial.get(name, [])
    return data


def test_the_lead_assigns_every_part_in_one_form(client, personas, assessment):
    first, second = dims(assessment)
    client.force_login(personas.lead_a)
    page = client.get(url("assign", assessment)).content.decode()
    assert page.count("<form") == 2  # the assign form, and signing out
    assert "Who should answer Barrier 1?" in page and "Who should answer Barrier 2?" in page
    data = assign_form(client, assessment)
    data["part_DIM1"] = [personas.officer_a.pk, personas.lead_a.pk]
    data["part_DIM2"] = [personas.officer_a.pk]

    response = client.post(url("assign", assessment), data)

    assert response.status_code == 302
    assigned = DimensionAssignment.objects.filter(assessment=assessment)
    assert {(a.dimension_id, a.user_id) for a in assigned} == {
        (first.pk, personas.officer_a.pk),
        (first.pk, personas.lead_a.pk),
        (second.pk, personas.officer_a.pk),
    }
    assert set(
        AuditEvent.objects.filter(action=AuditAction.ASSIGNED).values_list("subject", flat=True)
    ) == {"DIM1", "DIM2"}
    page = client.get(url("assign", assessment)).content.decode()
    assert "Saved who answers each barrier" in page
    assert "Olivia Okafor (not answered yet)" in page
    # Clearing every box removes the assignments.
    data = assign_form(client, assessment)
    client.post(url("assign", assessment), {"version": data["version"]})
    assert not DimensionAssignment.objects.exists()


def test_a_save_after_another_leads_change_is_caught_not_applied(client, personas, assessment):
    first, _second = dims(assessment)
    client.force_login(personas.lead_a)
    seen = assign_form(client, assessment)
    # Meanwhile another lead gives the first part to the lead.
    services.assignments_set(
        assessment=assessment, dimension=first, users=[personas.lead_a], by=personas.lead_a
    )
    seen["part_DIM2"] = [personas.officer_a.pk]

    response = client.post(url("assign", assessment), seen)

    assert response.status_code == 200
    assert "Someone else changed who answers which barrier" in error_summary(response)
    assert {(a.dimension_id, a.user_id) for a in DimensionAssignment.objects.all()} == {
        (first.pk, personas.lead_a.pk)
    }
    # The page now holds the saved state and its version: saving again works.
    assert response.context["form"].data["part_DIM1"] == [str(personas.lead_a.pk)]


def test_assigning_someone_from_another_council_is_refused(client, personas, assessment):
    client.force_login(personas.lead_a)
    data = assign_form(client, assessment)
    data["part_DIM2"] = [personas.officer_b.pk]

    response = client.post(url("assign", assessment), data)

    assert response.status_code == 200
    assert "Select people from the list" in error_summary(response)
    assert 'href="#id_part_DIM2_1"' in error_summary(response)
    assert not DimensionAssignment.objects.exists()


def test_assignments_cannot_change_after_sign_off(client, personas, signed_off):
    client.force_login(personas.lead_a)
    page = client.get(url("assign", signed_off))
    assert 'name="part_DIM1"' not in page.content.decode()
    response = client.post(
        url("assign", signed_off), {"version": "x", "part_DIM1": [personas.officer_a.pk]}
    )
    assert response.status_code == 200
    assert not DimensionAssignment.objects.exists()


# Agreeing answers --------------------------------------------------------------------------


@pytest.fixture
def disagreeing(personas, assessment):
    """Two officers: DIM1-01 answered 1 and 4 (a disagreement); the first has submitted."""
    officer_two = member(
        personas.council_a, CouncilRole.OFFICER, "two@hartlepool.example", "Tom Two"
    )
    answer_all(assessment, personas.officer_a, level(2), {"DIM1-01": level(1)}, submit=True)
    answer_all(
        assessment,
        officer_two,
        AnswerInput(status=AnswerStatus.ANSWERED, level=3, confidence="high"),
        {"DIM1-01": level(4, confidence="low"), "DIM1-02": NA},
    )
    return assessment


def test_the_task_list_counts_agreed_and_flagged_questions(client, personas, disagreeing):
    q1 = questions(dims(disagreeing)[0])[0]
    agree(disagreeing, q1, personas.lead_a, level(2))
    client.force_login(personas.lead_a)
    page = client.get(url("agree", disagreeing))
    tasks = {t["dimension"].code: t for t in page.context["tasks"]}
    assert (tasks["DIM1"]["agreed"], tasks["DIM1"]["flagged"], tasks["DIM1"]["status"]) == (
        1,
        1,
        "In progress",
    )
    assert (tasks["DIM2"]["agreed"], tasks["DIM2"]["flagged"], tasks["DIM2"]["status"]) == (
        0,
        0,
        "Not started",
    )
    html = page.content.decode()
    assert "1 of 3 answers agreed; 1 flagged because officers disagree" in html
    assert url("agree-dimension", disagreeing, "DIM1") in html
    assert url("submit", disagreeing) in html


def test_the_dimension_page_shows_officers_answers_and_suggests_the_middle(
    client, personas, disagreeing
):
    q1, q2, q3 = questions(dims(disagreeing)[0])
    client.force_login(personas.lead_a)
    page = client.get(url("agree-dimension", disagreeing, "DIM1"))
    html = page.content.decode()
    rows = {row["question"].code: row for row in page.context["rows"]}
    assert dict(rows["DIM1-01"]["officers"].counts) == {
        "1 Ad hoc": 1,
        "2 Developing": 0,
        "3 Defined": 0,
        "4 Embedded": 1,
        "5 Leading": 0,
        "Not applicable": 0,
        "Don't know": 0,
    }
    assert dict(rows["DIM1-01"]["officers"].confidence) == {
        "High": 0,
        "Medium": 0,
        "Low": 1,
        "Not given": 1,
    }
    assert rows["DIM1-01"]["officers"].disagree
    assert not rows["DIM1-02"]["officers"].disagree
    assert html.count("Officers disagree") == 1
    assert "2 of 3 people who can answer answered: 1 submitted, 1 still in progress." in html
    form = page.context["form"]
    # The lower median of 1 and 4 is 1; 2 and 3 give 2.
    assert form[f"q{q1.pk}_answer"].value() == "1"
    assert form[f"q{q3.pk}_answer"].value() == "2"
    # Only one officer gave DIM1-02 a level; the other said not applicable.
    assert form[f"q{q2.pk}_answer"].value() == "2"
    assert "Suggested from officers' answers: the middle answer (1 Ad hoc)" in html
    assert form[f"q{q1.pk}_version"].value() == 0
    # The level names label the radios and the descriptors are their hints.
    assert "2 Developing" in html and "Level 2" in html
    assert "Save agreed answers" in html


def test_the_lead_saves_the_dimension_and_only_chosen_answers_are_sent(
    client, personas, disagreeing
):
    q1, q2, q3 = questions(dims(disagreeing)[0])
    client.force_login(personas.lead_a)
    data = {
        **agree_post(q1, "2", rationale="The board agreed 2"),
        **agree_post(q2, "not_applicable"),
        **agree_post(q3, ""),
    }
    response = client.post(url("agree-dimension", disagreeing, "DIM1"), data)
    assert response.status_code == 302
    assert response["Location"] == url("agree", disagreeing)
    saved = {a.question_id: a for a in AgreedAnswer.objects.all()}
    assert set(saved) == {q1.pk, q2.pk}
    assert (saved[q1.pk].level, saved[q1.pk].rationale) == (2, "The board agreed 2")
    assert (saved[q2.pk].status, saved[q2.pk].level) == (AnswerStatus.NOT_APPLICABLE, None)
    assert saved[q1.pk].updated_by == personas.lead_a
    assert AuditEvent.objects.filter(action=AuditAction.AGREED_ANSWER).count() == 2
    # Back on the page, the saved answers are the starting point, with their versions.
    form = client.get(url("agree-dimension", disagreeing, "DIM1")).context["form"]
    assert form[f"q{q1.pk}_answer"].value() == "2"
    assert form[f"q{q1.pk}_version"].value() == 1
    assert form[f"q{q2.pk}_answer"].value() == "not_applicable"


def test_a_page_with_nothing_chosen_asks_for_an_answer(client, personas, assessment):
    q1, q2, q3 = questions(dims(assessment)[0])
    client.force_login(personas.lead_a)
    data = {**agree_post(q1, ""), **agree_post(q2, ""), **agree_post(q3, "")}
    response = client.post(url("agree-dimension", assessment, "DIM1"), data)
    assert response.status_code == 200
    assert "Choose an answer to at least one question" in error_summary(response)
    assert not AgreedAnswer.objects.exists()


def test_a_concurrent_edit_is_refused_showing_both_answers_and_saving_again_overwrites(
    client, personas, disagreeing
):
    q1, q2, _ = questions(dims(disagreeing)[0])
    other_lead = member(
        personas.council_a, CouncilRole.LEAD, "other.lead@hartlepool.example", "Olu Other"
    )
    agree(disagreeing, q1, personas.lead_a, level(2), rationale="First go")
    client.force_login(personas.lead_a)
    form = client.get(url("agree-dimension", disagreeing, "DIM1")).context["form"]
    seen = form[f"q{q1.pk}_version"].value()
    assert seen == 1
    # Meanwhile another lead changes the same answer.
    agree(
        disagreeing,
        q1,
        other_lead,
        level(4),
        expected_version=1,
        rationale="The cyber audit shows more",
    )

    stale = {
        **agree_post(q1, "1", version=seen, rationale="Officers were unsure"),
        **agree_post(q2, "3", version=0),
    }
    response = client.post(url("agree-dimension", disagreeing, "DIM1"), stale)
    assert response.status_code == 200
    summary = error_summary(response)
    assert "Someone else changed 1 answer while you were editing" in summary
    assert f'href="#conflict-{q1.pk}"' in summary
    html = response.content.decode()
    panel = html[html.index(f'id="conflict-{q1.pk}"') :]
    panel = panel[: panel.index("Save again")]
    assert "Level 4 (Embedded)" in panel and "The cyber audit shows more" in panel
    assert "Olu Other" in panel
    assert "Level 1 (Ad hoc)" in panel and "Officers were unsure" in panel
    assert response.context["form"][f"q{q1.pk}_version"].value() == "2"
    assert f'name="q{q1.pk}_version" value="2"' in html
    # The lead's own answer is still selected, and nothing was saved: not even q2.
    assert response.context["form"][f"q{q1.pk}_answer"].value() == "1"
    current = AgreedAnswer.objects.get(question=q1)
    assert (current.level, current.version, current.updated_by) == (4, 2, other_lead)
    assert not AgreedAnswer.objects.filter(question=q2).exists()

    # Saving again, now knowing their version, deliberately replaces their answer.
    again = {**stale, f"q{q1.pk}_version": "2"}
    response = client.post(url("agree-dimension", disagreeing, "DIM1"), again)
    assert response.status_code == 302
    current.refresh_from_db()
    assert (current.level, current.version, current.updated_by) == (1, 3, personas.lead_a)
    assert AgreedAnswer.objects.get(question=q2).level == 3


@pytest.mark.parametrize(
    "tamper, message",
    [
        ({"answer": "9"}, "Choose a level, Not applicable or Don&#x27;t know for DIM1-01"),
        ({"answer": "answered"}, "Choose a level, Not applicable or Don&#x27;t know for DIM1-01"),
        ({"version": "abc"}, "This page was out of date"),
        ({"version": "-1"}, "This page was out of date"),
        # Issue 10: a 5,000-digit version was a 500; a huge one could reach the database.
        ({"version": "9" * 5000}, "This page was out of date"),
        ({"version": str(2**63)}, "This page was out of date"),
    ],
)
def test_tampered_answers_save_nothing(client, personas, assessment, tamper, message):
    q1, q2, _ = questions(dims(assessment)[0])
    client.force_login(personas.lead_a)
    data = {**agree_post(q1, "3"), **agree_post(q2, "3")}
    for part, value in tamper.items():
        data[f"q{q1.pk}_{part}"] = value
    response = client.post(url("agree-dimension", assessment, "DIM1"), data)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert response.context["form"].errors
    assert not AgreedAnswer.objects.exists()


def test_answers_for_questions_not_on_the_page_save_nothing(client, personas, assessment):
    q1 = questions(dims(assessment)[0])[0]
    elsewhere = questions(dims(assessment)[1])[0]
    foreign = Question.objects.filter(framework=small_framework()).first()
    client.force_login(personas.lead_a)
    huge = SimpleNamespace(pk="9" * 5000)  # more digits than Python turns into a number
    for stray in (elsewhere, foreign, huge):
        data = {**agree_post(q1, "3"), **agree_post(stray, "3")}
        response = post_urlencoded(client, url("agree-dimension", assessment, "DIM1"), data)
        assert response.status_code == 200
        assert "questions that are not on this page" in error_summary(response)
    assert not AgreedAnswer.objects.exists()


def test_agreed_answers_are_read_only_once_submitted(client, personas, submitted):
    q1 = questions(dims(submitted)[0])[0]
    client.force_login(personas.lead_a)
    page = client.get(url("agree-dimension", submitted, "DIM1"))
    html = page.content.decode()
    assert "Save agreed answers" not in html and '<form method="post" novalidate>' not in html
    assert "waiting for sign-off" in html
    assert "Level 3 (Defined)" in html and "Agreed at the workshop" in html
    response = client.post(
        url("agree-dimension", submitted, "DIM1"), agree_post(q1, "5", version=1)
    )
    assert response.status_code == 200
    assert AgreedAnswer.objects.get(question=q1).level == 3
    assert (
        "The agreed answers can no longer change"
        in client.get(url("agree", submitted)).content.decode()
    )


def test_agreed_answers_are_read_only_when_the_round_has_closed(client, personas, assessment):
    q1 = questions(dims(assessment)[0])[0]
    AssessmentRound.objects.filter(pk=assessment.round_id).update(status=RoundStatus.CLOSED)
    client.force_login(personas.lead_a)
    page = client.get(url("agree-dimension", assessment, "DIM1"))
    assert "Save agreed answers" not in page.content.decode()
    assert "the round has closed" in page.content.decode()
    client.post(url("agree-dimension", assessment, "DIM1"), agree_post(q1, "5"))
    assert not AgreedAnswer.objects.exists()


# Submitting, signing off and returning -----------------------------------------------------


def test_submit_needs_every_agreed_answer(client, personas, assessment):
    agree(assessment, questions(dims(assessment)[0])[0], personas.lead_a, level(2))
    client.force_login(personas.lead_a)
    page = client.get(url("submit", assessment))
    html = page.content.decode()
    assert "Not agreed yet" in html and "Level 2 (Developing)" in html
    assert url("agree-dimension", assessment, "DIM1") in html
    response = client.post(url("submit", assessment))
    assert response.status_code == 200
    assert "Agree an answer to every question before you submit: 5 to go." in error_summary(
        response
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_the_lead_checks_scores_and_submits(client, personas, assessment):
    agree_all(assessment, personas.lead_a)
    first = questions(dims(assessment)[0])
    agree(assessment, first[0], personas.lead_a, level(5), expected_version=1)
    agree(assessment, first[1], personas.lead_a, NA, expected_version=1)
    client.force_login(personas.lead_a)
    page = client.get(url("submit", assessment))
    reviews = {r.dimension.code: r for r in page.context["reviews"]}
    # (5 + 3) / 2 with the not-applicable question left out.
    assert reviews["DIM1"].score == Decimal("4.0")
    assert reviews["DIM1"].band == "4 Embedded"
    assert reviews["DIM1"].coverage_percent == 100
    assert reviews["DIM2"].score == Decimal("3.0")
    assert "Submit for sign-off" in page.content.decode()

    response = client.post(url("submit", assessment))
    assert response.status_code == 302
    assert response["Location"] == url("overview", assessment)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.submitted_by) == (
        AssessmentStatus.SUBMITTED,
        personas.lead_a,
    )
    page = client.get(url("submit", assessment))
    html = page.content.decode()
    assert "You have submitted the assessment" in html
    assert "Submit for sign-off</button>" not in html
    assert "waiting for your chief executive" in html


def test_the_chief_executive_reviews_and_signs_off(client, personas, submitted):
    client.force_login(personas.executive_a)
    page = client.get(url("sign-off", submitted))
    html = page.content.decode()
    assert page.context["waiting"]
    assert "Approve and sign off" in html and "Return to the lead" in html
    assert "Waiting for sign-off" in html
    assert [r.score for r in page.context["reviews"]] == [Decimal("3.0"), Decimal("3.0")]
    assert html.count('class="govuk-details"') == 2
    assert personas.lead_a.get_full_name() in html

    response = client.post(url("sign-off", submitted), {"action": "approve"})
    assert response.status_code == 302
    assert response["Location"] == url("results", submitted)
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SIGNED_OFF
    assert DimensionScore.objects.filter(assessment=submitted).count() == 2
    page = client.get(url("results", submitted))
    assert "You have signed off the assessment" in page.content.decode()
    # Signed off: nothing more to approve.
    page = client.get(url("sign-off", submitted))
    assert not page.context["waiting"]
    assert "Approve and sign off" not in page.content.decode()
    response = client.post(url("sign-off", submitted), {"action": "approve"})
    assert response.status_code == 200
    assert "signed off" in error_summary(response)


def test_returning_needs_a_comment_which_the_lead_then_sees(client, personas, submitted):
    client.force_login(personas.executive_a)
    response = client.post(url("sign-off", submitted), {"action": "return", "comment": "   "})
    assert response.status_code == 200
    assert "Enter what the lead needs to change" in error_summary(response)
    assert 'href="#id_comment"' in error_summary(response)
    assert response.content.decode().count("<title>Error: ") == 1
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED

    response = client.post(
        url("sign-off", submitted),
        {"action": "return", "comment": "Check the cyber answers"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.IN_PROGRESS
    assert submitted.return_comment == "Check the cyber answers"
    page = client.get(url("sign-off", submitted))
    assert "nothing to sign off yet" in page.content.decode()

    client.force_login(personas.lead_a)
    for name in ("submit", "agree"):
        html = client.get(url(name, submitted)).content.decode()
        assert "Returned by your chief executive" in html
        assert "Check the cyber answers" in html
    # The lead can change answers again.
    q1 = questions(dims(submitted)[0])[0]
    response = client.post(
        url("agree-dimension", submitted, "DIM1"), agree_post(q1, "4", version=1)
    )
    assert response.status_code == 302
    assert AgreedAnswer.objects.get(question=q1).level == 4


def test_a_submit_that_is_not_waiting_cannot_be_signed_off(client, personas, assessment):
    client.force_login(personas.executive_a)
    page = client.get(url("sign-off", assessment))
    assert "nothing to sign off yet" in page.content.decode()
    response = client.post(url("sign-off", assessment), {"action": "approve"})
    assert response.status_code == 200
    assert "Only an assessment waiting for sign-off" in error_summary(response)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


# Results -----------------------------------------------------------------------------------


def test_results_wait_for_sign_off(client, personas, submitted):
    client.force_login(personas.officer_a)
    page = client.get(url("results", submitted))
    assert "Results appear after your chief executive signs the assessment off" in (
        page.content.decode()
    )
    assert page.context["rows"] == []


def test_results_show_the_frozen_scores(client, personas, assessment):
    first, second = dims(assessment)
    answer_all(assessment, personas.officer_a, level(2), submit=True)
    agree_all(assessment, personas.lead_a)
    for question, value in zip(questions(first), [level(4), level(4), level(5)], strict=True):
        agree(assessment, question, personas.lead_a, value, expected_version=1)
    agree(assessment, questions(second)[0], personas.lead_a, level(1), expected_version=1)
    services.assessment_submit(assessment=assessment, by=personas.lead_a)
    services.assessment_sign_off(assessment=assessment, by=personas.executive_a)

    client.force_login(personas.officer_a)
    page = client.get(url("results", assessment))
    rows = page.context["rows"]
    assert [(r["name"], r["score"], r["band"], r["coverage"]) for r in rows] == [
        ("Barrier 1", Decimal("4.3"), "4 Embedded", 100),
        ("Barrier 2", Decimal("2.3"), "2 Developing", 100),
    ]
    assert rows[0]["respondents"] == 1
    assert page.context["overall"] == Decimal("3.3")
    html = page.content.decode()
    assert "Highest: Barrier 1 4.3; lowest: Barrier 2 2.3." in html
    assert "3.3 out of 5" in html and "3 Defined" in html


# History and reopening ---------------------------------------------------------------------


def test_history_lists_changes_readably_newest_first(client, personas, assessment):
    q1 = questions(dims(assessment)[0])[0]
    agree(assessment, q1, personas.lead_a, level(2), rationale="Most said 2")
    agree(assessment, q1, personas.lead_a, NA, expected_version=1, rationale="Out of scope")
    client.force_login(personas.lead_a)
    page = client.get(url("history", assessment))
    events = page.context["events"]
    assert [e["event"].action for e in events] == [
        AuditAction.AGREED_ANSWER,
        AuditAction.AGREED_ANSWER,
        AuditAction.STARTED,
    ]
    assert (events[0]["before"]["text"], events[0]["after"]["text"]) == (
        "Level 2 (Developing)",
        "Not applicable",
    )
    assert events[0]["after"]["rationale"] == "Out of scope"
    html = page.content.decode()
    assert "Agreed answer changed" in html and "DIM1-01" in html
    assert personas.lead_a.get_full_name() in html


def test_history_shows_status_changes_and_pages_at_100(client, personas, signed_off):
    client.force_login(personas.staff)
    html = client.get(url("history", signed_off)).content.decode()
    assert "Waiting for sign-off" in html and "Signed off" in html
    assert url("reopen", signed_off) in html
    AuditEvent.objects.bulk_create(
        AuditEvent(assessment=signed_off, action=AuditAction.ASSIGNED, subject="DIM1")
        for _ in range(100)
    )
    total = AuditEvent.objects.filter(assessment=signed_off).count()
    first = client.get(url("history", signed_off))
    assert len(first.context["events"]) == 100
    second = client.get(url("history", signed_off) + "?page=2")
    assert len(second.context["events"]) == total - 100
    assert 'rel="prev"' in second.content.decode()


def test_staff_reopen_with_a_reason(client, personas, signed_off):
    client.force_login(personas.staff)
    response = client.post(url("reopen", signed_off), {"reason": ""})
    assert response.status_code == 200
    assert "Enter the reason for reopening" in error_summary(response)
    signed_off.refresh_from_db()
    assert signed_off.status == AssessmentStatus.SIGNED_OFF

    response = client.post(url("reopen", signed_off), {"reason": "The council found a typo"})
    assert response.status_code == 302
    assert response["Location"] == url("history", signed_off)
    signed_off.refresh_from_db()
    assert signed_off.status == AssessmentStatus.IN_PROGRESS
    assert not DimensionScore.objects.exists()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "You have reopened the assessment" in html
    assert "The council found a typo" in html and "Reopened" in html
    # Now there is nothing to reopen.
    page = client.get(url("reopen", signed_off))
    assert "Only a signed-off assessment can be reopened" in page.content.decode()
    response = client.post(url("reopen", signed_off), {"reason": "Again"})
    assert "Only a signed-off assessment can be reopened" in error_summary(response)


@pytest.mark.parametrize("who", ["lead_a", "executive_a", "officer_b"])
def test_only_staff_reopen(client, personas, signed_off, who):
    client.force_login(getattr(personas, who))
    response = client.post(url("reopen", signed_off), {"reason": "Please"})
    assert response.status_code == 404
    signed_off.refresh_from_db()
    assert signed_off.status == AssessmentStatus.SIGNED_OFF


# Query counts ------------------------------------------------------------------------------


@pytest.fixture
def full_size(personas):
    """The real shape: 9 dimensions of 6 questions, five officers answering, half agreed."""
    round_ = AssessmentRoundFactory(framework=small_framework(dimensions=9, questions=6))
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    officers = [personas.officer_a, personas.lead_a] + [
        member(personas.council_a, CouncilRole.OFFICER, f"o{n}@hartlepool.example", f"O {n}")
        for n in range(3)
    ]
    for n, officer in enumerate(officers):
        answer_all(assessment, officer, level(1 + n % 5, confidence="medium"), submit=n % 2 == 0)
    for dimension in dims(assessment):
        services.assignments_set(
            assessment=assessment, dimension=dimension, users=officers[:2], by=personas.lead_a
        )
        for question in questions(dimension)[:3]:
            agree(assessment, question, personas.lead_a, level(3), rationale="Agreed")
    return assessment


def _finish_agreeing(assessment, lead, *, sign_off_by=None):
    for dimension in dims(assessment):
        for question in questions(dimension)[3:]:
            agree(assessment, question, lead, level(2))
    services.assessment_submit(assessment=assessment, by=lead)
    if sign_off_by:
        services.assessment_sign_off(assessment=assessment, by=sign_off_by)


# Measured: 11, 11, 15 (assign shows how far each part is answered), 10, 11, 11, 9, 10, 7, 8, 7,
# 5 queries; none grows with the framework,
# the officers or the agreed answers. Saving a dimension is 38, nearly all in the service.
@pytest.mark.parametrize(
    "who, name, args, state, most",
    [
        ("lead_a", "progress", [], "in_progress", 13),
        ("executive_a", "progress", [], "in_progress", 13),
        ("lead_a", "assign", [], "in_progress", 15),
        ("lead_a", "agree", [], "in_progress", 12),
        ("lead_a", "agree-dimension", ["DIM5"], "in_progress", 13),
        ("lead_a", "agree-dimension", ["DIM5"], "submitted", 13),
        ("lead_a", "submit", [], "in_progress", 11),
        ("executive_a", "sign-off", [], "submitted", 12),
        ("officer_a", "results", [], "signed_off", 9),
        ("lead_a", "history", [], "signed_off", 10),
        ("staff", "history", [], "signed_off", 10),
        ("staff", "reopen", [], "signed_off", 7),
    ],
)
def test_pages_make_a_bounded_number_of_queries(
    client, personas, full_size, django_assert_max_num_queries, who, name, args, state, most
):
    if state != "in_progress":
        _finish_agreeing(
            full_size,
            personas.lead_a,
            sign_off_by=personas.executive_a if state == "signed_off" else None,
        )
    client.force_login(getattr(personas, who))
    with django_assert_max_num_queries(most):
        response = client.get(url(name, full_size, *args))
    assert response.status_code == 200


def test_saving_a_dimension_makes_a_bounded_number_of_queries(
    client, personas, full_size, django_assert_max_num_queries
):
    dimension = dims(full_size)[4]
    data = {}
    for n, question in enumerate(questions(dimension)):
        data.update(agree_post(question, "4", version=1 if n < 3 else 0))
    client.force_login(personas.lead_a)
    with django_assert_max_num_queries(45):
        response = client.post(url("agree-dimension", full_size, dimension.code), data)
    assert response.status_code == 302
    assert AgreedAnswer.objects.filter(question__dimension=dimension, level=4).count() == 6
