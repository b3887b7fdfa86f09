"""A published framework version's outline, read once per process.

The outline is the version's dimensions in order, each with its questions in order
(`dimension.questions.all()`), each with its level descriptors (`question.descriptors.all()`).
A published version never changes (the import refuses a changed file and the admin cannot edit
it), so the pages that walk the framework share one copy per process instead of reading it
three queries a page. A draft is read afresh every time.

The objects are shared between requests: read them, never change them.
"""

from django.db.models import Prefetch

from .models import Dimension, Framework, LevelDescriptor, Question

_kept: dict[int, tuple[Dimension, ...]] = {}


def framework_outline(framework: Framework) -> tuple[Dimension, ...]:
    kept = _kept.get(framework.pk)
    if kept is not None:
        return kept
    descriptors = Prefetch("descriptors", LevelDescriptor.objects.order_by("level"))
    questions = Prefetch(
        "questions", Question.objects.order_by("order").prefetch_related(descriptors)
    )
    outline = tuple(Dimension.objects.for_framework(framework).prefetch_related(questions))
    if framework.is_published:
        _kept[framework.pk] = outline
    return outline


def forget_outlines() -> None:
    """Drop every kept outline: for tests, whose rolled-back frameworks may reuse an id."""
    _kept.clear()
