"""The framework's content in Welsh (issue 19): the file carries the Welsh beside the English,
the Welsh is needed only where there is English (a file missing it is refused with the other
faults, test_framework_import's MISSING_WELSH), a published version's Welsh may be corrected
while its English may not, and the models give the text in the active language."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments.framework_import import FrameworkImportError, framework_import
from assessments.models import (
    AssessmentRound,
    Dimension,
    Framework,
    FrameworkStatus,
    LevelDescriptor,
    Question,
)
from assessments.outline import framework_outline
from assessments.tests.test_framework_import import (
    data_question,
    lead_question,
    small,
    write,
)
from core.translation import in_language

pytestmark = pytest.mark.django_db


def test_the_welsh_is_needed_only_where_there_is_english(tmp_path):
    # DATA has no description and DATA-01 no guidance, so neither needs Welsh.
    data = small()
    assert "description" not in data["dimensions"][1]
    assert "guidance" not in data_question(data)

    framework = framework_import(path=write(tmp_path, data)).framework

    data_dimension = framework.dimensions.get(code="DATA")
    assert (data_dimension.description_en, data_dimension.description_cy) == ("", "")


def test_every_missing_welsh_text_is_reported_at_once(tmp_path):
    data = small()
    lead_question(data).pop("statement_cy")
    lead_question(data, 1).pop("levels_cy")
    data["dimensions"][1].pop("name_cy")

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems == [
        "Question LEAD-01: statement_cy is missing (the Welsh for statement).",
        "Question LEAD-02: levels_cy is missing (the Welsh for levels).",
        "Dimension DATA: name_cy is missing (the Welsh for name).",
    ]


def test_the_welsh_is_stored_beside_the_english(tmp_path):
    framework = framework_import(path=write(tmp_path, small())).framework

    assert (framework.name_en, framework.name_cy) == ("Test framework", "Fframwaith prawf")
    assert framework.description_cy == "Ar gyfer profion."
    lead = framework.dimensions.get(code="LEAD")
    assert (lead.name_en, lead.name_cy) == (
        "Leadership and strategy",
        "Arweinyddiaeth a strategaeth",
    )
    question = Question.objects.get(code="LEAD-01")
    assert question.statement_cy == "Mae digidol yn y cynllun"
    assert question.guidance_cy == "Sut olwg sydd ar arfer da: mae."
    assert [(d.description_en, d.description_cy) for d in question.descriptors.order_by("level")][
        2
    ] == ("LEAD-01: what you see at level 3.", "LEAD-01: beth a welwch ar lefel 3.")
    assert framework.welsh_updated_at is not None


# A published version's Welsh may be corrected; its English may not ---------------------


def corrected_welsh(data: dict[str, Any]) -> dict[str, Any]:
    lead_question(data)["statement_cy"] = "Mae digidol yn rhan o'r cynllun"
    lead_question(data, 1)["levels_cy"][3] = "LEAD-02: lefel 3, wedi'i chywiro."
    data["dimensions"][1]["name_cy"] = "Rhannu data a'i ddefnyddio"
    data["description_cy"] = "Ar gyfer y profion."
    return data


def test_a_welsh_correction_to_a_published_version_is_applied(tmp_path):
    first = framework_import(path=write(tmp_path, small(status="published"))).framework
    ids = set(Question.objects.values_list("pk", flat=True))
    descriptor_ids = set(LevelDescriptor.objects.values_list("pk", flat=True))

    result = framework_import(path=write(tmp_path, corrected_welsh(small(status="published"))))

    framework = Framework.objects.get()
    assert not result.created and not result.unchanged
    assert result.welsh_changes == (
        "The framework: description_cy",
        "Question LEAD-01: statement_cy",
        "Question LEAD-02: level 3 in levels_cy",
        "Dimension DATA: name_cy",
    )
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.published_at == first.published_at
    assert framework.welsh_updated_at > first.welsh_updated_at
    assert framework.description_cy == "Ar gyfer y profion."
    assert Dimension.objects.get(code="DATA").name_cy == "Rhannu data a'i ddefnyddio"
    question = Question.objects.get(code="LEAD-01")
    assert question.statement_cy == "Mae digidol yn rhan o'r cynllun"
    assert question.statement_en == "Digital is in the plan"
    assert LevelDescriptor.objects.get(question__code="LEAD-02", level=3).description_cy == (
        "LEAD-02: lefel 3, wedi'i chywiro."
    )
    # Corrected in place: nothing was recreated, so answers keep their questions.
    assert set(Question.objects.values_list("pk", flat=True)) == ids
    assert set(LevelDescriptor.objects.values_list("pk", flat=True)) == descriptor_ids
    again = framework_import(path=write(tmp_path, corrected_welsh(small(status="published"))))
    assert again.unchanged


def test_welsh_is_added_to_a_version_imported_before_there_was_welsh(tmp_path):
    framework_import(path=write(tmp_path, small(status="published")))
    # As the migration leaves rows imported in English only.
    Framework.objects.update(name_cy="", description_cy="")
    Dimension.objects.update(name_cy="", description_cy="")
    Question.objects.update(statement_cy="", guidance_cy="")
    LevelDescriptor.objects.update(description_cy="")

    result = framework_import(path=write(tmp_path, small(status="published")))

    assert len(result.welsh_changes) == 2 + 3 + 3 * 2 - 1 + 3 * 5  # DATA-01 has no guidance
    assert Question.objects.get(code="DATA-01").statement_cy == "Caiff data ei gadw unwaith"
    assert LevelDescriptor.objects.filter(description_cy="").count() == 0


def test_an_english_change_to_a_published_version_is_still_refused(tmp_path):
    framework_import(path=write(tmp_path, small(status="published")))
    data = corrected_welsh(small(status="published"))
    lead_question(data)["statement"] = "Digital is in the corporate plan"

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems == [
        "test-framework version 1 is published and cannot change; make version 2.",
        "Question LEAD-01: the file changes its statement.",
    ]
    # All or nothing: the Welsh in the same file was not applied either.
    question = Question.objects.get(code="LEAD-01")
    assert question.statement_en == "Digital is in the plan"
    assert question.statement_cy == "Mae digidol yn y cynllun"
    assert Framework.objects.get().description_cy == "Ar gyfer profion."


def test_a_welsh_correction_to_a_draft_used_by_a_round_is_applied(tmp_path):
    framework = framework_import(path=write(tmp_path, small())).framework
    AssessmentRound.objects.create(
        name="2026 to 2027",
        slug="2026-2027",
        framework=framework,
        opens_on=datetime.date(2026, 4, 1),
        closes_on=datetime.date(2027, 3, 31),
    )
    ids = set(Question.objects.values_list("pk", flat=True))

    result = framework_import(path=write(tmp_path, corrected_welsh(small())))

    assert len(result.welsh_changes) == 4
    assert set(Question.objects.values_list("pk", flat=True)) == ids
    assert Question.objects.get(code="LEAD-01").statement_cy == "Mae digidol yn rhan o'r cynllun"


def test_the_command_says_the_welsh_was_updated(tmp_path):
    call_command(
        "import_framework", str(write(tmp_path, small(status="published"))), stdout=StringIO()
    )
    out = StringIO()

    call_command(
        "import_framework",
        str(write(tmp_path, corrected_welsh(small(status="published")))),
        stdout=out,
        stderr=StringIO(),
    )

    assert out.getvalue().splitlines() == [
        "test-framework v1: Welsh updated in 4 places; the English is unchanged.",
        "  The framework: description_cy",
        "  Question LEAD-01: statement_cy",
        "  Question LEAD-02: level 3 in levels_cy",
        "  Dimension DATA: name_cy",
    ]


# The models give the text in the active language ---------------------------------------


def test_the_text_is_in_the_active_language(tmp_path):
    framework = framework_import(path=write(tmp_path, small())).framework
    dimension = framework.dimensions.get(code="LEAD")
    question = Question.objects.get(code="LEAD-01")
    descriptor = question.descriptors.get(level=2)

    with translation.override("cy"):
        assert framework.name == "Fframwaith prawf"
        assert framework.description == "Ar gyfer profion."
        assert dimension.name == "Arweinyddiaeth a strategaeth"
        assert dimension.description == "Arwain."
        assert question.statement == "Mae digidol yn y cynllun"
        assert question.guidance == "Sut olwg sydd ar arfer da: mae."
        assert descriptor.description == "LEAD-01: beth a welwch ar lefel 2."
        assert str(dimension) == "Arweinyddiaeth a strategaeth"
    for language in ("en-gb", "en"):
        with translation.override(language):
            assert framework.name == "Test framework"
            assert dimension.name == "Leadership and strategy"
            assert question.statement == "Digital is in the plan"
            assert question.guidance == "What good looks like: it is."
            assert descriptor.description == "LEAD-01: what you see at level 2."


def test_blank_welsh_falls_back_to_the_english():
    framework = Framework.objects.create(slug="old", name="Old framework", version=1)
    dimension = Dimension.objects.create(framework=framework, code="OLD", name="Old", order=1)
    question = Question.objects.create(
        framework=framework, dimension=dimension, code="OLD-01", statement="Old", order=1
    )
    descriptor = LevelDescriptor.objects.create(question=question, level=1, description="One")

    with translation.override("cy"):
        assert framework.name == "Old framework"
        assert framework.description == ""
        assert dimension.name == "Old"
        assert question.statement == "Old"
        assert question.guidance == ""
        assert descriptor.description == "One"


def test_setting_the_text_sets_the_english():
    dimension = Dimension(code="NEW", name="New", description="About it", name_cy="Newydd")

    assert (dimension.name_en, dimension.description_en) == ("New", "About it")
    with translation.override("cy"):
        dimension.name = "Renamed"
        assert dimension.name == "Newydd"
    assert dimension.name_en == "Renamed"
    assert dimension.name_cy == "Newydd"


def test_in_language_picks_the_welsh_only_when_welsh_is_active_and_there_is_some():
    with translation.override("cy"):
        assert in_language("Leading", "Arwain") == "Arwain"
        assert in_language("Leading", "") == "Leading"
        assert in_language("Leading", None) == "Leading"
    with translation.override("en-gb"):
        assert in_language("Leading", "Arwain") == "Leading"


# The outline kept in each process shows a Welsh correction at once ---------------------


def statement_in_welsh(framework: Framework, code: str) -> str:
    with translation.override("cy"):
        for dimension in framework_outline(framework):
            for question in dimension.questions.all():
                if question.code == code:
                    return question.statement
    raise AssertionError(code)


def test_the_outline_shows_a_welsh_correction_at_once(tmp_path):
    framework = framework_import(path=write(tmp_path, small(status="published"))).framework
    framework = Framework.objects.get(pk=framework.pk)
    assert statement_in_welsh(framework, "LEAD-01") == "Mae digidol yn y cynllun"
    with CaptureQueriesContext(connection) as kept:
        statement_in_welsh(Framework.objects.get(pk=framework.pk), "LEAD-01")
    assert len(kept) == 1  # the framework itself; the outline was kept

    framework_import(path=write(tmp_path, corrected_welsh(small(status="published"))))

    # Another request loads the framework afresh, with the assessment.
    fresh = Framework.objects.get(pk=framework.pk)
    assert statement_in_welsh(fresh, "LEAD-01") == "Mae digidol yn rhan o'r cynllun"
    with translation.override("en-gb"):
        assert framework_outline(fresh)[0].questions.all()[0].statement == (
            "Digital is in the plan"
        )
