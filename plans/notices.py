"""Emails to action owners: a week before an action is due, and once it is overdue.

Both are reminders, so anyone may turn them off from "Your account". Keys name the action and
its due date, so a second run on the same day, a retried job or a missed day sends each
reminder once, and moving the due date earns a fresh one. Each is written in its owner's
language (the outbox renders it in the same one).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from assessments.notices import Notice, send_notice
from core.formatting import date_text

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
        with translation.override(action.owner.written_in):
            key, notice = _notice(action, today=today, link=link)
        sent += send_notice(key, [action.owner], notice, reminder=True)
    return sent


def _notice(action: Action, *, today: date, link: str) -> tuple[str, Notice]:
    """The reminder about `action`, in the active language (its owner's)."""
    council = action.plan.council.short_name
    due = date_text(action.due_on)
    if action.due_on < today:
        return f"action-overdue:{action.pk}:{action.due_on.isoformat()}", Notice(
            subject=gettext("Overdue: an action in %(council)s's improvement plan")
            % {"council": council},
            heading=gettext("An action you own is overdue"),
            paragraphs=[
                gettext(
                    "This action in %(council)s's improvement plan was due on %(due)s. Say how "
                    "it is going, or that it is blocked and why, so your assessment lead and "
                    "chief executive can see where the plan stands."
                )
                % {"council": council, "due": due},
            ],
            quote=action.description,
            link_text=gettext("Update your action"),
            link_path=link,
        )
    return f"action-due:{action.pk}:{action.due_on.isoformat()}", Notice(
        subject=gettext("Due on %(due)s: an action in %(council)s's improvement plan")
        % {"due": due, "council": council},
        heading=gettext("An action you own is due on %(due)s") % {"due": due},
        paragraphs=[
            gettext(
                "This action in %(council)s's improvement plan (%(barrier)s) is due on %(due)s. "
                "Update it when it is done, or say how it is going."
            )
            % {"council": council, "barrier": action.target.dimension.name, "due": due},
        ],
        quote=action.description,
        link_text=gettext("Update your action"),
        link_path=link,
    )
