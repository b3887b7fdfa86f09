import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Fieldset, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop

from core.forms import names_another_object
from core.fragments import kept_fields

from .models import Answer, AnswerStatus, Confidence, Level, Question
from .scoring import LEVEL_NAMES
from .services import AnswerInput

NOTE_MAX_LENGTH = 2000
URL_MAX_LENGTH = 500

# Every field on the page is named q<question id>-<part>; a key of that shape naming a
# question that is not on the page can only come from a changed form.
QUESTION_KEY = re.compile(r"^q(\d+)-")
# Marked here, translated where it is raised (gettext(TAMPERED)), in the reader's language.
TAMPERED = gettext_noop(
    "The form was changed. Nothing was saved. Check your answers and save again."
)

# The GOV.UK radios template: the first radio carries the field's id, so the error summary's
# link lands on it (crispy-forms-gds numbers every radio, which leaves the link dangling).
RADIOS_TEMPLATE = "assessments/officer/_radios.html"


class Details(LayoutObject):
    """A GOV.UK details component whose text is escaped, never parsed as a template.

    crispy's HTML object renders its content as a Django template, which is unsafe for
    framework content written by people.
    """

    template = "assessments/officer/_details.html"

    def __init__(self, summary: str, text: str) -> None:
        self.fields: list[Any] = []
        self.summary = summary
        self.text = text

    def render(
        self, form: forms.Form, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> str:
        return render_to_string(self.template, {"summary": self.summary, "text": self.text})


def _kept(form: forms.Form, names: Sequence[str], wording: str, draw: Callable[[], str]) -> str:
    """What `draw()` gives, kept in the process (core.fragments) for the wording and the values
    shown. The same wording showing the same values is the same HTML for everyone (the CSRF
    token is outside it). A form sent back (with its errors, or what was just typed) is always
    drawn afresh.
    """
    values = [(name, form[name].value()) for name in names]
    return kept_fields(form, names, (wording, values), draw)


class QuestionFieldset(Fieldset):
    """One question's fieldset, kept (`_kept`) for the answers it shows; its fields are kept
    one by one too (`KeptField`), so a question whose answers changed draws only the fields
    showing something not seen before."""

    def __init__(self, *fields: Any, wording: str, names: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*fields, **kwargs)
        self.wording = wording
        self.names = list(names)

    def render(
        self, form: forms.Form, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> str:
        return _kept(
            form,
            self.names,
            self.wording,
            lambda: super(QuestionFieldset, self).render(form, context, template_pack, **kwargs),
        )


class KeptField(LayoutObject):
    """One crispy-forms-gds field of a question, kept (`_kept`) for the value it shows."""

    def __init__(self, field: Field, *, wording: str) -> None:
        self.field = field
        self.fields: list[Any] = list(field.fields)
        self.wording = wording

    def render(
        self, form: forms.Form, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> str:
        return _kept(
            form,
            self.fields,
            self.wording,
            lambda: self.field.render(form, context, template_pack=template_pack, **kwargs),
        )


def answer_choices(question: Question) -> list[Choice]:
    """Levels 1 to 5 with the question's descriptors as hints, then "or" and the two opt-outs.

    Reads question.descriptors.all(), so prefetch the descriptors.
    """
    descriptors = {d.level: d.description for d in question.descriptors.all()}
    # The words in the active language, as plain strings: the choices are part of the key of
    # the kept HTML (`_kept`).
    choices = [
        Choice(
            str(level.value),
            f"{level.value} {LEVEL_NAMES[level.value]}",
            hint=descriptors.get(level, ""),
        )
        for level in Level
    ]
    choices[-1].divider = gettext("or")
    choices.extend(
        Choice(status.value, str(status.label))
        for status in (AnswerStatus.NOT_APPLICABLE, AnswerStatus.DONT_KNOW)
    )
    return choices


def _initial(answer: Answer) -> dict[str, str]:
    return {
        "answer": str(answer.level) if answer.status == AnswerStatus.ANSWERED else answer.status,
        "confidence": answer.confidence,
        "note": answer.evidence_note,
        "link": answer.evidence_url,
    }


class DimensionAnswersForm(forms.Form):
    """An officer's answers to the questions of one dimension; every question is optional.

    Fields are named q<question id>-answer, -confidence, -note and -link.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        initial_answers: Mapping[int, Answer],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        layout: list[Any] = []
        for question in self.questions:
            name = f"q{question.pk}"
            code = question.code
            choices = answer_choices(question)
            self.fields[f"{name}-answer"] = forms.ChoiceField(
                label=gettext("Which level best describes your council now?"),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": gettext(
                        "Select a level for %(code)s, or 'Not applicable' or 'Don't know'"
                    )
                    % {"code": code},
                },
            )
            self.fields[f"{name}-confidence"] = forms.ChoiceField(
                label=gettext("How confident are you in this answer? (optional)"),
                choices=Confidence.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": gettext("Select low, medium or high for %(code)s")
                    % {"code": code}
                },
            )
            # A validator rather than max_length, so the browser adds no maxlength and the
            # character count can tell people how far over they are.
            self.fields[f"{name}-note"] = forms.CharField(
                label=gettext("Evidence (optional)"),
                help_text=gettext(
                    "What you based your answer on, such as a strategy, report or survey."
                ),
                required=False,
                widget=forms.Textarea,
                validators=[
                    MaxLengthValidator(
                        NOTE_MAX_LENGTH,
                        message=gettext(
                            "The evidence for %(code)s must be %(max)s characters or fewer"
                        )
                        % {"code": code, "max": NOTE_MAX_LENGTH},
                    )
                ],
            )
            self.fields[f"{name}-link"] = forms.URLField(
                label=gettext("Link to evidence (optional)"),
                help_text=gettext("For example, https://www.example.gov.uk/digital-strategy"),
                required=False,
                max_length=URL_MAX_LENGTH,
                assume_scheme="https",
                # A text input (crispy-forms-gds styles and marks errors on these only) that
                # still brings up a keyboard for web addresses.
                widget=forms.TextInput(attrs={"inputmode": "url"}),
                error_messages={
                    "invalid": gettext(
                        "Enter the evidence link for %(code)s in the correct format, "
                        "like https://www.example.gov.uk/digital-strategy"
                    )
                    % {"code": code},
                    "max_length": gettext(
                        "The evidence link for %(code)s must be %(max)s characters or fewer"
                    )
                    % {"code": code, "max": URL_MAX_LENGTH},
                },
            )
            answer = initial_answers.get(question.pk)
            if answer is not None:
                for part, value in _initial(answer).items():
                    self.initial.setdefault(f"{name}-{part}", value)
            layout.append(self._question_layout(question, name, choices))

        self.helper = FormHelper()
        # GOV.UK pattern: the server validates and the error summary explains.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *layout,
            Div(
                # Distinguished by name: the first submit button is also what Enter presses.
                Button.primary("continue", gettext("Save and continue")),
                Button.secondary("later", gettext("Save and come back later")),
                css_class="govuk-button-group",
            ),
        )

    @staticmethod
    def _question_layout(question: Question, name: str, choices: list[Choice]) -> Fieldset:
        parts: list[Any] = []
        if question.guidance:
            parts.append(Details(gettext("What good looks like"), question.guidance))
        wording = repr(
            (
                question.pk,
                question.code,
                question.statement,
                question.guidance,
                [(c.value, c.label, getattr(c, "hint", "")) for c in choices],
            )
        )
        parts += [
            KeptField(
                Field.radios(f"{name}-answer", legend_size=Size.SMALL, template=RADIOS_TEMPLATE),
                wording=wording,
            ),
            KeptField(
                Field.radios(
                    f"{name}-confidence",
                    legend_size=Size.SMALL,
                    inline=True,
                    small=True,
                    template=RADIOS_TEMPLATE,
                ),
                wording=wording,
            ),
            KeptField(
                Field.textarea(f"{name}-note", rows=4, max_characters=NOTE_MAX_LENGTH),
                wording=wording,
            ),
            KeptField(
                Field.text(f"{name}-link", spellcheck="false", autocomplete="url"),
                wording=wording,
            ),
        ]
        return QuestionFieldset(
            *parts,
            wording=wording,
            names=[f"{name}-{part}" for part in ("answer", "confidence", "note", "link")],
            # Fieldset marks its legend safe, so escape the framework's wording here.
            legend=format_html(
                '<span class="govuk-caption-m">{}</span> {}', question.code, question.statement
            ),
            legend_size=Size.MEDIUM,
            legend_tag="h2",
            css_id=f"question-{question.pk}",
            css_class="govuk-!-margin-bottom-8",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if names_another_object(self.data, QUESTION_KEY, (q.pk for q in self.questions)):
            raise forms.ValidationError(gettext(TAMPERED), code="tampered")
        return cleaned

    def answers(self) -> dict[int, AnswerInput]:
        """The answers given, by question id. A question with no answer is left out,
        along with any confidence or evidence given for it."""
        answers = {}
        for question in self.questions:
            name = f"q{question.pk}"
            value = self.cleaned_data.get(f"{name}-answer")
            if not value:
                continue
            if value in (AnswerStatus.NOT_APPLICABLE, AnswerStatus.DONT_KNOW):
                status, level = value, None
            else:
                status, level = AnswerStatus.ANSWERED.value, int(value)
            answers[question.pk] = AnswerInput(
                status=status,
                level=level,
                confidence=self.cleaned_data.get(f"{name}-confidence") or "",
                evidence_note=self.cleaned_data.get(f"{name}-note") or "",
                evidence_url=self.cleaned_data.get(f"{name}-link") or "",
            )
        return answers
