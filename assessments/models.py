"""The maturity framework (versioned content) and the assessment journey built on it.

Framework -> Dimension -> Question -> LevelDescriptor is content, loaded by `import_framework`.
AssessmentRound -> Assessment (one per council per round) -> Response (one per officer)
-> Answer (one per question). The lead's AgreedAnswer rows are the council's answers; at
sign-off DimensionScore rows freeze the scores that benchmarks are built from.
"""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.translation import in_active_language
from councils.models import Council

from .scoring import MAX_LEVEL, MIN_LEVEL


class Level(models.IntegerChoices):
    """The one maturity scale every question is answered on."""

    AD_HOC = 1, _("Ad hoc")
    DEVELOPING = 2, _("Developing")
    DEFINED = 3, _("Defined")
    EMBEDDED = 4, _("Embedded")
    LEADING = 5, _("Leading")


class AnswerStatus(models.TextChoices):
    """Whether an answer gives a level. Only ANSWERED counts towards a score."""

    ANSWERED = "answered", _("Answered")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    DONT_KNOW = "dont_know", _("Don't know")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# Framework content ---------------------------------------------------------------------
#
# The framework's words are in English and Welsh, side by side, from the framework file: see
# core.translation for how `name_en`, `name_cy` and `name` (in the active language) work.


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def published(self) -> FrameworkQuerySet:
        return self.filter(status=FrameworkStatus.PUBLISHED)


