import copy
import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.framework_import import (
    DEFAULT_FRAMEWORK_DIR,
    FrameworkImportError,
    framework_import,
)
from assessments.models import (
    AssessmentRound,
    Dimension,
    Framework,
    FrameworkStatus,
    LevelDescriptor,
    Question,
)

pytestmark = pytest.mark.django_db

SHIPPED = DEFAULT_FRAMEWORK_DIR / "council-digital-maturity-v1.yaml"


def shipped_data() -> dict[str, Any]:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def levels(prefix: str) -> dict[int, str]:
    return {level: f"{prefix}: what you see at level {level}." for level in range(1, 6)}


def levels_cy(prefix: str) -> dict[int, str]:
    return {level: f"{prefix}: beth a welwch ar lefel {level}." for level in range(1, 6)}


def small(*, version: int = 1, status: str = "draft") -> dict[str, Any]:
    """A framework with two dimensions: LEAD (2 questions) and DATA (1), in English and
    Welsh."""
    return {
        "slug": "test-framework",
        "name": "Test framework",
        "name_cy": "Fframwaith prawf",
        "version": version,
        "status": status,
        "description": "For tests.",
        "description_cy": "Ar gyfer profion.",
        "dimensions": [
            {
                "code": "LEAD",
                "name": "Leadership and strategy",
                "name_cy": "Arweinyddiaeth a strategaeth",
                "description": "Leading.",
                "description_cy": "Arwain.",
                "questions": [
                    {
                        "code": "LEAD-01",
                        "statement": "Digital is in the plan",
                        "statement_cy": "Mae digidol yn y cynllun",
                        "guidance": "What good looks like: it is.",
                        "guidance_cy": "Sut olwg sydd ar arfer da: mae.",
                        "levels": levels("LEAD-01"),
                        "levels_cy": levels_cy("LEAD-01"),
                    },
                    {
                        "code": "LEAD-02",
                        "statement": "A leader owns digital",
                        "statement_cy": "Mae arweinydd yn berchen ar ddigidol",
                        "guidance": "What good looks like: one does.",
                        "guidance_cy": "Sut olwg sydd ar arfer da: mae un.",
                        "levels": levels("LEAD-02"),
                        "levels_cy": levels_cy("LEAD-02"),
                    },
                ],
            },
            {
                "code": "DATA",
                "name": "Data sharing and use",
                "name_cy": "Rhannu a defnyddio data",
                "questions": [
                    {
                        "code": "DATA-01",
                        "statement": "Data is held once",
                        "statement_cy": "Caiff data ei gadw unwaith",
                        "levels": levels("DATA-01"),
                        "levels_cy": levels_cy("DATA-01"),
                    },
                ],
            },
        ],
    }


