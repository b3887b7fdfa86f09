"""The plan's forms (GOV.UK, via crispy-forms-gds). They check what can be tied to one input, so
the error summary links to it; the services check the same rules again, and anything else they
refuse is shown at the top of the form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fluid, Hidden, Layout, Size, Submit
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.models import AssessmentRound
from assessments.scoring import LEVELS
from core.formatting import date_text
from core.forms import ErrorLinksMixin, date_field

from .models import Action, ActionStatus, Target
from .reads import level_text
from .services import ActionInput, TargetInput

OUTSIDE = ""


def _helper(*fields: Any, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class _ActionFields(forms.Form):
    """What, who and by when: shared by the first action of a target and any later action."""

    def add_action_fields(
        self, members: Iterable[User], *, today: date, prefix: str = "", required: bool = True
    ) -> list[Any]:
        self.today = today
        self.members = {str(user.pk): user for user in members}
        self.fields[f"{prefix}description"] = forms.CharField(
            label=_("What will be done"),
            help_text=_(
                "Start with a verb, for example: Agree a data sharing protocol with health partners"
            ),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            required=required,
            error_messages={"required": _("Enter what will be done")},
        )
        self.fields[f"{prefix}owner"] = forms.ChoiceField(
            label=_("Owner"),
            help_text=_("Someone in your council's team sees the action on their home page"),
            choices=[
                *((pk, user.get_full_name()) for pk, user in self.members.items()),
                (OUTSIDE, _("Someone outside the portal (name the role below)")),
            ],
            required=False,
            error_messages={"invalid_choice": _("Choose an owner from the list")},
        )
        self.fields[f"{prefix}owner_name"] = forms.CharField(
            label=_("Role outside the portal (optional)"),
            help_text=_("For example: Head of IT, or the digital programme board"),
            max_length=120,
            required=False,
        )
        self.fields[f"{prefix}due_on"] = date_field(
            _("Due date"), _("For example, 31 3 2027"), required=required
        )
        return [
            Field.textarea(f"{prefix}description"),
            Field.select(f"{prefix}owner"),
            Field.text(f"{prefix}owner_name", field_width=Fluid.TWO_THIRDS),
            Field(f"{prefix}due_on", legend_size=Size.SMALL),
        ]

    def check_action_fields(
        self, cleaned: dict[str, Any], *, prefix: str = "", previous_due: date | None = None
    ) -> None:
        if (
            cleaned.get(f"{prefix}owner") == OUTSIDE
            and not (cleaned.get(f"{prefix}owner_name") or "").strip()
        ):
            self.add_error(
                f"{prefix}owner_name",
                gettext("Name the role outside the portal, or choose an owner from your team"),
            )
        due = cleaned.get(f"{prefix}due_on")
        if due is not None and due != previous_due and due < self.today:
            self.add_error(
                f"{prefix}due_on", gettext("The due date must be today or in the future")
            )

    def action_input(
        self, *, prefix: str = "", status: str = ActionStatus.NOT_STARTED, blocked_reason: str = ""
    ) -> ActionInput:
        data = self.cleaned_data
        owner = self.members.get(data[f"{prefix}owner"]) if data[f"{prefix}owner"] else None
        return ActionInput(
            description=data[f"{prefix}description"],
            owner=owner,
            owner_name="" if owner else data[f"{prefix}owner_name"],
            due_on=data[f"{prefix}due_on"],
            status=status,
            blocked_reason=blocked_reason,
        )


class TargetForm(ErrorLinksMixin, _ActionFields):
    """A target: the level to reach and by when; when adding, its first action too."""

    def __init__(
        self,
        *args: Any,
        starting: int | None,
        rounds: Sequence[AssessmentRound],
        members: Iterable[User],
        today: date,
        target: Target | None = None,
        first_action: bool = True,
        subject: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        if target is not None:
            # Changing a target starts from what is saved, version included.
            kwargs.setdefault(
                "initial",
                {
                    "target_level": target.target_level,
                    "target_round": str(target.target_round_id or ""),
                    "target_date": target.target_date,
                    "version": target.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.today = today
        self.rounds = {str(r.pk): r for r in rounds}
        above = [level for level in LEVELS if starting is None or level > starting]
        self.fields["target_level"] = forms.TypedChoiceField(
            label=_("Target level"),
            choices=[(str(level), level_text(level)) for level in above],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose the level to reach"),
                "invalid_choice": _("Choose a level from the list"),
            },
        )
        self.fields["target_round"] = forms.ChoiceField(
            label=_("Reach it by the round"),
            choices=[(OUTSIDE, _("No round: use the date below"))]
            + [(pk, r.name) for pk, r in self.rounds.items()],
            required=False,
            error_messages={"invalid_choice": _("Choose a round from the list")},
        )
        self.fields["target_date"] = date_field(
            _("Target date"), _("Or a date to reach it by. For example, 31 3 2028"), required=False
        )
        layout: list[Any] = [
            Field.radios("target_level", legend_size=Size.SMALL, small=True),
            Field.select("target_round"),
            Field("target_date", legend_size=Size.SMALL),
        ]
        if target is not None:
            self.fields["version"] = _version()
            layout.append("version")
        # What "Add to plan" was pressed on, carried through the POST (checked again there).
        layout += [Hidden(name, value) for name, value in (subject or {}).items()]
        if first_action:
            layout.append(
                HTML(
                    '<h2 class="govuk-heading-m">{}</h2>'.format(
                        escape(gettext("The first action"))
                    )
                )
            )
            layout += self.add_action_fields(members, today=today, prefix="action_")
        self.helper = _helper(
            *layout, submit=gettext("Save the target") if target else gettext("Add to the plan")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen_round = cleaned.get("target_round")
        chosen_date = cleaned.get("target_date")
        if "target_date" not in self.errors and not chosen_round and chosen_date is None:
            self.add_error(
                "target_round", gettext("Choose the round to reach the target by, or enter a date")
            )
        if chosen_date is not None and chosen_date <= self.today:
            self.add_error("target_date", gettext("The target date must be in the future"))
        if "action_description" in self.fields:
            self.check_action_fields(cleaned, prefix="action_")
        return cleaned

    def target_input(self) -> TargetInput:
        data = self.cleaned_data
        return TargetInput(
            target_level=data["target_level"],
            target_round=self.rounds.get(data["target_round"]) if data["target_round"] else None,
            target_date=data["target_date"],
        )


def _status_field(label: Any = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a status"),
            "invalid_choice": _("Choose a status from the list"),
        },
    )


def _blocked_reason() -> forms.CharField:
    return forms.CharField(
        label=_("If it is blocked, what is blocking it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ActionForm(ErrorLinksMixin, _ActionFields):
    """The lead adds or changes an action."""

    def __init__(
        self,
        *args: Any,
        members: Iterable[User],
        today: date,
        action: Action | None = None,
        **kwargs: Any,
    ) -> None:
        if action is not None:
            kwargs.setdefault(
                "initial",
                {
                    "description": action.description,
                    "owner": str(action.owner_id) if action.owner_id else OUTSIDE,
                    "owner_name": action.owner_name,
                    "due_on": action.due_on,
                    "status": action.status,
                    "blocked_reason": action.blocked_reason,
                    "version": action.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.action = action
        layout = self.add_action_fields(members, today=today)
        self.fields["status"] = _status_field()
        self.fields["blocked_reason"] = _blocked_reason()
        layout += [
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.textarea("blocked_reason"),
        ]
        if action is not None:
            self.fields["version"] = _version()
            layout.append("version")
        else:
            self.initial.setdefault("status", ActionStatus.NOT_STARTED)
        self.helper = _helper(*layout, submit=gettext("Save the action"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_action_fields(
            cleaned, previous_due=self.action.due_on if self.action is not None else None
        )
        if (
            cleaned.get("status") == ActionStatus.BLOCKED
            and not (cleaned.get("blocked_reason") or "").strip()
        ):
            self.add_error("blocked_reason", gettext("Say what is blocking the action"))
        return cleaned

    def values(self) -> ActionInput:
        return self.action_input(
            status=self.cleaned_data["status"], blocked_reason=self.cleaned_data["blocked_reason"]
        )


class ProgressForm(ErrorLinksMixin, forms.Form):
    """An owner says how their action is going."""

    note = forms.CharField(
        label=_("What has happened since the last update?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": action.status,
                "blocked_reason": action.blocked_reason,
                "version": action.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["status"] = _status_field(_("How is it going?"))
        self.fields["blocked_reason"] = _blocked_reason()
        self.fields["version"] = _version()
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.textarea("blocked_reason"),
            Field.textarea("note"),
            "version",
            submit=gettext("Save the update"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status == ActionStatus.BLOCKED and not (cleaned.get("blocked_reason") or "").strip():
            self.add_error("blocked_reason", gettext("Say what is blocking the action"))
        if status and status == self.action.status and not (cleaned.get("note") or "").strip():
            self.add_error("note", gettext("Say what has happened, or change the status"))
        return cleaned


class ConfirmForm(ErrorLinksMixin, forms.Form):
    """A confirmation page's one button."""

    def __init__(self, *args: Any, button: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit=button)


