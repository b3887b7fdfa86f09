"""A barrier page's questions are drawn once a process for the answers they show
(assessments.forms.QuestionFieldset): the HTML must be what drawing them afresh gives."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django.core.cache import caches
from django.urls import reverse

from assessments.forms import DimensionAnswersForm
from assessments.models import Answer, AnswerStatus, Confidence
from assessments.tests.factories import dims, questions

pytestmark = pytest.mark.django_db


def form_html(dimension, answers=None, data=None) -> str:
    asked = list(dimension.questions.prefetch_related("descriptors").order_by("order"))
    return render_crispy_form(DimensionAnswersForm(asked, answers or {}, data=data))


def fresh(dimension, answers=None) -> str:
    caches["fragments"].clear()
    return form_html(dimension, answers)


def test_a_kept_question_is_the_html_drawn_afresh(assessment):
    dimension = dims(assessment)[0]
    first = questions(dimension)[0]
    answers = {
        first.pk: Answer(
            question=first,
            status=AnswerStatus.ANSWERED,
            level=3,
            confidence=Confidence.HIGH,
            evidence_note="Our strategy <2026> & plan",
        )
    }
    expected = fresh(dimension, answers)

    assert form_html(dimension, answers) == expected  # from the cache this time
    assert re.search(r'value="3" checked', expected)
    assert "Our strategy &lt;2026&gt; &amp; plan" in expected


def test_other_answers_draw_other_html(assessment):
    dimension = dims(assessment)[0]
    first = questions(dimension)[0]
    form_html(dimension)  # the blank form, kept

    level_2 = {first.pk: Answer(question=first, status=AnswerStatus.ANSWERED, level=2)}
    html = form_html(dimension, level_2)

    assert html == fresh(dimension, level_2)
    assert re.search(r'value="2" checked', html)


def test_changed_wording_is_drawn_anew(assessment):
    dimension = dims(assessment)[0]
    first = questions(dimension)[0]
    form_html(dimension)

    first.statement = "A reworded question"
    first.save()

    assert "A reworded question" in form_html(dimension)


def test_a_form_sent_back_with_errors_is_never_the_kept_html(client, personas, assessment):
    dimension = dims(assessment)[0]
    first = questions(dimension)[0]
    client.force_login(personas.officer_a)
    page = reverse("assessments:dimension", args=[assessment.pk, dimension.code])
    client.get(page)  # the blank questions, kept

    response = client.post(page, {f"q{first.pk}-answer": "9", "continue": ""})

    html = response.content.decode()
    assert "Select a level for" in html
    assert "govuk-form-group--error" in html


def test_a_bound_form_showing_the_kept_values_still_shows_its_errors(assessment):
    dimension = dimension_of(assessment)
    first = questions(dimension)[0]
    form_html(dimension, {first.pk: Answer(question=first, status=AnswerStatus.ANSWERED, level=3)})
    asked = list(dimension.questions.prefetch_related("descriptors").order_by("order"))
    # The question sent back exactly as it was shown, so only its error tells them apart.
    name = f"q{first.pk}"
    sent = DimensionAnswersForm(
        asked,
        {},
        data={
            f"{name}-answer": "3",
            f"{name}-confidence": "",
            f"{name}-note": "",
            f"{name}-link": "",
        },
    )
    sent.is_valid()
    sent.add_error(f"q{first.pk}-answer", "Saving failed for this question")

    assert "Saving failed for this question" in render_crispy_form(sent)


def dimension_of(assessment):
    return dims(assessment)[0]
