"""What the API answers, as the OpenAPI schema describes it. Every figure is a number (scores to
one decimal place, statistics to two), every date ISO 8601."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class Message(Schema):
    detail: str


class CouncilOut(Schema):
    gss_code: str
    name: str
    short_name: str
    council_type: str
    nation: str
    region: str


class RoundOut(Schema):
    slug: str
    name: str
    opens_on: date
    closes_on: date
    assessment_status: str
    signed_off_at: datetime | None


class QuestionOut(Schema):
    code: str
    statement: str
    answer: str  # "level", "not_applicable" or "dont_know"; "" when nobody agreed one
    level: int | None
    reason: str


class BarrierScoreOut(Schema):
    code: str
    name: str
    score: float | None
    level: int | None
    coverage: float
    respondents: int
    questions: list[QuestionOut]


class ScoresOut(Schema):
    round: str
    signed_off_at: datetime | None
    overall_score: float | None
    overall_level: int | None
    barriers: list[BarrierScoreOut]


class PositionOut(Schema):
    barrier: str  # a barrier's code, or "overall"
    name: str
    score: float | None
    withheld: str  # why the group's figures are not shown; "" when they are
    councils: int | None
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    mean: float | None
    rank: int | None  # 1 is the highest score in the group
    percentile: float | None


class GroupOut(Schema):
    slug: str
    name: str
    kind: str
    positions: list[PositionOut]


class ActionOut(Schema):
    description: str
    owner: str
    due_on: date
    status: str
    blocked_reason: str


class TargetOut(Schema):
    barrier: str
    question: str
    starting_level: int | None
    target_level: int
    by: str
    outcome: str
    achieved_level: int | None
    actions: list[ActionOut]


class PlanOut(Schema):
    round: str
    status: str
    approved_at: datetime | None
    targets: list[TargetOut]


class EditionOut(Schema):
    round: str
    round_name: str
    edition: int
    published_at: datetime
    csv_url: str
    json_url: str
