"""A council's own data out: who may download it, what each file holds (tidy, named, with the
agreed answers' reasons, officers' confidence and evidence, frozen scores and the plan),
neutralised cells, and the workbook's sheets."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import AgreedAnswer, AnswerStatus
from assessments.tests.factories import answered_assessment, dims, level, questions
from plans.tests.factories import planned_assessment
from reports.council_data import TABLES


@pytest.fixture
def assessment(personas):
    started = answered_assessment(
        council=personas.council_a,
        lead=personas.lead_a,
        officer=personas.officer_a,
        answer=level(3, evidence_note="=HYPERLINK('x')"),
    )
    first = dims(started)[0]
    AgreedAnswer.objects.create(
        assessment=started,
        question=questions(first)[0],
        status=AnswerStatus.ANSWERED,
        level=3,
        rationale="-2 teams disagree; we took the middle",
        updated_by=personas.lead_a,
    )
    return started


def url(name, assessment, **extra):
    return reverse(
        f"reports:{name}",
        kwargs={"gss_code": "E06000001", "round_slug": assessment.round.slug, **extra},
    )


def rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "analyst", "staff"])
def test_only_the_lead_and_chief_executive_download_it(client, personas, assessment, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(url("council-data", assessment)).status_code == 404
    assert client.get(url("council-data-csv", assessment, table="scores")).status_code == 404
    assert client.get(url("council-data-xlsx", assessment)).status_code == 404


@pytest.mark.parametrize("persona", ["lead_a", "executive_a"])
def test_the_page_documents_every_column(client, personas, assessment, persona):
    client.force_login(getattr(personas, persona))
    page = client.get(url("council-data", assessment)).content.decode()
    for table in TABLES:
        for column in table.columns:
            assert f"<code>{column.name}</code>" in page


def test_agreed_answers_carry_the_reason_and_text_is_neutralised(client, personas, assessment):
    client.force_login(personas.lead_a)

    [row] = rows(client.get(url("council-data-csv", assessment, table="agreed-answers")))

    assert row["level"] == "3" and row["answer"] == "answered"
    assert row["reason"] == "'-2 teams disagree; we took the middle"
    assert row["agreed_by"] == "Liam Lewis"


def test_officers_answers_are_named_with_confidence_and_evidence(client, personas, assessment):
    client.force_login(personas.executive_a)

    [row] = rows(client.get(url("council-data-csv", assessment, table="officer-answers")))

    assert row["officer"] == "Olivia Okafor" and row["officer_email"] == personas.officer_a.email
    assert row["evidence_note"].startswith("'=HYPERLINK")
    assert row["sent"] == "no"


def test_frozen_scores_and_the_plan(client, personas):
    signed = planned_assessment(
        council=personas.council_a,
        lead=personas.lead_a,
        owner=personas.officer_a,
        scores=["2.0", "4.0"],
    )
    client.force_login(personas.lead_a)

    scores = rows(client.get(url("council-data-csv", signed, table="scores")))
    plan = rows(client.get(url("council-data-csv", signed, table="plan")))

    assert [(r["barrier_code"], r["score"]) for r in scores][-1] == ("overall", "3.0")
    assert [r["score"] for r in scores[:-1]] == ["2.0", "4.0"]
    assert plan[0]["action"] == "Name a data owner" and plan[0]["target_level"] == "3"

    book = load_workbook(
        io.BytesIO(b"".join(client.get(url("council-data-xlsx", signed)).streaming_content))
    )
    assert book.sheetnames == [t.title for t in TABLES] + ["Columns"]
    assert book["Scores"].max_row == 1 + len(scores)
    header = [cell.value for cell in book["Plan"][1]]
    assert book["Plan"].cell(row=2, column=header.index("action") + 1).value == "Name a data owner"


def test_an_unknown_table_or_round_is_404(client, personas, assessment):
    client.force_login(personas.lead_a)
    assert client.get(url("council-data-csv", assessment, table="secrets")).status_code == 404
    assert (
        client.get(reverse("reports:council-data", args=["E06000001", "no-such-round"])).status_code
        == 404
    )