def write(tmp_path: Path, data: Any, name: str = "framework.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def row_counts() -> tuple[int, int, int, int]:
    return (
        Framework.objects.count(),
        Dimension.objects.count(),
        Question.objects.count(),
        LevelDescriptor.objects.count(),
    )


def make_round(framework: Framework) -> AssessmentRound:
    return AssessmentRound.objects.create(
        name="2026 to 2027",
        slug="2026-2027",
        framework=framework,
        opens_on=datetime.date(2026, 4, 1),
        closes_on=datetime.date(2027, 3, 31),
    )


# The shipped framework -----------------------------------------------------------------


def test_the_shipped_framework_imports_as_published():
    result = framework_import(path=SHIPPED)

    framework = result.framework
    assert result.created and not result.unchanged
    assert (framework.slug, framework.version) == ("council-digital-maturity", 1)
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.published_at is not None
    dimensions = list(framework.dimensions.order_by("order"))
    assert [d.code for d in dimensions] == [
        "LEAD",
        "PROC",
        "CULT",
        "DATA",
        "SKIL",
        "TECH",
        "INCL",
        "CYBR",
        "COLL",
    ]
    assert [d.order for d in dimensions] == list(range(1, 10))
    for dimension in dimensions:
        questions = list(dimension.questions.order_by("order"))
        assert 5 <= len(questions) <= 7, dimension.code
        assert [q.order for q in questions] == list(range(1, len(questions) + 1))
        assert all(q.framework_id == framework.pk for q in questions)
    for question in framework.questions.prefetch_related("descriptors"):
        assert [d.level for d in question.descriptors.all()] == [1, 2, 3, 4, 5], question.code
    question_count = framework.questions.count()
    assert LevelDescriptor.objects.filter(question__framework=framework).count() == (
        5 * question_count
    )


def test_importing_the_same_file_again_changes_nothing(django_assert_max_num_queries):
    first = framework_import(path=SHIPPED)
    before = row_counts()

    with django_assert_max_num_queries(8):
        again = framework_import(path=SHIPPED)

    assert again.unchanged and not again.created
    assert again.framework.pk == first.framework.pk
    assert row_counts() == before
    again.framework.refresh_from_db()
    assert again.framework.published_at == first.framework.published_at


def test_text_is_stored_without_surrounding_whitespace():
    framework = framework_import(path=SHIPPED).framework

    question = framework.questions.get(code="LEAD-01")
    assert question.statement == "Digital is part of the council's corporate strategy"
    assert question.guidance.startswith("What good looks like: ")
    assert not question.guidance.endswith(("\n", " "))
    assert question.descriptors.get(level=1).description == (
        "Digital is not mentioned in the corporate plan. Digital work happens as one-off pilots."
    )


# Published versions never change -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "difference"),
    [
        (
            lambda d: d["dimensions"][0]["questions"][0]["levels"].update({3: "Changed."}),
            "Question LEAD-01: the file changes level 3.",
        ),
        (
            lambda d: d["dimensions"][1]["questions"][0].update(statement="Changed"),
            "Question PROC-01: the file changes its statement.",
        ),
        (
            lambda d: d["dimensions"][2]["questions"].pop(),
            "Dimension CULT: the file's questions are CULT-01, CULT-02, CULT-03, CULT-04, "
            "CULT-05; the published version has CULT-01, CULT-02, CULT-03, CULT-04, "
            "CULT-05, CULT-06.",
        ),
        (
            lambda d: d.update(status="draft"),
            "The file changes the status from published to draft.",
        ),
        (
            lambda d: d["dimensions"][8].update(name="Working together"),
            "Dimension COLL: the file changes its name.",
        ),
    ],
)
def test_a_published_version_cannot_change(tmp_path, change, difference):
    framework_import(path=SHIPPED)
    before = row_counts()
    data = shipped_data()
    change(data)

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems[0] == (
        "council-digital-maturity version 1 is published and cannot change; make version 2."
    )
    assert difference in caught.value.problems
    assert row_counts() == before
    assert Question.objects.get(code="PROC-01").statement == (
        "Buying technology does not hold up digital projects"
    )
    assert Framework.objects.get().status == FrameworkStatus.PUBLISHED


def test_the_published_refusal_names_the_next_free_version(tmp_path):
    framework_import(path=write(tmp_path, small(status="published"), "v1.yaml"))
    framework_import(path=write(tmp_path, small(version=2, status="published"), "v2.yaml"))
    edited = small(status="published")
    edited["name"] = "Renamed"

    with pytest.raises(FrameworkImportError, match="version 1 is published .*make version 3"):
        framework_import(path=write(tmp_path, edited, "v1-edited.yaml"))


# Drafts --------------------------------------------------------------------------------


def test_a_draft_is_replaced_by_its_file(tmp_path):
    first = framework_import(path=write(tmp_path, small()))
    assert first.created
    assert first.framework.published_at is None
    data = small()
    lead = data["dimensions"][0]
    lead["questions"][0]["statement"] = "Digital is in the corporate plan"
    lead["questions"][0]["levels"][5] = "Digital leads the plan."
    del lead["questions"][1]
    data["dimensions"].reverse()

    result = framework_import(path=write(tmp_path, data))

    assert not result.created and not result.unchanged
    assert result.framework.pk == first.framework.pk
    assert [d.code for d in result.framework.dimensions.order_by("order")] == ["DATA", "LEAD"]
    assert list(result.framework.questions.values_list("code", flat=True)) == [
        "DATA-01",
        "LEAD-01",
    ]
    question = Question.objects.get(code="LEAD-01")
    assert question.statement == "Digital is in the corporate plan"
    assert question.descriptors.get(level=5).description == "Digital leads the plan."
    assert row_counts() == (1, 2, 2, 10)


