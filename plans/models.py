"""Improvement plans: what a council means to reach by the next round, who does what by when,
and, once the next round is signed off, what it achieved.

A plan belongs to one signed-off assessment. Its targets name a barrier (a dimension) or one
question of it, a level to reach and a round or date to reach it by; each target has actions with
an owner, a due date, a status and dated progress updates. Every change is written to PlanEvent
with before and after, in the same transaction.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, AssessmentRound, Dimension, Level, Question
from assessments.scoring import MAX_LEVEL, MIN_LEVEL
from core.formatting import date_text
from councils.models import Council


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Plan(models.Model):
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="plan")
    # The assessment's council, kept here so every read can be scoped without a join.
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The barriers (dimension codes) the plan had targets in when it was approved. Network
    # counts of planned targets read this, never the live targets, so a council's part in a
    # published count cannot change after it is counted.
    approved_barriers = models.JSONField(default=list, blank=True)
    # Set when the council's next round is signed off and every target has its outcome: the
    # plan is then history, read-only, and its open actions can be carried into the next plan.
    checked_against = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Plan for %(assessment)s") % {"assessment": self.assessment}

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def is_read_only(self) -> bool:
        return self.checked_against_id is not None


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_COMPARABLE = "not_comparable", _("No longer comparable")


class TargetQuerySet(models.QuerySet["Target"]):
    def in_order(self) -> TargetQuerySet:
        return self.order_by("dimension__order", "question__order", "pk")


class Target(models.Model):
    """A level to reach in one barrier (question empty) or one question, by a round or a date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starting_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    target_level = models.PositiveSmallIntegerField(choices=Level.choices)
    target_round = models.ForeignKey(
        AssessmentRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    achieved_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "dimension"],
                condition=Q(question__isnull=True),
                name="one_barrier_target_per_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "question"],
                condition=Q(question__isnull=False),
                name="one_question_target_per_plan",
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=MIN_LEVEL, target_level__lte=MAX_LEVEL),
                name="target_level_on_the_scale",
            ),
            models.CheckConstraint(
                condition=Q(target_round__isnull=False) | Q(target_date__isnull=False),
                name="target_has_a_round_or_a_date",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(subject)s: level %(level)s") % {
            "subject": self.subject_name,
            "level": self.target_level,
        }

    @property
    def subject_name(self) -> str:
        if self.question is not None:
            return f"{self.question.code}: {self.question.statement}"
        return self.dimension.name

    @property
    def by_when(self) -> str:
        if self.target_round is not None:
            return gettext("the %(round)s round") % {"round": self.target_round.name}
        assert self.target_date is not None
        return date_text(self.target_date)


# Words the portal itself writes into a plan's records ---------------------------------------
#
# Owner names it gives, the notes it adds to the history, and the values in the history's
# before and after, are stored in English (the portal's language), so a record never depends on
# who caused it, and are shown in the reader's language (`recorded`, `owner_name_shown`).

FORMER_MEMBER = "A former team member"
LEFT_SUFFIX = " (left the council's team)"
LEFT_THE_TEAM = f"{FORMER_MEMBER} (left the team)"

NOTE_UNCHECKED = _("The next round was reopened, so the outcomes are withdrawn.")
NOTE_CARRIED_TARGET = _("Made to carry over actions from the previous plan.")
NOTE_OWNER_LEFT = _("The owner left the council's team.")
NOTE_WITHDRAWN = _("Withdrawn")


def in_english(words: Any) -> str:
    """Words as the portal stores them in a record: in English, whoever is reading."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(words)


def owner_name_shown(stored: str) -> str:
    """An action's stored owner outside the portal, with the portal's own words in it in the
    reader's language (a name a council typed is shown as it is)."""
    if stored == FORMER_MEMBER:
        return gettext("A former team member")
    if stored == LEFT_THE_TEAM:
        return gettext("A former team member (left the team)")
    if stored.endswith(LEFT_SUFFIX):
        return gettext("%(name)s (left the council's team)") % {
            "name": stored.removesuffix(LEFT_SUFFIX)
        }
    return stored


def recorded(value: str) -> str:
    """A value or note the portal wrote into the history in English, owner names it gave
    included, in the reader's language; anything else (what people typed, names) as it is."""
    words = _recorded_words().get(value)
    return owner_name_shown(value) if words is None else str(words)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def owned_by(self, user: Any) -> ActionQuerySet:
        return self.filter(owner=user)

    def in_order(self) -> ActionQuerySet:
        return self.order_by("due_on", "pk")


class Action(models.Model):
    """One thing to do towards a target: an owner in the portal, or a named role outside it."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="actions")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_name = models.CharField(
        _("owner outside the portal"),
        max_length=120,
        blank=True,
        help_text=_("For example: Head of IT"),
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    blocked_reason = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.BLOCKED) | ~Q(blocked_reason=""),
                name="blocked_action_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner_label(self) -> str:
        if self.owner is not None:
            return self.owner.get_full_name()
        return owner_name_shown(self.owner_name) if self.owner_name else gettext("No owner")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today


class ProgressUpdate(models.Model):
    """A dated note on an action, with the status it left the action in."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return gettext("%(status)s at %(time)s") % {
            "status": self.get_status_display(),
            "time": f"{self.at:%Y-%m-%d %H:%M}",
        }


class PlanEventAction(models.TextChoices):
    CREATED = "created", _("Plan started")
    TARGET_ADDED = "target_added", _("Target added")
    TARGET_CHANGED = "target_changed", _("Target changed")
    TARGET_REMOVED = "target_removed", _("Target removed")
    ACTION_ADDED = "action_added", _("Action added")
    ACTION_CHANGED = "action_changed", _("Action changed")
    ACTION_REMOVED = "action_removed", _("Action removed")
    PROGRESS = "progress", _("Progress update")
    APPROVED = "approved", _("Plan approved")
    CHECKED = "checked", _("Checked against the next round")
    CARRIED = "carried", _("Actions carried over")
    SHARING = "sharing", _("Offer to share changed")


class PlanEvent(models.Model):
    """Who changed what in a plan (or in the council's offers to share), when, from what to
    what. Never edited or deleted by the portal."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, null=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=16, choices=PlanEventAction.choices)
    subject = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # Made after the chief executive approved the plan: the changes they have not seen.
    after_approval = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return gettext("%(status)s at %(time)s") % {
            "status": self.get_action_display(),
            "time": f"{self.at:%Y-%m-%d %H:%M}",
        }


class SharingOfferQuerySet(models.QuerySet["SharingOffer"]):
    def active(self) -> SharingOfferQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class SharingOffer(models.Model):
    """A council's offer to tell others how it improved in one barrier (a dimension code, the
    same across framework versions), with the contact it chose. Withdrawn, never deleted."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    dimension_code = models.CharField(max_length=10)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(max_length=254)
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = SharingOfferQuerySet.as_manager()

    class Meta:
        ordering = ["dimension_code", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "dimension_code"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_offer_per_barrier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} shares {self.dimension_code}"


@cache
def _recorded_words() -> dict[str, Any]:
    """The portal's own words that records hold, by their English (worked out on first use:
    translations cannot be read while the models load)."""
    return {
        in_english(words): words
        for words in (
            *PlanStatus.labels,
            *ActionStatus.labels,
            NOTE_UNCHECKED,
            NOTE_CARRIED_TARGET,
            NOTE_OWNER_LEFT,
            NOTE_WITHDRAWN,
            _("No owner"),
        )
    }
