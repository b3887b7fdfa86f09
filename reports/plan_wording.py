"""The members' briefing's paragraph on the council's improvement plan: pure, no database.

Elected members read one paragraph: whether the plan is approved, what it aims for in the
council's top priorities, and how far the work has got. Everything is from `PlanFacts`, which
`council_report` reads in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

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
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def plan_paragraph(facts: PlanFacts | None) -> str:
    """One paragraph in plain English. With no plan, or a plan with no targets, says so."""
    if facts is None or not facts.targets:
        return "The council has not yet made an improvement plan from this assessment."
    if facts.approved_on is not None:
        opening = (
            f"The council's improvement plan, approved by the chief executive on "
            f"{_date(facts.approved_on)},"
        )
    else:
        opening = "The council's draft improvement plan, not yet approved by the chief executive,"
    count = len(facts.targets)
    named = [
        f"level {t.level} ({LEVEL_NAMES[t.level]}) in {t.subject} by {t.by_when}"
        for t in facts.targets[:NAMED_TARGETS]
    ]
    more = count - len(named)
    if more:
        named.append(f"{more} more")
    if count == 1:
        sentence = f"{opening} sets one target: reach {named[0]}."
    else:
        sentence = f"{opening} sets {count} targets: reach {_join(named)}."
    if facts.actions:
        progress = (
            f" It has {facts.actions} action{'s' if facts.actions != 1 else ''}, {facts.done} done"
        )
        progress += f" and {facts.overdue} overdue." if facts.overdue else "."
    else:
        progress = " No actions have been agreed yet."
    return sentence + progress
