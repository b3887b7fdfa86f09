"""The members' briefing's paragraph on the council's improvement plan: pure, no database.

Elected members read one paragraph: whether the plan is approved, what it aims for in the
council's top priorities, and how far the work has got. Everything is from `PlanFacts`, which
`council_report` reads in a fixed number of queries. Written in the active language (plain
Welsh in Welsh: `plain_words`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext, ngettext

from assessments.scoring import LEVEL_NAMES

# How many targets the paragraph names; the rest are counted.
NAMED_TARGETS = 3


@dataclass(frozen=True)
class TargetFact:
    subject: str  # the barrier, or "<barrier>: <question>"
    level: int
    by_when: str  # "the 2026 to 2027 round" or "31 March 2027"


@dataclass(frozen=True)
class PlanFacts:
    approved_on: datetime.date | None  # None: a draft
    targets: Sequence[TargetFact]  # the top priorities' targets first
    actions: int
    done: int
    overdue: int


def _join(parts: Sequence[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def _date(day: datetime.date) -> str:
    """ "2 December 2026", the month in the active language."""
    return dateformat.format(day, "j F Y")


def plan_paragraph(facts: PlanFacts | None) -> str:
    """One paragraph in plain English. With no plan, or a plan with no targets, says so."""
    if facts is None or not facts.targets:
        return gettext("The council has not yet made an improvement plan from this assessment.")
    count = len(facts.targets)
    named = [
        gettext("level %(level)s (%(name)s) in %(subject)s by %(when)s")
        % {
            "level": t.level,
            "name": LEVEL_NAMES[t.level],
            "subject": t.subject,
            "when": t.by_when,
        }
        for t in facts.targets[:NAMED_TARGETS]
    ]
    more = count - len(named)
    if more:
        named.append(ngettext("%(count)s more", "%(count)s more", more) % {"count": more})
    words = {"targets": _join(named), "count": count}
    if facts.approved_on is not None:
        words["date"] = _date(facts.approved_on)
        sentence = ngettext(
            "The council's improvement plan, approved by the chief executive on %(date)s, sets "
            "one target: reach %(targets)s.",
            "The council's improvement plan, approved by the chief executive on %(date)s, sets "
            "%(count)s targets: reach %(targets)s.",
            count,
        )
    else:
        sentence = ngettext(
            "The council's draft improvement plan, not yet approved by the chief executive, sets "
            "one target: reach %(targets)s.",
            "The council's draft improvement plan, not yet approved by the chief executive, sets "
            "%(count)s targets: reach %(targets)s.",
            count,
        )
    sentence %= words
    if facts.actions:
        numbers = {"actions": facts.actions, "done": facts.done, "overdue": facts.overdue}
        if facts.overdue:
            progress = ngettext(
                "It has %(actions)s action, %(done)s done and %(overdue)s overdue.",
                "It has %(actions)s actions, %(done)s done and %(overdue)s overdue.",
                facts.actions,
            )
        else:
            progress = ngettext(
                "It has %(actions)s action, %(done)s done.",
                "It has %(actions)s actions, %(done)s done.",
                facts.actions,
            )
        progress %= numbers
    else:
        progress = gettext("No actions have been agreed yet.")
    return f"{sentence} {progress}"
