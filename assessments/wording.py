"""How the portal spells an answer, in one place, for every page, email and report."""

from django.utils.translation import gettext

from .models import AnswerStatus
from .scoring import LEVEL_NAMES


def answer_text(status: str, level: int | None) -> str:
    """An answer as people read it, in the active language: "Level 3 (Defined)", "Not
    applicable" or "Don't know".

    `status` is an AnswerStatus value; anything else is shown as it is, so an old audit record
    still reads as what was stored.
    """
    if status == AnswerStatus.ANSWERED and level in LEVEL_NAMES:
        return gettext("Level %(level)s (%(name)s)") % {"level": level, "name": LEVEL_NAMES[level]}
    if status in AnswerStatus.values:
        return str(AnswerStatus(status).label)
    return str(status)
