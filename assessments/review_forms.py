"""Forms for the lead's, chief executive's and staff's pages (GOV.UK, via crispy-forms-gds)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Hidden, Layout, Size
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import ErrorLinksMixin, names_another_object

from .forms import answer_choices
from .models import AgreedAnswer, AnswerStatus, Dimension, Question
from .scoring import LEVEL_NAMES
from .services import AgreedInput, Conflict

OUT_OF_DATE = _("This page was out of date. Reload it and try again")


def _helper(*fields: Any, submit: str, name: str = "submit", **button: Any) -> FormHelper:
    helper = FormHelper()
    # GOV.UK pattern: the server validates and the error summary explains.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, Button(name, submit, **button))
    return helper


# The lead -------------------------------------------------------------------------------------


class AssignmentsForm(ErrorLinksMixin, forms.Form):
    """Who answers each part: one group of checkboxes per dimension, saved together.
    `version` is what the page was made from (DimensionAssignment.objects.version_of)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        dimensions: Iterable[Dimension],
        members: Iterable[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.dimensions = {f"part_{d.code}": d for d in dimensions}
        layout: list[Any] = []
        for name, dimension in self.dimensions.items():
            self.fields[name] = forms.MultipleChoiceField(
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(pk, user.get_full_name()) for pk, user in self.members.items()],
                # crispy-forms-gds marks labels and legends safe: escape framework content.
                label=format_html(gettext("Who should answer {barrier}?"), barrier=dimension.name),
                error_messages={"invalid_choice": gettext("Select people from the list")},
            )
            layout.append(
                Field.checkboxes(name, legend_size=Size.SMALL, legend_tag="h2", small=True)
            )
        self.helper = _helper(*layout, "version", submit=gettext("Save who answers each barrier"))

    def chosen(self) -> dict[Dimension, list[User]]:
        return {
            dimension: [self.members[pk] for pk in self.cleaned_data[name]]
            for name, dimension in self.dimensions.items()
        }


def _answer_value(status: str, level: int | None) -> str:
    """How an answer is sent by the radios: "1" to "5", "not_applicable" or "dont_know"."""
    return str(level) if status == AnswerStatus.ANSWERED else status


# An answer to a question that is not on the page, e.g. "q123_answer" from a tampered POST.
_QUESTION_KEY = re.compile(r"^q(\d+)_")