def test_a_draft_is_promoted_to_published_without_recreating_it(tmp_path):
    framework_import(path=write(tmp_path, small()))
    question_ids = set(Question.objects.values_list("pk", flat=True))

    result = framework_import(path=write(tmp_path, small(status="published")))

    framework = result.framework
    framework.refresh_from_db()
    assert not result.created and not result.unchanged
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.published_at is not None
    assert set(Question.objects.values_list("pk", flat=True)) == question_ids
    assert framework_import(path=write(tmp_path, small(status="published"))).unchanged


def test_a_draft_used_by_a_round_cannot_change(tmp_path):
    framework = framework_import(path=write(tmp_path, small())).framework
    make_round(framework)
    before = row_counts()
    data = small()
    data["dimensions"][0]["questions"][0]["statement"] = "Changed"

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems == [
        "test-framework version 1 is a draft used by the assessment round 2026 to 2027, "
        "so its questions cannot change; make version 2."
    ]
    assert row_counts() == before
    assert Question.objects.get(code="LEAD-01").statement == "Digital is in the plan"


def test_a_draft_used_by_a_round_can_still_be_published(tmp_path):
    framework = framework_import(path=write(tmp_path, small())).framework
    make_round(framework)

    framework_import(path=write(tmp_path, small(status="published")))

    framework.refresh_from_db()
    assert framework.is_published


def test_a_draft_whose_questions_a_later_version_replaces_cannot_change(tmp_path):
    framework_import(path=write(tmp_path, small(), "v1.yaml"))
    later = small(version=2)
    later["dimensions"][0]["questions"][0]["replaces"] = "LEAD-01"
    framework_import(path=write(tmp_path, later, "v2.yaml"))
    edited = small()
    edited["dimensions"][1]["questions"][0]["statement"] = "Changed"

    with pytest.raises(FrameworkImportError, match="draft whose questions version 2 replaces"):
        framework_import(path=write(tmp_path, edited, "v1.yaml"))


# Malformed files -----------------------------------------------------------------------


