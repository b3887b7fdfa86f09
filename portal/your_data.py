"""Everything the portal holds about one person, for them to download (UK GDPR, right of
access): as a JSON document of sections, and as CSV in long format (section, item, field,
value). Secrets never leave: no password hash, authenticator key, recovery code or API token."""

from __future__ import annotations

import csv
import json
from io import StringIO
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import pgettext

from accounts.models import CouncilMembership, Invitation, User
from accounts.two_factor import has_two_factor
from api.models import ApiToken
from assessments.models import AgreedAnswer, Answer, AuditEvent
from notifications.models import OutboxEmail
from plans.models import Action, PlanEvent, ProgressUpdate
from reports.models import Report


def sections(user: User) -> dict[str, list[dict[str, Any]]]:
    """{section: [item, ...]}, each item a flat dict of plain values. A query a section."""
    return {
        "account": [
            {
                "email": user.email,
                "full_name": user.full_name,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "reminder_emails": user.reminder_emails,
                "platform_administrator": user.is_staff,
                "authenticator_app": has_two_factor(user),
            }
        ],
        "council_roles": [
            {"council": m.council.name, "role": m.get_role_display(), "since": m.created_at}
            for m in CouncilMembership.objects.filter(user=user).select_related("council")
        ],
        "network_memberships": [
            {"network": m.network.name, "since": m.created_at}
            for m in user.network_memberships.select_related("network")
        ],
        "invitations_to_you": [
            {
                "council": i.council.name,
                "role": i.get_role_display(),
                "sent": i.created_at,
                "status": i.status,
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("council")
        ],
        "council_sign_in": [
            {
                "council": i.provider.council.name,
                "identifier": i.subject,
                "linked": i.created_at,
                "last_used": i.last_used_at,
            }
            for i in user.external_identities.select_related("provider__council")
        ],
        "sign_in_history": [
            {"at": e.at, "what": e.get_kind_display(), "browser": e.browser, "address": e.client}
            for e in user.security_events.all()
        ],
        "your_answers": [
            {
                "council": a.response.assessment.council.name,
                "round": a.response.assessment.round.name,
                "question": a.question.code,
                "answer": a.status,
                "level": a.level,
                "confidence": a.confidence,
                "evidence_note": a.evidence_note,
                "evidence_link": a.evidence_url,
                "updated": a.updated_at,
            }
            for a in Answer.objects.filter(response__respondent=user).select_related(
                "response__assessment__council", "response__assessment__round", "question"
            )
        ],
        "agreed_answers_you_saved": [
            {
                "council": a.assessment.council.name,
                "round": a.assessment.round.name,
                "question": a.question.code,
                "level": a.level,
                "reason": a.rationale,
                "saved": a.updated_at,
            }
            for a in AgreedAnswer.objects.filter(updated_by=user).select_related(
                "assessment__council", "assessment__round", "question"
            )
        ],
        "assessment_history": [
            {"at": e.at, "what": e.get_action_display(), "about": e.subject, "note": e.note}
            for e in AuditEvent.objects.filter(actor=user)
        ],
        "plan_actions_you_own": [
            {"action": a.description, "due": a.due_on, "status": a.get_status_display()}
            for a in Action.objects.filter(owner=user)
        ],
        "plan_updates_you_wrote": [
            {"at": u.at, "note": u.note} for u in ProgressUpdate.objects.filter(by=user)
        ],
        "plan_history": [
            {"at": e.at, "what": e.get_action_display(), "about": e.subject, "note": e.note}
            for e in PlanEvent.objects.filter(actor=user)
        ],
        "reports_you_asked_for": [
            {"kind": r.get_kind_display(), "asked": r.requested_at, "status": r.status}
            for r in Report.objects.filter(requested_by=user)
        ],
        "api_tokens_you_made": [
            {"name": t.name, "starts_with": t.prefix, "made": t.created_at, "status": t.status}
            for t in ApiToken.objects.filter(created_by=user)
        ],
        "emails_to_you": [
            {"subject": e.subject, "queued": e.created_at, "sent": e.sent_at}
            for e in OutboxEmail.objects.filter(user=user)
        ],
    }


def as_json(user: User) -> str:
    return json.dumps(sections(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def as_csv(user: User) -> str:
    from core.spreadsheet_text import neutralise

    out = StringIO()
    writer = csv.writer(out)
    # The column headings are words for the reader; the sections and fields below them are
    # the JSON document's keys, the same in every language, so a program can read either file.
    writer.writerow(
        [
            pgettext("your data CSV column", "section"),
            pgettext("your data CSV column", "item"),
            pgettext("your data CSV column", "field"),
            pgettext("your data CSV column", "value"),
        ]
    )
    for section, items in sections(user).items():
        for number, item in enumerate(items, start=1):
            for field, value in item.items():
                text = "" if value is None else str(value)
                writer.writerow([section, number, field, neutralise(text)])
    return out.getvalue()
