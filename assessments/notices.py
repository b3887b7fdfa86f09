"""Who is told what, and when: the emails that move an assessment along.

Each function is called by a service inside its transaction, so the emails are stored in the
outbox with the change they report, or not at all (notifications.services.email_queue), and are
sent once after it commits. Keys name the occasion (an audit event, a response's sending, a
reminder day), so a retried job or a double click never sends the same email twice.

Every word is left unworked (`gettext_lazy`, `lazy_format`, `lazy_date`, `_name`), so the
outbox writes each email in its reader's language, whoever's request or job sends it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import CouncilMembership, CouncilRole, User
from core.formatting import lazy_date, lazy_format
from councils.models import Council
from notifications.services import email_queue

from .models import (
    Answer,
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    AuditEvent,
    Dimension,
    DimensionAssignment,
    Question,
    Response,
    ResponseStatus,
    RoundStatus,
)

TEMPLATE = "assessment_notice"
# Days before a round closes on which people with unfinished work are reminded.
REMINDER_DAYS = (14, 3)


@dataclass(frozen=True)
class Notice:
    """One email's content: a heading, a few sentences, an optional quotation (a chief
    executive's comment), an optional list (what is left), and the one link to act on."""

    subject: str | Promise
    heading: str | Promise
    paragraphs: Sequence[str | Promise]
    link_text: str | Promise
    link_path: str
    quote: str = ""
    items: Sequence[str | Promise] = field(default_factory=tuple)

    def context(self) -> dict[str, object]:
        return {
            "heading": self.heading,
            "paragraphs": list(self.paragraphs),
            "quote": self.quote,
            "items": list(self.items),
            "link_text": self.link_text,
            "link_url": settings.PORTAL_BASE_URL + self.link_path,
        }


def send_notice(key: str, people: Iterable[User], notice: Notice, *, reminder: bool = False) -> int:
    """Queue `notice` to each person, once per `key` (the outbox's rule)."""
    sent = 0
    for person in people:
        sent += email_queue(
            key=key,
            to=person,
            subject=notice.subject,
            template=TEMPLATE,
            context=notice.context(),
            reminder=reminder,
        )
    return sent