def lead_question(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return data["dimensions"][0]["questions"][index]


def data_question(data: dict[str, Any]) -> dict[str, Any]:
    return data["dimensions"][1]["questions"][0]


def set_levels(value: Any):
    return lambda d: lead_question(d).update(levels=value)


MALFORMED = [
    (
        "no statement",
        lambda d: lead_question(d).pop("statement"),
        "Question LEAD-01 has no statement.",
    ),
    (
        "empty statement",
        lambda d: lead_question(d).update(statement="  "),
        "Question LEAD-01: statement is empty.",
    ),
    (
        "statement not text",
        lambda d: lead_question(d).update(statement=["a", "b"]),
        "Question LEAD-01: statement must be text, not a list.",
    ),
    (
        "statement too long",
        lambda d: lead_question(d).update(statement="x" * 301),
        "Question LEAD-01: statement is 301 characters long; the limit is 300.",
    ),
    (
        "no levels",
        lambda d: lead_question(d).pop("levels"),
        "Question LEAD-01 has no levels.",
    ),
    (
        "four levels",
        lambda d: lead_question(d)["levels"].pop(5),
        "Question LEAD-01: levels must be exactly 1, 2, 3, 4 and 5; the file has 1, 2, 3, 4.",
    ),
    (
        "levels from 0",
        set_levels({n: f"Level {n}." for n in range(0, 5)}),
        "Question LEAD-01: levels must be exactly 1, 2, 3, 4 and 5; the file has 0, 1, 2, 3, 4.",
    ),
    (
        "six levels",
        lambda d: lead_question(d)["levels"].update({6: "Beyond."}),
        "Question LEAD-01: levels must be exactly 1, 2, 3, 4 and 5; the file has 1, 2, 3, 4, 5, 6.",
    ),
    (
        "levels as text keys",
        set_levels({str(n): f"Level {n}." for n in range(1, 6)}),
        "Question LEAD-01: levels must be exactly 1, 2, 3, 4 and 5; the file has 1, 2, 3, 4, 5.",
    ),
    (
        "levels as a list",
        set_levels(["a", "b", "c", "d", "e"]),
        "Question LEAD-01: levels must be a mapping of 1, 2, 3, 4 and 5 to descriptions.",
    ),
    (
        "empty level",
        lambda d: lead_question(d)["levels"].update({3: ""}),
        "Question LEAD-01: level 3 is empty.",
    ),
    (
        "level not text",
        lambda d: lead_question(d)["levels"].update({2: 2}),
        "Question LEAD-01: level 2 must be text, not the number 2.",
    ),
    (
        "level left blank",
        lambda d: lead_question(d)["levels"].update({2: None}),
        "Question LEAD-01: level 2 is empty.",
    ),
    (
        "two levels the same",
        lambda d: lead_question(d)["levels"].update({4: "Same.", 5: "Same."}),
        "Question LEAD-01: two levels have the same description.",
    ),
    (
        "question code without two digits",
        lambda d: lead_question(d).update(code="LEAD-1"),
        "Question LEAD-1: the code must be its dimension's code, a hyphen and two digits, "
        "like LEAD-01.",
    ),
    (
        "question code of another dimension",
        lambda d: lead_question(d).update(code="DATA-09"),
        "Question DATA-09: the code must start with its dimension's code, like LEAD-01.",
    ),
    (
        "question without a code",
        lambda d: lead_question(d, 1).pop("code"),
        "Dimension LEAD, question 2 has no code.",
    ),
    (
        "duplicate question code in one dimension",
        lambda d: lead_question(d, 1).update(code="LEAD-01"),
        "Question LEAD-01 appears more than once.",
    ),
    (
        "duplicate dimension code",
        lambda d: d["dimensions"][1].update(
            code="LEAD", questions=[{**lead_question(d, 1), "code": "LEAD-03"}]
        ),
        "Dimension LEAD appears more than once.",
    ),
    (
        "unknown question key",
        lambda d: lead_question(d).update(guidence="Typo."),
        "Question LEAD-01 has unknown key guidence; expected only code, guidance, "
        "guidance_cy, levels, levels_cy, replaces, statement, statement_cy.",
    ),
    (
        "bad replaces",
        lambda d: lead_question(d).update(replaces="lead one"),
        "Question LEAD-01: replaces must name a question code like LEAD-01, not “lead one”.",
    ),
    (
        "bad dimension code",
        lambda d: d["dimensions"][0].update(code="Lead"),
        "Dimension 1: code “Lead” must be 3 or 4 capital letters, like LEAD.",
    ),
    (
        "dimension without a name",
        lambda d: d["dimensions"][1].pop("name"),
        "Dimension DATA has no name.",
    ),
    (
        "dimension with no questions",
        lambda d: d["dimensions"][1].update(questions=[]),
        "Dimension DATA: questions must be a list with at least one question.",
    ),
    (
        "question not a mapping",
        lambda d: d["dimensions"][1]["questions"].append("DATA-02"),
        "Dimension DATA, question 2 must be a mapping with code, statement and levels.",
    ),
    (
        "no dimensions",
        lambda d: d.update(dimensions=[]),
        "The framework: dimensions must be a list with at least one dimension.",
    ),
    ("missing slug", lambda d: d.pop("slug"), "The framework has no slug."),
    (
        "bad slug",
        lambda d: d.update(slug="Test Framework"),
        "The framework: slug “Test Framework” must be lower-case letters, digits and hyphens, "
        "like council-digital-maturity.",
    ),
    (
        "version 0",
        lambda d: d.update(version=0),
        "The framework: version must be a positive whole number, not the number 0.",
    ),
    (
        "version as text",
        lambda d: d.update(version="one"),
        "The framework: version must be a positive whole number, not “one”.",
    ),
    (
        "version as yes",
        lambda d: d.update(version=True),
        "The framework: version must be a positive whole number, not “true”.",
    ),
    (
        "unknown status",
        lambda d: d.update(status="live"),
        "The framework: status must be draft or published, not “live”.",
    ),
]

# A text whose Welsh is missing is refused like any other fault in the file (issue 19).
MISSING_WELSH = [
    (
        "question statement",
        lambda d: lead_question(d, 1).pop("statement_cy"),
        "Question LEAD-02: statement_cy is missing (the Welsh for statement).",
    ),
    (
        "question guidance",
        lambda d: lead_question(d).pop("guidance_cy"),
        "Question LEAD-01: guidance_cy is missing (the Welsh for guidance).",
    ),
    (
        "question levels",
        lambda d: data_question(d).pop("levels_cy"),
        "Question DATA-01: levels_cy is missing (the Welsh for levels).",
    ),
    (
        "one Welsh level empty",
        lambda d: lead_question(d)["levels_cy"].update({4: " "}),
        "Question LEAD-01: level 4 in levels_cy is empty.",
    ),
    (
        "four Welsh levels",
        lambda d: lead_question(d)["levels_cy"].pop(5),
        "Question LEAD-01: levels_cy must be exactly 1, 2, 3, 4 and 5; the file has 1, 2, 3, 4.",
    ),
    (
        "empty Welsh statement",
        lambda d: lead_question(d).update(statement_cy=""),
        "Question LEAD-01: statement_cy is empty.",
    ),
    (
        "Welsh statement left blank",
        lambda d: lead_question(d).update(statement_cy=None),
        "Question LEAD-01: statement_cy is empty.",
    ),
    (
        "Welsh statement too long",
        lambda d: lead_question(d).update(statement_cy="x" * 301),
        "Question LEAD-01: statement_cy is 301 characters long; the limit is 300.",
    ),
    (
        "dimension name",
        lambda d: d["dimensions"][0].pop("name_cy"),
        "Dimension LEAD: name_cy is missing (the Welsh for name).",
    ),
    (
        "dimension description",
        lambda d: d["dimensions"][0].pop("description_cy"),
        "Dimension LEAD: description_cy is missing (the Welsh for description).",
    ),
    (
        "framework name",
        lambda d: d.pop("name_cy"),
        "The framework: name_cy is missing (the Welsh for name).",
    ),
    (
        "framework description",
        lambda d: d.pop("description_cy"),
        "The framework: description_cy is missing (the Welsh for description).",
    ),
    (
        "Welsh guidance without English",
        lambda d: data_question(d).update(guidance_cy="Sut olwg sydd ar arfer da."),
        "Question DATA-01: guidance_cy is given but guidance is not; the Welsh goes beside "
        "the English.",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(change, message, id=name)
        for name, change, message in [*MALFORMED, *MISSING_WELSH]
    ],
)
def test_a_malformed_file_is_refused_with_the_code_at_fault(tmp_path, change, message):
    data = small()
    change(data)

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems == [message]
    assert row_counts() == (0, 0, 0, 0)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    data = small()
    lead_question(data)["levels"].pop(1)
    lead_question(data, 1)["statement"] = ""
    data["dimensions"][1]["questions"][0]["code"] = "LEAD-03"

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems == [
        "Question LEAD-01: levels must be exactly 1, 2, 3, 4 and 5; the file has 2, 3, 4, 5.",
        "Question LEAD-02: statement is empty.",
        "Question LEAD-03: the code must start with its dimension's code, like DATA-01.",
    ]
    assert str(caught.value).startswith("3 problems in the framework file: Question LEAD-01")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file must be a YAML mapping"),
        ("- just\n- a list\n", "The file must be a YAML mapping"),
        ("slug: [unclosed\n", "The file is not valid YAML"),
    ],
)
def test_a_file_that_is_not_a_framework_is_refused(tmp_path, text, message):
    path = tmp_path / "framework.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(FrameworkImportError, match=message):
        framework_import(path=path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "framework.yaml"
    path.write_bytes("name: Caf\u00e9\n".encode("latin-1"))

    with pytest.raises(FrameworkImportError, match="not UTF-8"):
        framework_import(path=path)


# Questions that carry on from an earlier version ---------------------------------------


def test_replaces_links_a_question_to_the_previous_version(tmp_path):
    v1 = framework_import(path=write(tmp_path, small(status="published"), "v1.yaml")).framework
    v2_data = small(version=2, status="published")
    lead_question(v2_data)["replaces"] = "LEAD-01"
    lead_question(v2_data, 1).update(code="LEAD-03", replaces="LEAD-02")

    v2 = framework_import(path=write(tmp_path, v2_data, "v2.yaml")).framework

    new_01 = v2.questions.get(code="LEAD-01")
    new_03 = v2.questions.get(code="LEAD-03")
    assert new_01.replaces == v1.questions.get(code="LEAD-01")
    assert new_03.replaces == v1.questions.get(code="LEAD-02")
    assert v2.questions.get(code="DATA-01").replaces is None
    assert framework_import(path=write(tmp_path, v2_data, "v2.yaml")).unchanged


def test_replaces_names_the_latest_earlier_version(tmp_path):
    framework_import(path=write(tmp_path, small(status="published"), "v1.yaml"))
    v2 = framework_import(path=write(tmp_path, small(version=2), "v2.yaml")).framework
    v4_data = small(version=4)
    lead_question(v4_data)["replaces"] = "LEAD-01"

    v4 = framework_import(path=write(tmp_path, v4_data, "v4.yaml")).framework

    assert v4.questions.get(code="LEAD-01").replaces == v2.questions.get(code="LEAD-01")


def test_replaces_must_name_a_question_in_the_previous_version(tmp_path):
    framework_import(path=write(tmp_path, small(status="published"), "v1.yaml"))
    before = row_counts()
    v2_data = small(version=2)
    lead_question(v2_data)["replaces"] = "LEAD-09"

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, v2_data, "v2.yaml"))

    assert caught.value.problems == [
        "Question LEAD-01: replaces LEAD-09, but test-framework version 1 has no question LEAD-09."
    ]
    assert row_counts() == before