class AgreeDimensionForm(ErrorLinksMixin, forms.Form):
    """The lead's agreed answer, rationale and the version they saw, for each question.

    The page renders one question at a time with `helpers[question.pk]`, so the officers'
    answers and any clash can sit beside each question's fields.
    """

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        agreed: Mapping[int, AgreedAnswer],
        suggested: Mapping[int, int | None],
        unanswered: Collection[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.agreed = agreed
        self.suggested = suggested
        # Questions no officer has answered: agreeing one needs the lead to confirm it.
        self.unanswered = {q.pk for q in questions if q.pk in set(unanswered)}
        self.conflicts: dict[int, Conflict] = {}
        self.helpers: dict[int, FormHelper] = {}
        self.confirm_helper: FormHelper | None = None
        if self.unanswered:
            self.fields["confirm_unanswered"] = forms.BooleanField(
                required=False,
                label=gettext(
                    "I have checked the answers I am agreeing to questions no officer answered"
                ),
            )
            self.confirm_helper = FormHelper()
            self.confirm_helper.form_tag = False
            self.confirm_helper.disable_csrf = True
            self.confirm_helper.layout = Layout(Field.checkbox("confirm_unanswered", small=True))
        if questions:
            self.non_field_anchor = f"#question-{questions[0].pk}"
        for question in questions:
            pk, existing, suggestion = (
                question.pk,
                agreed.get(question.pk),
                suggested.get(question.pk),
            )
            if existing is not None:
                initial = _answer_value(existing.status, existing.level)
            elif suggestion is not None:
                initial = str(suggestion)
            else:
                initial = None
            self.fields[f"q{pk}_answer"] = forms.ChoiceField(
                label=format_html(gettext("Agreed answer for {code}"), code=question.code),
                choices=answer_choices(question),
                required=False,
                widget=forms.RadioSelect,
                initial=initial,
                help_text=(
                    gettext(
                        "Suggested from officers' answers: the middle answer (%(level)s %(name)s)"
                    )
                    % {"level": suggestion, "name": LEVEL_NAMES[suggestion]}
                    if existing is None and suggestion is not None
                    else ""
                ),
                error_messages={
                    "invalid_choice": gettext(
                        "Choose a level, Not applicable or Don't know for %(code)s"
                    )
                    % {"code": question.code}
                },
            )
            self.fields[f"q{pk}_rationale"] = forms.CharField(
                label=format_html(gettext("Rationale for {code} (optional)"), code=question.code),
                help_text=gettext("Why the council gives this answer, for example the evidence."),
                required=False,
                max_length=2000,
                widget=forms.Textarea,
                initial=existing.rationale if existing else "",
                error_messages={
                    "max_length": gettext(
                        "The rationale for %(code)s must be 2000 characters or fewer"
                    )
                    % {"code": question.code}
                },
            )
            # Needed only with an answer (checked in clean), so a page may send fewer questions.
            self.fields[f"q{pk}_version"] = forms.IntegerField(
                required=False,
                min_value=0,
                # The column's own limit: a larger number could never be a version.
                max_value=2**31 - 1,
                widget=forms.HiddenInput,
                initial=existing.version if existing else 0,
                error_messages={
                    "invalid": OUT_OF_DATE,
                    "min_value": OUT_OF_DATE,
                    "max_value": OUT_OF_DATE,
                },
            )
            helper = FormHelper()
            helper.form_tag = False
            helper.disable_csrf = True
            helper.layout = Layout(
                Field.radios(f"q{pk}_answer", legend_size=Size.SMALL),
                Field.textarea(f"q{pk}_rationale", rows=3),
                f"q{pk}_version",
            )
            self.helpers[pk] = helper

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if names_another_object(self.data, _QUESTION_KEY, (q.pk for q in self.questions)):
            raise forms.ValidationError(
                gettext(
                    "Some answers were for questions that are not on this page. Reload the page "
                    "and try again"
                )
            )
        for question in self.questions:
            answer, version = f"q{question.pk}_answer", f"q{question.pk}_version"
            if cleaned.get(answer) and cleaned.get(version) is None and version not in self.errors:
                self.add_error(version, OUT_OF_DATE)
        chosen = any(cleaned.get(f"q{question.pk}_answer") for question in self.questions)
        if not chosen and not self.errors:
            raise forms.ValidationError(gettext("Choose an answer to at least one question"))
        unconfirmed = [
            question.code
            for question in self.questions
            if question.pk in self.unanswered
            and question.pk not in self.agreed
            and cleaned.get(f"q{question.pk}_answer")
        ]
        if unconfirmed and not cleaned.get("confirm_unanswered"):
            self.add_error(
                "confirm_unanswered",
                gettext(
                    "No officer has answered %(codes)s. Check the answer you are agreeing, then "
                    "confirm you want to agree it"
                )
                % {"codes": ", ".join(unconfirmed)},
            )
        return cleaned

    def field_anchor(self, bound: forms.BoundField) -> str:
        if bound.is_hidden:
            # The version is hidden: take the lead to the question it belongs to.
            return f"#question-{bound.name.split('_')[0][1:]}"
        return super().field_anchor(bound)

    def error_links(self) -> list[tuple[str, str]]:
        links = super().error_links()
        links.extend(
            (
                gettext("%(code)s: compare their answer with yours") % {"code": c.question.code},
                f"#conflict-{pk}",
            )
            for pk, c in self.conflicts.items()
        )
        return links

    def agreed_inputs(self) -> dict[int, AgreedInput]:
        """The answers chosen on the page, by question id; questions left blank are not sent."""
        inputs = {}
        for question in self.questions:
            pk = question.pk
            value = self.cleaned_data.get(f"q{pk}_answer")
            if not value:
                continue
            is_level = value.isdigit()
            inputs[pk] = AgreedInput(
                status=AnswerStatus.ANSWERED if is_level else value,
                level=int(value) if is_level else None,
                rationale=self.cleaned_data.get(f"q{pk}_rationale", ""),
                expected_version=self.cleaned_data[f"q{pk}_version"],
            )
        return inputs

    def with_conflicts(self, conflicts: list[Conflict]) -> AgreeDimensionForm:
        """The same answers again, now naming the versions that were saved meanwhile.

        The lead's own answers stay selected, so saving again deliberately replaces theirs.
        """
        data = dict(self.data.items())  # single values only: every field here has one
        for conflict in conflicts:
            current = conflict.current
            data[f"q{conflict.question.pk}_version"] = str(current.version if current else 0)
        again = AgreeDimensionForm(
            data,
            questions=self.questions,
            agreed=self.agreed,
            suggested=self.suggested,
            unanswered=self.unanswered,
        )
        again.conflicts = {conflict.question.pk: conflict for conflict in conflicts}
        again.non_field_anchor = f"#conflict-{conflicts[0].question.pk}"
        count = len(conflicts)
        again.add_error(
            None,
            ngettext(
                "Someone else changed %(count)s answer while you were editing",
                "Someone else changed %(count)s answers while you were editing",
                count,
            )
            % {"count": count},
        )
        return again


class SubmitForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#agreed-answers"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit=gettext("Submit for sign-off"))


# The chief executive and staff ----------------------------------------------------------------


class ApproveForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#approve"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Hidden("action", "approve"),
            submit=gettext("Approve and sign off"),
            css_id="approve-button",
        )


class ReturnForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_comment"
    comment = forms.CharField(
        label=_("What does the lead need to change?"),
        help_text=_("The lead sees this comment when they open the assessment."),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter what the lead needs to change"),
            "max_length": _("The comment must be 2000 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("comment", label_size=Size.SMALL, rows=4),
            Hidden("action", "return"),
            submit=gettext("Return to the lead"),
            css_id="return-button",
            css_class="govuk-button--secondary",
        )


class ReopenForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_reason"
    reason = forms.CharField(
        label=_("Why are you reopening this assessment?"),
        help_text=_(
            "This is recorded in the audit trail. Its scores are withdrawn until it is signed "
            "off again."
        ),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter the reason for reopening"),
            "max_length": _("The reason must be 2000 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", label_size=Size.SMALL, rows=4),
            submit=gettext("Reopen assessment"),
            css_class="govuk-button--warning",
        )
