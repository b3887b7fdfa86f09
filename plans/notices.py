"""Emails to action owners: a week before an action is due, and once it is overdue.

Both are reminders, so anyone may turn them off from "Your account". Keys name the action and
its due date, so a second run on the same day, a retried job or a missed day sends each
reminder once, and moving the due date earns a fresh one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F
from django.urls import reverse

from assessments.notices import Notice, send_notice

from .models import Action

DUE_SOON_DAYS = 7


def action_reminders_send(*, today: date) -> int:
    """Owners of open actions due within a week, and of overdue ones, in plans that can still
    change. One query for the actions, then the outbox's own checks."""
    actions = (
        Action.objects.open()
        .filter(
            owner__isnull=False,
            # Someone who has left the council hears nothing more about its plan.
            owner__council_memberships__council=F("plan__council"),
            plan__checked_against__isnull=True,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("owner", "plan__council", "plan__assessment__round", "target__dimension")
        .in_order()
    )
    sent = 0
    for action in actions:
        assert action.owner is not None
        council = action.plan.council
        link = reverse(
            "plans:action-progress",
            args=[council.gss_code, action.plan.assessment.round.slug, action.pk],
        )
        due = f"{action.due_on:%-d %B %Y}"
        if action.due_on < today:
            key, notice = (
                f"action-overdue:{action.pk}:{action.due_on.isoformat()}",
                Notice(
                    subject=f"Overdue: an action in {council.short_name}'s improvement plan",
                    heading="An action you own is overdue",
                    paragraphs=[
                        f"This action in {council.short_name}'s improvement plan was due on "
                        f"{due}. Say how it is going, or that it is blocked and why, so your "
                        "assessment lead and chief executive can see where the plan stands.",
                    ],
                    quote=action.description,
                    link_text="Update your action",
                    link_path=link,
                ),
            )
        else:
            key, notice = (
                f"action-due:{action.pk}:{action.due_on.isoformat()}",
                Notice(
                    subject=f"Due on {due}: an action in {council.short_name}'s improvement plan",
                    heading=f"An action you own is due on {due}",
                    paragraphs=[
                        f"This action in {council.short_name}'s improvement plan "
                        f"({action.target.dimension.name}) is due on {due}. Update it when it "
                        "is done, or say how it is going.",
                    ],
                    quote=action.description,
                    link_text="Update your action",
                    link_path=link,
                ),
            )
        sent += send_notice(key, [action.owner], notice, reminder=True)
    return sent