def test_replaces_needs_an_earlier_version_in_the_database(tmp_path):
    data = small(version=2)
    lead_question(data)["replaces"] = "LEAD-01"

    with pytest.raises(FrameworkImportError) as caught:
        framework_import(path=write(tmp_path, data))

    assert caught.value.problems == [
        "Question LEAD-01: replaces LEAD-01, but there is no earlier version of "
        "test-framework in the database. Import the earlier version first."
    ]
    assert row_counts() == (0, 0, 0, 0)


# The command ---------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_the_shipped_files_and_reports_counts():
    out, err = run()

    assert out.splitlines() == ["council-digital-maturity v1: created, 9 dimensions, 54 questions."]
    assert err == ""
    assert Framework.objects.published().count() == 1


def test_the_command_reports_unchanged_files():
    run()

    out, _ = run(str(SHIPPED))

    assert out.splitlines() == ["council-digital-maturity v1: unchanged."]


def test_the_command_imports_files_in_version_order(tmp_path):
    v2_data = small(version=2)
    lead_question(v2_data)["replaces"] = "LEAD-01"
    v2 = write(tmp_path, v2_data, "a-v2.yaml")
    v1 = write(tmp_path, small(status="published"), "b-v1.yaml")

    out, _ = run(str(v2), str(v1))

    assert out.splitlines() == [
        "test-framework v1: created, 2 dimensions, 3 questions.",
        "test-framework v2: created, 2 dimensions, 3 questions.",
    ]


def test_the_command_reports_a_replaced_draft_as_updated(tmp_path):
    run(str(write(tmp_path, small())))
    data = small()
    data["dimensions"].pop()

    out, _ = run(str(write(tmp_path, data)))

    assert out.splitlines() == ["test-framework v1: updated, 1 dimension, 2 questions."]


def test_the_command_prints_each_problem_and_fails(tmp_path):
    data = small()
    lead_question(data).pop("statement")
    lead_question(data, 1)["levels"].pop(5)
    path = write(tmp_path, data)
    err = StringIO()

    with pytest.raises(CommandError, match="has 2 problems. Nothing in it was imported"):
        call_command("import_framework", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "Question LEAD-01 has no statement.",
        "Question LEAD-02: levels must be exactly 1, 2, 3, 4 and 5; the file has 1, 2, 3, 4.",
    ]
    assert row_counts() == (0, 0, 0, 0)


def test_the_command_refuses_a_changed_published_file(tmp_path):
    run()
    data = copy.deepcopy(shipped_data())
    data["description"] = "Changed."

    with pytest.raises(CommandError):
        run(str(write(tmp_path, data)))


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.yaml"))
