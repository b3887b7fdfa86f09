import pytest

from assessments.models import AnswerStatus
from assessments.wording import answer_text


@pytest.mark.parametrize(
    ("status", "level", "expected"),
    [
        (AnswerStatus.ANSWERED, 1, "Level 1 (Ad hoc)"),
        (AnswerStatus.ANSWERED, 3, "Level 3 (Defined)"),
        (AnswerStatus.ANSWERED, 5, "Level 5 (Leading)"),
        (AnswerStatus.NOT_APPLICABLE, None, "Not applicable"),
        (AnswerStatus.DONT_KNOW, None, "Don't know"),
        ("something_old", None, "something_old"),
    ],
)
def test_one_spelling_of_an_answer(status, level, expected):
    assert answer_text(status, level) == expected
