from collections.abc import Collection
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound
from benchmarks.models import PeerGroup
from core.forms import ErrorLinksMixin

from .models import ReportKind


class CouncilReportForm(ErrorLinksMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Which report?"),
        widget=forms.RadioSelect,
        choices=[
            (
                ReportKind.COUNCIL_PDF,
                _(
                    "Council report: the full results, charts, strengths and priorities, and "
                    "the agreed answers with their evidence (PDF)"
                ),
            ),
            (
                ReportKind.MEMBER_BRIEFING,
                _("Briefing for elected members: one page in plain English (PDF)"),
            ),
        ],
        error_messages={
            "required": _("Select which report you want"),
            "invalid_choice": _("Select a report from the list"),
        },
    )
    group = forms.ChoiceField(
        label=_("Compare with"),
        help_text=_("The group of similar councils the report compares your council with."),
        error_messages={
            "required": _("Select a group of councils to compare with"),
            "invalid_choice": _("Select a group of councils from the list"),
        },
    )

    def __init__(
        self,
        *args: Any,
        groups: list[PeerGroup],
        without_figures: Collection[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ChoiceField)
        # A group with no figures to show makes a report with none: say so in its name.
        field.choices = [
            (
                g.slug,
                gettext("%(group)s (no figures yet)") % {"group": g.name}
                if g.slug in without_figures
                else g.name,
            )
            for g in groups
        ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.select("group"),
            Submit("submit", gettext("Make the report")),
        )


class SectorReportForm(ErrorLinksMixin, forms.Form):
    round = forms.ChoiceField(
        label=_("Round"),
        error_messages={
            "required": _("Select a round"),
            "invalid_choice": _("Select a round from the list"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Format"),
        widget=forms.RadioSelect,
        choices=[
            (ReportKind.SECTOR_PDF, _("PDF: a narrative report to read and share")),
            (ReportKind.SECTOR_XLSX, _("Excel spreadsheet: the figures, one sheet per view")),
            (ReportKind.SECTOR_CSV, _("CSV: every figure in one long table, for analysis")),
        ],
        error_messages={
            "required": _("Select a format"),
            "invalid_choice": _("Select a format from the list"),
        },
    )

    def __init__(self, *args: Any, rounds: list[AssessmentRound], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = {r.slug: r for r in rounds}
        field = self.fields["round"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.slug, r.name) for r in rounds]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.select("round"),
            Field.radios("kind", legend_size=Size.SMALL),
            Submit("submit", gettext("Make the report")),
        )


class PublishOpenDataForm(ErrorLinksMixin, forms.Form):
    """Confirms publishing the edition the page describes. `release` is the release the page
    was made from, so a release made in between is caught rather than published unseen."""

    release = forms.IntegerField(widget=forms.HiddenInput)
    correction = forms.CharField(
        label=_("What does this edition correct?"),
        help_text=_(
            "This is published with the edition, for example: 'Two councils' answers "
            "were corrected after the round closed.'"
        ),
        widget=forms.Textarea,
        max_length=500,
        error_messages={
            "required": _("Say what this edition corrects"),
            "max_length": _("What it corrects must be 500 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, correction: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        fields: list[Any] = ["release"]
        if correction:
            fields.append(Field.textarea("correction", label_size=Size.SMALL, rows=3))
        else:
            del self.fields["correction"]
        self.helper.layout = Layout(*fields, Submit("submit", gettext("Publish")))
