"""Personal data rights, tried as an officer asking to be forgotten would: staff erase a person
who answered (no ProtectedError), their answers stay as "Former officer N" with the scores
unchanged, and their name and email go from plans, plan history, sharing offers and emails; a
person asks from "Your account" and downloads everything held about them."""

import csv
import io
import json

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.models import ErasureRequest, User
from assessments import services as assessment_services
from assessments.models import Response
from assessments.tests.factories import AssessmentRoundFactory, dims, level, questions
from notifications.models import OutboxEmail
from plans.models import Action, PlanEvent, SharingOffer
from plans.tests.factories import target_with_action


@pytest.fixture
def answered(personas):
    """Council A's assessment with answers from the officer and from the lead."""
    round_ = AssessmentRoundFactory()
    assessment = assessment_services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first = dims(assessment)[0]
    for person, chosen in ((personas.officer_a, 2), (personas.lead_a, 4)):
        response = assessment_services.response_for(assessment=assessment, user=person)
        assessment_services.answers_save(
            response=response, dimension=first, answers={questions(first)[0].pk: level(chosen)}
        )
    return assessment


def erase_page(person) -> str:
    return reverse("accounts:person-erase", args=[person.pk])


def test_deleting_someone_who_answered_is_still_refused_outside_erasure(personas, answered):
    with pytest.raises(ProtectedError):
        personas.officer_a.delete()


def test_staff_erase_an_officer_and_their_answers_stay_under_a_label(client, personas, answered):
    client.force_login(personas.staff)
    page = client.get(erase_page(personas.officer_a)).content.decode()
    assert personas.officer_a.email in page

    wrong = client.post(erase_page(personas.officer_a), {"email": "someone@else.example"})
    assert "does not match this account" in wrong.content.decode()
    assert User.objects.filter(pk=personas.officer_a.pk).exists()

    done = client.post(erase_page(personas.officer_a), {"email": personas.officer_a.email})

    assert done.status_code == 302
    assert not User.objects.filter(email=personas.officer_a.email).exists()
    erased = Response.objects.get(assessment=answered, respondent__isnull=True)
    assert erased.respondent_label == "Former officer 1"
    assert erased.answers.get().level == 2
    # The lead's agree page shows the answer under the label, and never the old name.
    client.force_login(personas.lead_a)
    first = dims(answered)[0]
    agree = client.get(reverse("assessments:agree-dimension", args=[answered.pk, first.code]))
    assert "Former officer 1" in agree.content.decode()
    assert "Olivia Okafor" not in agree.content.decode()
    progress = client.get(reverse("assessments:progress", args=[answered.pk])).content.decode()
    assert "Former officer 1" in progress and "Olivia Okafor" not in progress


def test_the_second_person_erased_from_an_assessment_is_former_officer_2(personas, answered):
    from accounts import services

    services.person_erase(user=personas.officer_a, by=personas.staff)
    services.person_erase(user=personas.lead_a, by=personas.staff)

    labels = sorted(
        Response.objects.filter(assessment=answered).values_list("respondent_label", flat=True)
    )
    assert labels == ["Former officer 1", "Former officer 2"]


def test_plans_history_offers_and_emails_lose_the_name_and_address(personas, answered):
    from accounts import services
    from assessments.tests.factories import scored_assessment

    officer = personas.officer_a
    round_ = AssessmentRoundFactory(framework=answered.round.framework)
    signed = scored_assessment(
        council=personas.council_a, round=round_, scores={d: "2.0" for d in dims(answered)}
    )
    target = target_with_action(
        signed,
        by=personas.lead_a,
        dimension=dims(signed)[0],
        owner=officer,
        description="Map the data we hold",
        level=4,
    )
    SharingOffer.objects.create(
        council=personas.council_a,
        dimension_code="DIM1",
        contact_name="Olivia Okafor",
        contact_email=officer.email,
        created_by=personas.lead_a,
    )
    OutboxEmail.objects.create(
        key="test-email", user=officer, to_email=officer.email, subject="Hello Olivia"
    )

    services.person_erase(user=officer, by=personas.staff)

    action = Action.objects.get(target=target)
    assert action.owner is None and action.owner_name == "A former team member"
    history = json.dumps([[e.before, e.after] for e in PlanEvent.objects.all()])
    assert "Olivia Okafor" not in history and officer.email not in history
    offer = SharingOffer.objects.get()
    assert offer.contact_email == "" and offer.withdrawn_at is not None
    assert not OutboxEmail.objects.filter(to_email=officer.email).exists()


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "analyst"])
def test_only_staff_erase(client, personas, answered, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(erase_page(personas.officer_b)).status_code == 404
    assert client.get(reverse("accounts:erasure-requests")).status_code == 404


def test_staff_cannot_erase_themselves(client, personas):
    client.force_login(personas.staff)
    response = client.post(erase_page(personas.staff), {"email": personas.staff.email})
    assert "You cannot erase your own account" in response.content.decode()


def test_a_person_asks_to_be_erased_and_staff_see_the_request(client, personas):
    client.force_login(personas.officer_a)
    client.post(reverse("accounts:erasure-ask"))
    client.post(reverse("accounts:erasure-ask"))  # asking twice is one request
    assert ErasureRequest.objects.filter(user=personas.officer_a).count() == 1
    assert (
        "You asked for your account to be erased"
        in client.get(reverse("accounts:erasure-ask")).content.decode()
    )

    client.force_login(personas.staff)
    listed = client.get(reverse("accounts:erasure-requests")).content.decode()
    assert personas.officer_a.email in listed and erase_page(personas.officer_a) in listed


def test_a_person_downloads_everything_held_about_them(client, personas, answered):
    client.force_login(personas.officer_a)

    document = json.loads(client.get(reverse("portal:your-data-json")).content)
    table = list(
        csv.DictReader(io.StringIO(client.get(reverse("portal:your-data-csv")).content.decode()))
    )

    assert document["account"][0]["email"] == personas.officer_a.email
    assert document["council_roles"][0]["council"] == "Hartlepool Borough Council"
    assert [a["level"] for a in document["your_answers"]] == [2]
    # Nobody else's answers, and no secret.
    assert all(a["level"] != 4 for a in document["your_answers"])
    text = json.dumps(document)
    assert '"password"' not in text and "pbkdf2" not in text and "md5" not in text
    assert {
        "section": "account",
        "item": "1",
        "field": "email",
        "value": personas.officer_a.email,
    } in table


def test_the_record_of_who_was_asked_to_answer_loses_the_address(personas, answered):
    from accounts import services
    from assessments.models import AuditEvent

    assessment_services.assignments_set(
        assessment=answered,
        dimension=dims(answered)[0],
        users=[personas.officer_a],
        by=personas.lead_a,
    )
    assert personas.officer_a.email in json.dumps(
        [[e.before, e.after] for e in AuditEvent.objects.filter(assessment=answered)]
    )

    services.person_erase(user=personas.officer_a, by=personas.staff)

    record = json.dumps([[e.before, e.after, e.note] for e in AuditEvent.objects.all()])
    assert personas.officer_a.email not in record and "Former officer 1" in record


def test_the_admin_page_of_a_person_links_to_erasing_them(client, personas):
    client.force_login(personas.staff)
    page = client.get(reverse("admin:accounts_user_change", args=[personas.officer_a.pk]))
    assert erase_page(personas.officer_a) in page.content.decode()
