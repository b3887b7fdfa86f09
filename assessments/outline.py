"""A published framework version's outline, read once per process.

The outline is the version's dimensions in order, each with its questions in order
(`dimension.questions.all()`), each with its level descriptors (`question.descriptors.all()`).
A published version's English never changes (the import refuses a changed file and the admin
cannot edit it), so the pages that walk the framework share one copy per process instead of
reading it three queries a page. Its Welsh may be corrected by a later import, which sets
`framework.welsh_updated_at`: the copy is kept under the framework and that time, so every
process reads the corrected version afresh the first time it is asked for it. (Callers load the
framework with the assessment, select_related("round__framework"), so checking costs nothing.)
A draft is read afresh every time.

The objects are shared between requests: read them, never change them.
"""

from datetime import datetime

from django.db.models import Prefetch

from .models import Dimension, Framework, LevelDescriptor, Question

# framework id -> (its welsh_updated_at when read, its outline): keyed on both, one per version.
_kept: dict[int, tuple[datetime | None, tuple[Dimension, ...]]] = {}


def framework_outline(framework: Framework) -> tuple[Dimension, ...]:
    kept = _kept.get(framework.pk)
    if kept is not None and kept[0] == framework.welsh_updated_at:
        return kept[1]
    descriptors = Prefetch("descriptors", LevelDescriptor.objects.order_by("level"))
    questions = Prefetch(
        "questions", Question.objects.order_by("order").prefetch_related(descriptors)
    )
    outline = tuple(Dimension.objects.for_framework(framework).prefetch_related(questions))
    if framework.is_published:
        _kept[framework.pk] = (framework.welsh_updated_at, outline)
    return outline


def forget_outlines() -> None:
    """Drop every kept outline: for tests, whose rolled-back frameworks may reuse an id."""
    _kept.clear()