class FilterForm(forms.Form):
    """The plan page's filters, read from the query string; an unknown value filters nothing."""

    owner = forms.ChoiceField(label=_("Owner"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ActionStatus.choices]
    )

    def __init__(self, *args: Any, owners: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [("", gettext("Anyone")), *owners]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("owner"),
            Field.select("status"),
            Submit("filter", gettext("Filter actions"), css_class="govuk-button--secondary"),
        )

    def chosen(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["owner"], self.cleaned_data["status"]


class SharingOfferForm(ErrorLinksMixin, forms.Form):
    """A council's offer to tell others how it improved in one barrier."""

    contact_name = forms.CharField(
        label=_("Contact name"),
        help_text=_("A person or a team, for example: Digital transformation team"),
        max_length=120,
        error_messages={"required": _("Enter a contact name")},
    )
    contact_email = forms.EmailField(
        label=_("Contact email address"),
        help_text=_("Councils that find you will see this address. A shared team inbox works well"),
        max_length=254,
        error_messages={
            "required": _("Enter a contact email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
        },
    )
    note = forms.CharField(
        label=_("A short note (optional)"),
        help_text=_("What you did, in a sentence or two. Up to 500 characters"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        error_messages={"max_length": _("The note must be 500 characters or fewer")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.textarea("note"),
            submit=gettext("Save the offer"),
        )


class CarryForm(ErrorLinksMixin, forms.Form):
    """Which open actions of the previous plan to carry into this one."""

    def __init__(self, *args: Any, actions: Sequence[Action], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.actions = {str(a.pk): a for a in actions}
        self.fields["actions"] = forms.MultipleChoiceField(
            label=_("Open actions of the previous plan"),
            choices=[
                (
                    pk,
                    gettext("%(description)s (%(owner)s, due %(due)s, %(status)s)")
                    % {
                        "description": a.description,
                        "owner": a.owner_label,
                        "due": date_text(a.due_on),
                        "status": str(a.get_status_display()).lower(),
                    },
                )
                for pk, a in self.actions.items()
            ],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one action to carry over"),
                "invalid_choice": _("Choose actions from the list"),
            },
        )
        self.fields["new_due_on"] = date_field(
            _("New due date"),
            _("For the actions whose due date has passed. For example, 30 9 2027"),
            required=False,
        )
        self.helper = _helper(
            Field.checkboxes("actions", legend_size=Size.SMALL, small=True),
            Field("new_due_on", legend_size=Size.SMALL),
            submit=gettext("Carry over the chosen actions"),
        )

    def chosen(self) -> list[Action]:
        return [self.actions[pk] for pk in self.cleaned_data["actions"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [self.actions[pk] for pk in cleaned.get("actions", []) if pk in self.actions]
        due = cleaned.get("new_due_on")
        if any(a.due_on < self.today for a in chosen) and "new_due_on" not in self.errors:
            if due is None:
                self.add_error(
                    "new_due_on", gettext("Enter a new due date for the actions already due")
                )
            elif due < self.today:
                self.add_error(
                    "new_due_on", gettext("The new due date must be today or in the future")
                )
        return cleaned