def _people(council: Council | int, *roles: str) -> list[User]:
    memberships = CouncilMembership.objects.filter(council=council, user__is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [m.user for m in memberships.select_related("user").order_by("user__email")]


def _read_name(obj: Dimension | AssessmentRound) -> str:
    return obj.name


def _read_short_name(council: Council) -> str:
    return council.short_name


# A barrier's, a round's or a council's name in the language active when the email is written
# (the reader's), not the sender's.
_name = lazy(_read_name, str)
_short_name = lazy(_read_short_name, str)


def _closing(round_: AssessmentRound) -> Promise:
    return lazy_format(_("The round closes on %(date)s."), date=lazy_date(round_.closes_on))


# The lead and officers -----------------------------------------------------------------------


def parts_assigned(assessment: Assessment, newly: Mapping[User, Sequence[Dimension]]) -> int:
    """To each person newly asked to answer parts of the assessment."""
    round_ = assessment.round
    sent = 0
    for person, dimensions in newly.items():
        if not dimensions:
            continue
        key = "assigned:{}:{}".format(assessment.pk, ",".join(str(d.pk) for d in dimensions))
        council = _short_name(assessment.council)
        notice = Notice(
            subject=lazy_format(
                _("Barriers for you to answer in %(council)s's digital maturity assessment"),
                council=council,
            ),
            heading=_("Barriers for you to answer"),
            paragraphs=[
                lazy_format(
                    _(
                        "You have been asked to answer these barriers in %(council)s's assessment "
                        "for %(round)s. When you have answered them, send your answers to the "
                        "assessment lead."
                    ),
                    council=council,
                    round=_name(round_),
                ),
                _closing(round_),
            ],
            items=[_name(d) for d in dimensions],
            link_text=_("Answer your barriers"),
            link_path=reverse("assessments:overview", args=[assessment.pk]),
        )
        sent += send_notice(key, [person], notice)
    return sent


def response_sent(response: Response) -> int:
    """To the leads: an officer has sent their answers; and, the first time every assigned
    part has been answered by the person it was assigned to, that too."""
    assessment = response.assessment
    council = assessment.council
    leads = [p for p in _people(council, CouncilRole.LEAD) if p.pk != response.respondent_id]
    # Only a person can send their answers, so the response has its respondent.
    assert response.respondent is not None
    name = response.respondent.full_name or response.respondent.email
    sent = send_notice(
        f"response-sent:{response.pk}:{response.submitted_at:%Y%m%d%H%M%S%f}",
        leads,
        Notice(
            subject=lazy_format(
                _("%(name)s has sent their answers for %(council)s"),
                name=name,
                council=_short_name(council),
            ),
            heading=lazy_format(_("%(name)s has sent their answers"), name=name),
            paragraphs=[
                lazy_format(
                    _(
                        "%(name)s has sent their answers to %(council)s's assessment for "
                        "%(round)s. You can now see them when you agree the council's answers."
                    ),
                    name=name,
                    council=_short_name(council),
                    round=_name(assessment.round),
                )
            ],
            link_text=_("See the assessment's progress"),
            link_path=reverse("assessments:progress", args=[assessment.pk]),
        ),
    )
    if _every_assigned_part_answered(assessment):
        sent += send_notice(
            f"assigned-all-answered:{assessment.pk}",
            _people(council, CouncilRole.LEAD),
            Notice(
                subject=lazy_format(
                    _("Every assigned barrier in %(council)s's assessment is answered"),
                    council=_short_name(council),
                ),
                heading=_("Every assigned barrier is answered"),
                paragraphs=[
                    _(
                        "Everyone you asked to answer barriers in the assessment has answered "
                        "them. You can now agree the council's answers and submit them for "
                        "sign-off."
                    )
                ],
                link_text=_("Agree the council's answers"),
                link_path=reverse("assessments:agree", args=[assessment.pk]),
            ),
        )
    return sent


def _every_assigned_part_answered(assessment: Assessment) -> bool:
    """Whether each assignment's person has sent answers to every question of its part."""
    assignments = list(
        DimensionAssignment.objects.filter(assessment=assessment).values_list(
            "dimension_id", "user_id"
        )
    )
    if not assignments:
        return False
    questions = dict(
        Question.objects.filter(dimension__framework=assessment.round.framework_id)
        .values("dimension_id")
        .annotate(n=Count("pk"))
        .values_list("dimension_id", "n")
    )
    answered = {
        (row["question__dimension_id"], row["response__respondent_id"]): row["n"]
        for row in Answer.objects.filter(
            response__assessment=assessment, response__status=ResponseStatus.SUBMITTED
        )
        .values("question__dimension_id", "response__respondent_id")
        .annotate(n=Count("pk"))
    }
    return all(
        answered.get((dimension, user), 0) >= questions.get(dimension, 0)
        for dimension, user in assignments
    )


# Sign-off --------------------------------------------------------------------------------------


def submitted(assessment: Assessment, event: AuditEvent) -> int:
    """To the chief executive: the assessment is waiting for their sign-off."""
    council = assessment.council
    return send_notice(
        f"sign-off-waiting:{event.pk}",
        _people(council, CouncilRole.EXECUTIVE),
        Notice(
            subject=lazy_format(
                _("%(council)s's digital maturity assessment is waiting for your sign-off"),
                council=_short_name(council),
            ),
            heading=_("An assessment is waiting for your sign-off"),
            paragraphs=[
                lazy_format(
                    _(
                        "The assessment lead has submitted %(council)s's assessment for "
                        "%(round)s. Check the answers, then sign it off or return it to the lead "
                        "with a comment."
                    ),
                    council=_short_name(council),
                    round=_name(assessment.round),
                ),
                _closing(assessment.round),
            ],
            link_text=_("Review and sign off"),
            link_path=reverse("assessments:sign-off", args=[assessment.pk]),
        ),
    )


def returned(assessment: Assessment, event: AuditEvent) -> int:
    """To the leads: the chief executive returned the assessment, with their comment."""
    council = assessment.council
    return send_notice(
        f"returned:{event.pk}",
        _people(council, CouncilRole.LEAD),
        Notice(
            subject=lazy_format(
                _("%(council)s's digital maturity assessment has been returned to you"),
                council=_short_name(council),
            ),
            heading=_("The assessment has been returned to you"),
            paragraphs=[
                lazy_format(
                    _(
                        "The chief executive returned %(council)s's assessment for %(round)s "
                        "with this comment:"
                    ),
                    council=_short_name(council),
                    round=_name(assessment.round),
                )
            ],
            quote=assessment.return_comment,
            link_text=_("Change the agreed answers"),
            link_path=reverse("assessments:agree", args=[assessment.pk]),
        ),
    )


def signed_off(assessment: Assessment, event: AuditEvent) -> int:
    """To the council's whole team: the assessment is signed off and its results are ready."""
    council = assessment.council
    return send_notice(
        f"signed-off:{event.pk}",
        _people(council),
        Notice(
            subject=lazy_format(
                _("%(council)s's digital maturity results are ready"),
                council=_short_name(council),
            ),
            heading=_("The assessment is signed off and the results are ready"),
            paragraphs=[
                lazy_format(
                    _(
                        "The chief executive has signed off %(council)s's assessment for "
                        "%(round)s. The council's scores are ready to read, and they count in the "
                        "figures other councils see from the next release."
                    ),
                    council=_short_name(council),
                    round=_name(assessment.round),
                )
            ],
            link_text=_("See the results"),
            link_path=reverse("assessments:results", args=[assessment.pk]),
        ),
    )


# Rounds ----------------------------------------------------------------------------------------


def round_opened(round_: AssessmentRound) -> int:
    """To every council's assessment leads: a new round is open."""
    leads = (
        CouncilMembership.objects.filter(role=CouncilRole.LEAD, user__is_active=True)
        .select_related("user", "council")
        .order_by("council__short_name_en", "user__email")
    )
    sent = 0
    for membership in leads:
        sent += send_notice(
            f"round-opened:{round_.pk}:{membership.council_id}",
            [membership.user],
            Notice(
                subject=lazy_format(
                    _("The %(round)s digital maturity round is open"), round=_name(round_)
                ),
                heading=lazy_format(_("The %(round)s round is open"), round=_name(round_)),
                paragraphs=[
                    lazy_format(
                        _(
                            "You can now start %(council)s's assessment for %(round)s, ask "
                            "officers to answer its barriers, and agree the council's answers."
                        ),
                        council=_short_name(membership.council),
                        round=_name(round_),
                    ),
                    _closing(round_),
                ],
                link_text=_("Go to your assessments"),
                link_path=reverse("assessments:index"),
            ),
        )
    return sent


def reminders_send(*, today: date) -> int:
    """14 and 3 days before an open round closes, remind each person with unfinished work of
    what is left. Reminder emails: anyone may turn them off."""
    sent = 0
    for round_ in AssessmentRound.objects.filter(status=RoundStatus.OPEN):
        days = (round_.closes_on - today).days
        if days in REMINDER_DAYS:
            sent += _round_reminders(round_, days)
    return sent


def _round_reminders(round_: AssessmentRound, days: int) -> int:
    total = Question.objects.filter(dimension__framework=round_.framework_id).count()
    assessments = {
        a.council_id: a
        for a in Assessment.objects.filter(round=round_)
        .select_related("council")
        .annotate(agreed=Count("agreed_answers", distinct=True))
    }
    unsent = _unsent_responses(round_)
    left_by_person = _assigned_parts_left(round_)
    memberships = (
        CouncilMembership.objects.filter(user__is_active=True)
        .select_related("user", "council")
        .order_by("council__short_name_en", "user__email")
    )
    closes_on = lazy_date(round_.closes_on)
    sent = 0
    for membership in memberships:
        assessment = assessments.get(membership.council_id)
        if assessment is not None and assessment.status == AssessmentStatus.SIGNED_OFF:
            continue
        items = _left_for(membership, assessment, total, unsent, left_by_person)
        if not items:
            continue
        link = (
            reverse("assessments:overview", args=[assessment.pk])
            if assessment is not None
            else reverse("assessments:index")
        )
        sent += send_notice(
            f"reminder:{round_.pk}:{days}:{membership.council_id}",
            [membership.user],
            Notice(
                subject=lazy_format(
                    ngettext_lazy(
                        "%(round)s round closes in %(days)s day, on %(date)s: what is left for you",
                        "%(round)s round closes in %(days)s days, on %(date)s: what is left for "
                        "you",
                        days,
                    ),
                    round=_name(round_),
                    days=days,
                    date=closes_on,
                ),
                heading=lazy_format(
                    ngettext_lazy(
                        "The %(round)s round closes in %(days)s day, on %(date)s",
                        "The %(round)s round closes in %(days)s days, on %(date)s",
                        days,
                    ),
                    round=_name(round_),
                    days=days,
                    date=closes_on,
                ),
                paragraphs=[
                    lazy_format(
                        _("This is what is left for you to do for %(council)s:"),
                        council=_short_name(membership.council),
                    )
                ],
                items=items,
                link_text=_("Carry on"),
                link_path=link,
            ),
            reminder=True,
        )
    return sent


def _left_for(
    membership: CouncilMembership,
    assessment: Assessment | None,
    total: int,
    unsent: set[tuple[int, int]],
    left_by_person: Mapping[tuple[int, int], list[Dimension]],
) -> list[str | Promise]:
    role = membership.role
    if assessment is None:
        return [_("Start the council's assessment")] if role == CouncilRole.LEAD else []
    items: list[str | Promise] = []
    key = (assessment.pk, membership.user_id)
    for part in left_by_person.get(key, []):
        items.append(lazy_format(_("Answer your barrier: %(barrier)s"), barrier=_name(part)))
    if key in unsent and not items:
        items.append(_("Send your answers to the assessment lead"))
    if role == CouncilRole.LEAD and assessment.status == AssessmentStatus.IN_PROGRESS:
        to_agree = total - assessment.agreed  # type: ignore[attr-defined]
        if to_agree > 0:
            items.append(
                lazy_format(
                    ngettext_lazy(
                        "Agree the council's answers: %(count)s questions to go",
                        "Agree the council's answers: %(count)s questions to go",
                        to_agree,
                    ),
                    count=to_agree,
                )
            )
        items.append(_("Submit the assessment for sign-off"))
    if role == CouncilRole.EXECUTIVE and assessment.status == AssessmentStatus.SUBMITTED:
        items.append(_("Sign off the assessment, or return it to the lead"))
    return items


def _unsent_responses(round_: AssessmentRound) -> set[tuple[int, int]]:
    return set(
        Response.objects.filter(
            assessment__round=round_, status=ResponseStatus.IN_PROGRESS
        ).values_list("assessment_id", "respondent_id")
    )


def _assigned_parts_left(round_: AssessmentRound) -> dict[tuple[int, int], list[Dimension]]:
    """The assigned parts each person has not yet answered, by (assessment, person)."""
    questions = dict(
        Question.objects.filter(dimension__framework=round_.framework_id)
        .values("dimension_id")
        .annotate(n=Count("pk"))
        .values_list("dimension_id", "n")
    )
    answered = {
        (
            row["response__assessment_id"],
            row["response__respondent_id"],
            row["question__dimension_id"],
        ): row["n"]
        for row in Answer.objects.filter(response__assessment__round=round_)
        .values("response__assessment_id", "response__respondent_id", "question__dimension_id")
        .annotate(n=Count("pk"))
    }
    left: dict[tuple[int, int], list[Dimension]] = {}
    for a in (
        DimensionAssignment.objects.filter(assessment__round=round_)
        .select_related("dimension")
        .order_by("dimension__order")
    ):
        if answered.get((a.assessment_id, a.user_id, a.dimension_id), 0) < questions.get(
            a.dimension_id, 0
        ):
            left.setdefault((a.assessment_id, a.user_id), []).append(a.dimension)
    return left
