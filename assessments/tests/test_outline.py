"""A published framework's outline is read once per process; a draft's every time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import FrameworkStatus
from assessments.outline import framework_outline
from assessments.tests.factories import small_framework

pytestmark = pytest.mark.django_db


def _shape(outline):
    return [
        (d.code, [(q.code, [x.level for x in q.descriptors.all()]) for q in d.questions.all()])
        for d in outline
    ]


def test_a_published_outline_is_read_once_in_order():
    framework = small_framework(dimensions=2, questions=2)

    with CaptureQueriesContext(connection) as first:
        outline = framework_outline(framework)
    with CaptureQueriesContext(connection) as second:
        again = framework_outline(framework)
        shape = _shape(again)

    assert len(first) == 3
    assert len(second) == 0
    assert again is outline
    assert shape == [
        ("DIM1", [("DIM1-01", [1, 2, 3, 4, 5]), ("DIM1-02", [1, 2, 3, 4, 5])]),
        ("DIM2", [("DIM2-01", [1, 2, 3, 4, 5]), ("DIM2-02", [1, 2, 3, 4, 5])]),
    ]


def test_a_draft_outline_is_read_afresh():
    framework = small_framework(dimensions=1, questions=1, status=FrameworkStatus.DRAFT)
    framework_outline(framework)
    framework.dimensions.get().questions.get().descriptors.filter(level=5).delete()

    with CaptureQueriesContext(connection) as again:
        shape = _shape(framework_outline(framework))

    assert len(again) == 3
    assert shape == [("DIM1", [("DIM1-01", [1, 2, 3, 4])])]