class Framework(models.Model):
    """One version of the maturity framework. A published version never changes."""

    slug = models.SlugField(max_length=60)
    name_en = models.CharField("name", max_length=120, db_column="name")
    name_cy = models.CharField("name in Welsh", max_length=120, blank=True)
    version = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description_en = models.TextField("description", blank=True, db_column="description")
    description_cy = models.TextField("description in Welsh", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A published version's English never changes, but its Welsh may be corrected by a later
    # import: the outline kept in each process is keyed on this, so every process sees it.
    welsh_updated_at = models.DateTimeField(
        "Welsh last changed", null=True, blank=True, editable=False
    )

    name = in_active_language("name")
    description = in_active_language("description")

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED


# Generic in the model so that django-stubs keeps what annotate() adds (e.g. a count).
_DimensionT = TypeVar("_DimensionT", bound="Dimension")
_QuestionT = TypeVar("_QuestionT", bound="Question")


class DimensionQuerySet(models.QuerySet[_DimensionT]):
    def for_framework(self, framework: Framework | int) -> DimensionQuerySet[_DimensionT]:
        """The dimensions of one framework version (an instance or its id), in order."""
        return self.filter(framework=framework).order_by("order")


class Dimension(models.Model):
    """A barrier to digital change, such as leadership and strategy."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(max_length=10)
    name_en = models.CharField("name", max_length=120, db_column="name")
    name_cy = models.CharField("name in Welsh", max_length=120, blank=True)
    description_en = models.TextField("description", blank=True, db_column="description")
    description_cy = models.TextField("description in Welsh", blank=True)
    order = models.PositiveSmallIntegerField()

    name = in_active_language("name")
    description = in_active_language("description")

    objects = DimensionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique"),
            models.UniqueConstraint(fields=["framework", "order"], name="dimension_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionQuerySet(models.QuerySet[_QuestionT]):
    def for_framework(self, framework: Framework | int) -> QuestionQuerySet[_QuestionT]:
        """The questions of one framework version (an instance or its id), in the default
        order: by dimension, then question."""
        return self.filter(framework=framework)


class Question(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    # Denormalised from the dimension so codes can be unique within a framework version.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=12, help_text="Stable across versions, e.g. LEAD-03.")
    statement_en = models.CharField("statement", max_length=300, db_column="statement")
    statement_cy = models.CharField("statement in Welsh", max_length=300, blank=True)
    guidance_en = models.TextField("what good looks like", blank=True, db_column="guidance")
    guidance_cy = models.TextField("what good looks like, in Welsh", blank=True)
    order = models.PositiveSmallIntegerField()
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="The question in an earlier version that this one carries on, for trends.",
    )

    statement = in_active_language("statement")
    guidance = in_active_language("guidance")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["dimension__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique"),
            models.UniqueConstraint(fields=["dimension", "order"], name="question_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.statement}"


class LevelDescriptor(models.Model):
    """What the council looks like at one level of one question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    description_en = models.TextField("description", db_column="description")
    description_cy = models.TextField("description in Welsh", blank=True)

    description = in_active_language("description")

    class Meta:
        ordering = ["question", "level"]
        constraints = [
            models.UniqueConstraint(fields=["question", "level"], name="descriptor_level_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL), name="descriptor_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} level {self.level}"


# Rounds and assessments ----------------------------------------------------------------


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentRound(models.Model):
    """A period in which councils assess themselves against one framework version."""

    name_en = models.CharField(
        "name",
        max_length=60,
        unique=True,
        db_column="name",
        help_text='For example "2026 to 2027".',
    )
    # Blank for rounds made before there was Welsh: their English name shows instead.
    name_cy = models.CharField(
        "name in Welsh", max_length=60, blank=True, help_text='For example "2026 i 2027".'
    )
    name = in_active_language("name")
    slug = models.SlugField(max_length=60, unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=RoundStatus.choices, default=RoundStatus.UPCOMING
    )
    is_demo = models.BooleanField(
        default=False, help_text="Demonstration data, created by load_demo_data."
    )

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Waiting for sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")


def signed_off_through(relation: str) -> Q:
    """Only signed-off assessments count, as a condition on the assessment(s) reached through
    `relation` (for example "assessments" from a council). Give it to the same filter() call
    as the other conditions on those assessments, so they all apply to the same one."""
    return Q(**{f"{relation}__status": AssessmentStatus.SIGNED_OFF})


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_council(self, council: Council) -> AssessmentQuerySet:
        return self.filter(council=council)

    def signed_off(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.SIGNED_OFF)

    def for_member(self, user: Any) -> AssessmentQuerySet:
        """Assessments of the councils this person has a role at."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            council__memberships__user=user, council__memberships__user__is_active=True
        )


class Assessment(models.Model):
    """A council's assessment in one round."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="assessments")
    round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The chief executive's comment when they last returned it to the lead.
    return_comment = models.TextField(blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-round__opens_on", "council__short_name_en"]
        constraints = [
            models.UniqueConstraint(fields=["council", "round"], name="one_assessment_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name}, {self.round.name}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == AssessmentStatus.SIGNED_OFF

    @property
    def is_read_only(self) -> bool:
        """Nothing can change after sign-off or once the round has closed."""
        return self.is_signed_off or self.round.status != RoundStatus.OPEN


class DimensionAssignmentQuerySet(models.QuerySet["DimensionAssignment"]):
    def version_of(self, assessment: Assessment) -> str:
        """A digest of who answers which part: what the lead's page saw, so a save made
        after someone else's change is caught instead of overwriting it."""
        pairs = sorted(self.filter(assessment=assessment).values_list("dimension_id", "user_id"))
        return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]

    def parts_of(self, assessment: Assessment, user: Any) -> set[int]:
        """The dimensions this person was asked to answer (none: they answer them all)."""
        return set(
            self.filter(assessment=assessment, user=user).values_list("dimension_id", flat=True)
        )


class DimensionAssignment(models.Model):
    """The lead asks a particular officer to answer a dimension. An officer with assigned
    parts may send their answers once those parts are answered."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )

    objects = DimensionAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["dimension__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension", "user"], name="assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} to {self.user}"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Response(models.Model):
    """One officer's answers to one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    # Empty only once the person is erased (accounts.services.person_erase): their answers
    # stay, as `respondent_label` ("Former officer 3"), so scores and the record stay true.
    # PROTECT still refuses any other way of deleting someone who answered.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    respondent_label = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "respondent__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "respondent"], name="one_response_per_officer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_name} for {self.assessment}"

    @property
    def respondent_name(self) -> str:
        """The officer's name, or what stands for it once they are erased."""
        if self.respondent is None:
            return self.respondent_label or "Former officer"
        return self.respondent.get_full_name()

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


def _level_matches_status() -> Q:
    return Q(status=AnswerStatus.ANSWERED, level__gte=MIN_LEVEL, level__lte=MAX_LEVEL) | (
        ~Q(status=AnswerStatus.ANSWERED) & Q(level__isnull=True)
    )


class Answer(models.Model):
    """An officer's answer to one question."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(max_length=16, choices=AnswerStatus.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices, blank=True)
    evidence_note = models.TextField(blank=True)
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__dimension__order", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(condition=_level_matches_status(), name="answer_level_valid"),
        ]

    def __str__(self) -> str:
        shown = self.get_status_display() if self.level is None else self.level
        return f"{self.question.code}: {shown}"


class AgreedAnswer(models.Model):
    """The council's answer to one question, set by the assessment lead."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="agreed_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=AnswerStatus.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    rationale = models.TextField(blank=True)
    # Bumped on every save; a save that names an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__dimension__order", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_agreed_answer_per_question"
            ),
            models.CheckConstraint(condition=_level_matches_status(), name="agreed_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.question.code}"


class AuditAction(models.TextChoices):
    STARTED = "started", _("Assessment started")
    ASSIGNED = "assigned", _("Barriers assigned")
    AGREED_ANSWER = "agreed_answer", _("Agreed answer changed")
    SUBMITTED = "submitted", _("Submitted for sign-off")
    RETURNED = "returned", _("Returned to the lead")
    SIGNED_OFF = "signed_off", _("Signed off")
    REOPENED = "reopened", _("Reopened")


class AuditEvent(models.Model):
    """Who changed what, when, from what to what. Never edited or deleted by the portal."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    subject = models.CharField(max_length=60, blank=True, help_text="e.g. the question code")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class DimensionScoreQuerySet(models.QuerySet["DimensionScore"]):
    def signed_off(self) -> DimensionScoreQuerySet:
        """Scores of assessments that are signed off."""
        return self.filter(signed_off_through("assessment"))


class DimensionScore(models.Model):
    """A council's frozen score for one dimension in one round, written at sign-off."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    # Denormalised so benchmarks read one table.
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    band = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    coverage = models.DecimalField(max_digits=4, decimal_places=3)
    respondents = models.PositiveSmallIntegerField()
    spread = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    frozen_at = models.DateTimeField(default=timezone.now)

    objects = DimensionScoreQuerySet.as_manager()

    class Meta:
        ordering = ["round", "council", "dimension__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="one_score_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=MIN_LEVEL, score__lte=MAX_LEVEL),
                name="score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name} {self.round.name} {self.dimension.code}: {self.score}"
