"""A council's own assessment, out: its agreed answers, every officer's answers (named: it is
the council's own team), its frozen scores and its plan, in tidy long format (one row per
observation, one column per variable), as CSV files and one XLSX workbook.

Each table documents its columns (`Column.meaning`), shown on the download page and in the
workbook's "Columns" sheet. The column names are identifiers, the same in every language (tools
read them); the titles, sheet names and meanings are in the reader's language, as are the
barrier names, and coded values (answered, yes, no) stay as documented. Rows are read with
`.iterator()` and written as they come, so a download never holds a large assessment in memory;
every text cell is neutralised (core.spreadsheet_text) so no spreadsheet runs it.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from typing import IO

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from assessments.models import AgreedAnswer, Answer, Assessment, Dimension, DimensionScore
from assessments.scoring import level_band, overall_score
from core.spreadsheet_text import neutralise, xlsx_cell
from plans import exports as plan_exports
from plans import reads as plan_reads
from plans.models import Plan


@dataclass(frozen=True)
class Column:
    name: str  # an identifier: not translated
    meaning: str | Promise


@dataclass(frozen=True)
class Table:
    slug: str
    title: str | Promise
    description: str | Promise
    columns: list[Column]
    rows: Callable[[Assessment], Iterator[list[object]]]


def _agreed(assessment: Assessment) -> Iterator[list[object]]:
    answers = (
        AgreedAnswer.objects.filter(assessment=assessment)
        .select_related("question__dimension", "updated_by")
        .order_by("question__dimension__order", "question__order")
    )
    for a in answers.iterator(chunk_size=500):
        yield [
            assessment.round.slug,
            a.question.dimension.code,
            a.question.dimension.name,
            a.question.code,
            a.question.statement,
            a.status,
            a.level,
            a.rationale,
            a.updated_by.get_full_name() if a.updated_by else "",
            a.updated_at,
        ]


def _officers(assessment: Assessment) -> Iterator[list[object]]:
    answers = (
        Answer.objects.filter(response__assessment=assessment)
        .select_related("response__respondent", "question__dimension")
        .order_by("response__respondent__email", "question__dimension__order", "question__order")
    )
    for a in answers.iterator(chunk_size=500):
        person = a.response.respondent
        yield [
            assessment.round.slug,
            person.get_full_name() if person else a.response.respondent_name,
            person.email if person else "",
            a.question.dimension.code,
            a.question.code,
            a.question.statement,
            a.status,
            a.level,
            a.confidence,
            a.evidence_note,
            a.evidence_url,
            "yes" if a.response.submitted_at else "no",
            a.updated_at,
        ]


def _scores(assessment: Assessment) -> Iterator[list[object]]:
    frozen = {s.dimension_id: s for s in DimensionScore.objects.filter(assessment=assessment)}
    for dimension in Dimension.objects.for_framework(assessment.round.framework_id):
        score = frozen.get(dimension.pk)
        if score is None:
            continue
        yield [
            assessment.round.slug,
            dimension.code,
            dimension.name,
            score.score,
            score.band,
            score.coverage,
            score.respondents,
            score.spread,
            score.frozen_at,
        ]
    overall = overall_score([s.score for s in frozen.values() if s.score is not None])
    if overall is not None:
        yield [
            assessment.round.slug,
            "overall",
            gettext("Overall score"),
            overall,
            level_band(overall),
        ]


def _plan(assessment: Assessment) -> Iterator[list[object]]:
    plan = Plan.objects.filter(assessment=assessment).first()
    if plan is None:
        return
    page = plan_reads.plan_page(plan, today=timezone.localdate())
    for row in plan_exports.plan_rows(page):
        yield [assessment.round.slug, *row]


ROUND = Column("round", _("The assessment round's short name, like 2025-2026."))
ANSWER = Column(
    "answer", _("answered (a level was chosen), not_applicable or dont_know (don't know).")
)

TABLES = [
    Table(
        "agreed-answers",
        _("Agreed answers"),
        _(
            "The council's answer to each question, as the assessment lead agreed it, with the "
            "reason."
        ),
        [
            ROUND,
            Column("barrier_code", _("The barrier's code in the framework, like LEAD.")),
            Column("barrier", _("The barrier's name.")),
            Column("question_code", _("The question's code, stable across framework versions.")),
            Column("question", _("The question as the framework asks it.")),
            ANSWER,
            Column("level", _("The maturity level agreed, 1 (lowest) to 5; empty without one.")),
            Column("reason", _("Why the lead agreed this answer, in their words.")),
            Column("agreed_by", _("Who last saved the agreed answer.")),
            Column("agreed_at", _("When it was last saved (UTC).")),
        ],
        _agreed,
    ),
    Table(
        "officer-answers",
        _("Officers' answers"),
        _("Every answer each officer gave, with their confidence and evidence, named."),
        [
            ROUND,
            Column("officer", _("The officer's name.")),
            Column("officer_email", _("The officer's email address.")),
            Column("barrier_code", _("The barrier's code.")),
            Column("question_code", _("The question's code.")),
            Column("question", _("The question as the framework asks it.")),
            ANSWER,
            Column("level", _("The level the officer chose, 1 to 5; empty without one.")),
            Column("confidence", _("How sure the officer was: low, medium or high; may be empty.")),
            Column("evidence_note", _("The officer's note on the evidence.")),
            Column("evidence_link", _("A link to the evidence, if the officer gave one.")),
            Column("sent", _("yes if the officer sent their answers to the lead, else no.")),
            Column("updated_at", _("When the officer last changed this answer (UTC).")),
        ],
        _officers,
    ),
    Table(
        "scores",
        _("Scores"),
        _("The scores frozen at sign-off: one row per barrier, then the overall score."),
        [
            ROUND,
            Column("barrier_code", _("The barrier's code, or overall for the overall score.")),
            Column("barrier", _("The barrier's name.")),
            Column("score", _("The score, 1.0 to 5.0 (the mean of the agreed levels).")),
            Column("level", _("The whole maturity level the score falls in, 1 to 5.")),
            Column("coverage", _("The share of the barrier's questions with a level, 0 to 1.")),
            Column("respondents", _("How many officers answered questions in the barrier.")),
            Column("spread", _("How far officers' levels differed (standard deviation).")),
            Column("frozen_at", _("When the score was frozen at sign-off (UTC).")),
        ],
        _scores,
    ),
    Table(
        "plan",
        _("Plan"),
        _(
            "The improvement plan made from this assessment: one row per action (a target with "
            "no actions yet is one row with the action columns empty)."
        ),
        [
            ROUND,
            Column("barrier", _("The barrier the target is in.")),
            Column("question", _("The question the target is about, if it is about one.")),
            Column("level_at_sign_off", _("The level when the assessment was signed off.")),
            Column("target_level", _("The level the council aims for, 1 to 5.")),
            Column("by", _("The round or the date the target is for.")),
            Column(
                "outcome", _("Met, not met or no longer comparable, once the next round is in.")
            ),
            Column("level_reached", _("The level the next round found.")),
            Column("action", _("What will be done.")),
            Column(
                "owner", _("Who will do it: a member of the team, or a role outside the portal.")
            ),
            Column("due_date", _("When it is due.")),
            Column("status", _("Not started, in progress, blocked or done.")),
            Column("blocked_by", _("What is in the way, for a blocked action.")),
            Column("latest_update", _("The latest progress update.")),
            Column("latest_update_on", _("The date of the latest progress update.")),
        ],
        _plan,
    ),
]
TABLES_BY_SLUG = {table.slug: table for table in TABLES}


def _text(value: object) -> str:
    """A CSV cell: numbers and dates as they are written, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return neutralise(str(value))


def csv_lines(table: Table, assessment: Assessment) -> Iterator[str]:
    """The table as CSV, a line at a time, for a streamed response."""
    buffer = StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_text(cell) for cell in cells])
        return buffer.getvalue()

    yield line(column.name for column in table.columns)
    for row in table.rows(assessment):
        yield line(row)


def workbook(assessment: Assessment) -> IO[bytes]:
    """Every table as a sheet, and a Columns sheet saying what each column means, written
    row by row (openpyxl's write-only mode) to a temporary file, returned rewound."""
    book = Workbook(write_only=True)
    for table in TABLES:
        sheet = book.create_sheet(str(table.title))
        sheet.append([column.name for column in table.columns])
        for row in table.rows(assessment):
            sheet.append([xlsx_cell(cell) for cell in row])
    columns = book.create_sheet(gettext("Columns"))
    columns.append([gettext("sheet"), gettext("column"), gettext("meaning")])
    for table in TABLES:
        for column in table.columns:
            columns.append([str(table.title), column.name, str(column.meaning)])
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out


def file_name(assessment: Assessment, what: str, extension: str) -> str:
    return f"{assessment.council.gss_code}-{assessment.round.slug}-{what}.{extension}"
