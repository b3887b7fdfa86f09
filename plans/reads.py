"""What the plan pages show, read in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import CouncilMembership, User
from assessments.models import (
    AgreedAnswer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    Dimension,
    Framework,
    LevelDescriptor,
    Question,
)
from assessments.scoring import MAX_LEVEL
from assessments.wording import answer_text
from core.translation import in_language
from councils.models import Council, name_order

from .models import (
    Action,
    ActionStatus,
    Outcome,
    Plan,
    PlanEvent,
    PlanStatus,
    ProgressUpdate,
    SharingOffer,
    Target,
    recorded,
)


def level_text(level: int | None) -> str:
    if not level:
        return gettext("No level")
    return answer_text(AnswerStatus.ANSWERED, level)


@dataclass
class TargetRow:
    target: Target
    actions: list[Action]
    shown: list[Action]  # after the page's filters
    overdue: int = 0

    @property
    def done(self) -> int:
        return sum(a.status == ActionStatus.DONE for a in self.actions)

    @property
    def starting_text(self) -> str:
        return level_text(self.target.starting_level)

    @property
    def target_text(self) -> str:
        return level_text(self.target.target_level)

    @property
    def achieved_text(self) -> str:
        return level_text(self.target.achieved_level)


@dataclass
class PlanPage:
    plan: Plan | None
    rows: list[TargetRow] = field(default_factory=list)
    owners: list[tuple[str, str]] = field(default_factory=list)
    overdue: int = 0
    open_actions: int = 0
    filtered: bool = False
    changed_since_approval: int = 0

    @property
    def met(self) -> int:
        return sum(r.target.outcome == Outcome.MET for r in self.rows)

    def filter(self, *, owner: str = "", status: str = "") -> None:
        """Show only the actions of this owner (an `owners` key) and status; "" is any."""
        self.filtered = bool(owner or status)
        for row in self.rows:
            row.shown = [
                a
                for a in row.actions
                if (not owner or _owner_key(a) == owner) and (not status or a.status == status)
            ]


def members(council: Council | int) -> list[User]:
    """Everyone in the council's team, who can own an action, by name."""
    return [
        m.user
        for m in CouncilMembership.objects.filter(council=council, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def _targets(plan: Plan) -> list[Target]:
    updates = ProgressUpdate.objects.select_related("by").order_by("-at", "-pk")
    actions = (
        Action.objects.select_related("owner")
        .prefetch_related(Prefetch("updates", queryset=updates))
        .order_by("due_on", "pk")
    )
    return list(
        plan.targets.select_related("dimension", "question", "target_round")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .in_order()
    )


def plan_page(plan: Plan | None, *, today: date) -> PlanPage:
    """The plan's targets in the framework's order, each with its actions, the overdue ones
    counted. Three queries, and one more for an approved plan (its changes since)."""
    page = PlanPage(plan=plan)
    if plan is None:
        return page
    owners: dict[str, str] = {}
    for target in _targets(plan):
        actions = list(target.actions.all())
        for a in actions:
            owners.setdefault(_owner_key(a), a.owner_label)
            # A checked plan is history: nothing in it can be late any more.
            a.overdue = not plan.is_read_only and a.is_overdue(today)  # type: ignore[attr-defined]
        row = TargetRow(target=target, actions=actions, shown=actions)
        row.overdue = sum(a.overdue for a in actions)  # type: ignore[attr-defined]
        page.rows.append(row)
    page.overdue = sum(r.overdue for r in page.rows)
    page.open_actions = sum(a.is_open for r in page.rows for a in r.actions)
    page.owners = sorted(owners.items(), key=lambda pair: pair[1].lower())
    if plan.is_approved:
        page.changed_since_approval = plan.events.filter(after_approval=True).count()
    return page


def _owner_key(action: Action) -> str:
    return f"user-{action.owner_id}" if action.owner_id else f"name-{action.owner_name}"


def subject_for(
    assessment: Assessment, dimension_code: str, question_code: str
) -> tuple[Dimension, Question | None] | None:
    """The barrier (and question) named in the query string, in the assessment's framework."""
    framework_id = assessment.round.framework_id
    if question_code:
        question = (
            Question.objects.filter(framework_id=framework_id, code=question_code)
            .select_related("dimension")
            .first()
        )
        if question is None:
            return None
        return question.dimension, question
    dimension = Dimension.objects.filter(framework_id=framework_id, code=dimension_code).first()
    if dimension is None:
        return None
    return dimension, None


def suggestion(
    assessment: Assessment, dimension: Dimension, question: Question | None, starting: int | None
) -> tuple[int | None, str]:
    """(the next level up, the wording of that level) to pre-fill: for a question, its own
    descriptor; for a barrier, the next level's descriptor of its lowest agreed question."""
    next_level = (starting + 1) if starting is not None and starting < MAX_LEVEL else None
    if question is None:
        lowest = (
            AgreedAnswer.objects.filter(
                assessment=assessment,
                question__dimension=dimension,
                status=AnswerStatus.ANSWERED,
            )
            .order_by("level", "question__order")
            .values_list("question_id", "level")
            .first()
        )
        if lowest is None:
            return next_level, ""
        question_id, level = lowest
        wanted = (level or 0) + 1
    else:
        question_id = question.pk
        wanted = next_level or 0
    found = (
        LevelDescriptor.objects.filter(question_id=question_id, level=wanted)
        .values_list("description_en", "description_cy")
        .first()
    )
    return next_level, in_language(*found) if found else ""


def later_rounds(assessment: Assessment) -> list[AssessmentRound]:
    return list(
        AssessmentRound.objects.filter(opens_on__gt=assessment.round.opens_on).order_by("opens_on")
    )


def my_open_actions(user: User, today: date) -> list[Action]:
    """The person's open actions in every council they belong to, soonest due first."""
    councils = CouncilMembership.objects.for_user(user).values("council_id")
    return list(
        Action.objects.open()
        .owned_by(user)
        .filter(plan__council__in=councils, plan__checked_against__isnull=True)
        .select_related("plan__council", "plan__assessment__round", "target__dimension")
        .in_order()
    )


def plans_to_approve(council_ids: list[int]) -> list[Plan]:
    """Draft plans with at least one target, still open to change, in these councils."""
    return list(
        Plan.objects.filter(
            council__in=council_ids,
            status=PlanStatus.DRAFT,
            checked_against__isnull=True,
            targets__isnull=False,
        )
        .distinct()
        .select_related("council", "assessment__round")
        .order_by(name_order("council__"), "created_at")
    )


def barriers(assessment: Assessment) -> list[Dimension]:
    return list(Dimension.objects.for_framework(assessment.round.framework_id))


@dataclass(frozen=True)
class HistoryRow:
    at: object
    actor: str
    action: str
    subject: str
    changes: list[str]  # "Target level: 3 to 4", "Status: Blocked", "Owner: was Head of IT"
    note: str
    after_approval: bool


def history_row(event: PlanEvent) -> HistoryRow:
    before, after = event.before or {}, event.after or {}
    keys = [k for k in [*before, *after] if before.get(k) != after.get(k)]
    return HistoryRow(
        at=event.at,
        actor=event.actor.get_full_name() if event.actor else gettext("The portal"),
        action=event.get_action_display(),
        subject=event.subject,
        changes=[_change(k, before.get(k), after.get(k)) for k in dict.fromkeys(keys)],
        note=recorded(event.note),
        after_approval=event.after_approval,
    )


# What the history calls each recorded value, by its key in PlanEvent.before and .after.
CHANGED_WHAT = {
    "target_level": _("Target level"),
    "target_round": _("Target round"),
    "target_date": _("Target date"),
    "description": _("Description"),
    "owner": _("Owner"),
    "due_on": _("Due on"),
    "status": _("Status"),
    "blocked_reason": _("Blocked reason"),
    "actions": _("Actions"),
    "met": pgettext_lazy("how many targets", "Met"),
    "not_met": pgettext_lazy("how many targets", "Not met"),
    "not_comparable": pgettext_lazy("how many targets", "Not comparable"),
    "contact": _("Contact"),
    "email": _("Email"),
    "note": _("Note"),
}


def _change(key: str, before: object, after: object) -> str:
    what = str(CHANGED_WHAT.get(key, key.replace("_", " ").capitalize()))
    if _shown(before) and _shown(after):
        return gettext("%(what)s: %(before)s to %(after)s") % {
            "what": what,
            "before": _shown(before),
            "after": _shown(after),
        }
    if _shown(after):
        return f"{what}: {_shown(after)}"
    return gettext("%(what)s: was %(before)s") % {"what": what, "before": _shown(before)}


def _shown(value: object) -> str:
    """A recorded value in words; "" for none. The portal's own words, recorded in English, are
    shown in the reader's language."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(recorded(str(v)) for v in value)
    return recorded(str(value))


@dataclass(frozen=True)
class PlannedAchieved:
    """The plan checked against one round: what was planned for each barrier, and what the
    round's sign-off showed."""

    plan_round: str
    checked_round: str
    targets: list[Target]

    def count(self, outcome: str) -> int:
        return sum(t.outcome == outcome for t in self.targets)

    @property
    def summary(self) -> str:
        met, total = self.count(Outcome.MET), len(self.targets)
        parts = [
            ngettext("%(met)s of %(total)s target met", "%(met)s of %(total)s targets met", total)
            % {"met": met, "total": total}
        ]
        if not_met := self.count(Outcome.NOT_MET):
            parts.append(gettext("%(count)s not met") % {"count": not_met})
        if other := self.count(Outcome.NOT_COMPARABLE):
            parts.append(
                gettext("%(count)s no longer comparable after the framework changed")
                % {"count": other}
            )
        return gettext(
            "The %(plan_round)s plan, checked against the %(checked_round)s results: %(parts)s."
        ) % {
            "plan_round": self.plan_round,
            "checked_round": self.checked_round,
            "parts": ", ".join(parts),
        }


def planned_vs_achieved(council: Council, round_: AssessmentRound) -> PlannedAchieved | None:
    """The council's plan that was checked against its sign-off in `round_`, if any. Two
    queries."""
    plan = (
        Plan.objects.filter(
            council=council, checked_against__round=round_, checked_against__council=council
        )
        .select_related("assessment__round")
        .first()
    )
    return _planned_achieved(plan, round_) if plan is not None else None


def plans_around(
    council: Council, round_: AssessmentRound
) -> tuple[Plan | None, PlannedAchieved | None]:
    """`current_plan` and `planned_vs_achieved` together, as the dashboard shows both: one
    query for the two plans, and one for the checked plan's targets if there is one."""
    current = checked = None
    for plan in (
        Plan.objects.filter(council=council)
        .filter(
            Q(assessment__round=round_)
            | Q(checked_against__round=round_, checked_against__council=council)
        )
        .select_related("assessment__round", "checked_against")
    ):
        if plan.assessment.round_id == round_.pk and current is None:
            current = plan
        against = plan.checked_against
        if against and against.round_id == round_.pk and against.council_id == council.pk:
            checked = checked or plan
    return current, _planned_achieved(checked, round_) if checked is not None else None


def _planned_achieved(plan: Plan, round_: AssessmentRound) -> PlannedAchieved:
    return PlannedAchieved(
        plan_round=plan.assessment.round.name,
        checked_round=round_.name,
        targets=list(
            plan.targets.select_related("dimension", "question", "target_round").in_order()
        ),
    )


def current_plan(council: Council, round_: AssessmentRound) -> Plan | None:
    """The plan made from the council's sign-off in `round_`, if one was started."""
    return (
        Plan.objects.filter(council=council, assessment__round=round_)
        .select_related("assessment__round")
        .first()
    )


@dataclass(frozen=True)
class BarrierOffer:
    code: str
    name: str
    offer: SharingOffer | None


def sharing_offers(council: Council) -> list[BarrierOffer]:
    """Each barrier of the newest published framework with the council's current offer, if any.
    Two queries."""
    framework = Framework.objects.published().order_by("-version").first()
    if framework is None:
        return []
    offers = {o.dimension_code: o for o in SharingOffer.objects.active().filter(council=council)}
    return [
        BarrierOffer(code=d.code, name=d.name, offer=offers.get(d.code))
        for d in Dimension.objects.for_framework(framework)
    ]


def open_actions(plan: Plan) -> list[Action]:
    return list(
        plan.actions.open()
        .select_related("owner", "target__dimension", "target__question")
        .in_order()
    )


def carried_ids(plan: Plan | None) -> set[int]:
    """Actions of the previous plan already carried into this one."""
    if plan is None:
        return set()
    return set(
        plan.actions.filter(carried_from__isnull=False).values_list("carried_from_id", flat=True)
    )


def carry_offer(plan: Plan | None, assessment: Assessment) -> tuple[Plan, int] | None:
    """(the previous plan, how many of its open actions are not yet carried into this one)."""
    previous = (
        Plan.objects.filter(checked_against=assessment).select_related("assessment__round").first()
    )
    if previous is None:
        return None
    waiting = previous.actions.open().exclude(pk__in=carried_ids(plan)).count()
    return (previous, waiting) if waiting else None
