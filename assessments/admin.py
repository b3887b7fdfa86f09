"""Staff views of framework content and assessments.

Framework content comes from `manage.py import_framework`, so the admin never adds it, and a
published version is read-only here as it is everywhere. Assessments, answers and the audit
trail change only through the services in assessments/services.py, which keep the audit
trail; the admin shows them and never edits them.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet, URLField
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdminMixin

from . import services
from .models import (
    AgreedAnswer,
    Answer,
    Assessment,
    AssessmentRound,
    AuditEvent,
    Dimension,
    DimensionScore,
    Framework,
    LevelDescriptor,
    Question,
    Response,
)


def _is_published(obj: Framework | Dimension | Question | LevelDescriptor | None) -> bool:
    if obj is None:
        return False
    if isinstance(obj, Framework):
        return obj.is_published
    if isinstance(obj, LevelDescriptor):
        return obj.question.framework.is_published
    return obj.framework.is_published


class PublishedReadOnlyMixin:
    """Content of a draft may be corrected here; a published version cannot change."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # New content arrives through import_framework, never through the admin.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_published(obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_published(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # "Delete selected" asks for permission without an object, so it would let
        # published content be deleted in bulk.
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


# Framework content ---------------------------------------------------------------------


class DimensionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Dimension
    fields = ("order", "code", "name_en", "name_cy", "description_en", "description_cy")
    readonly_fields = fields
    extra = 0
    show_change_link = False


@admin.register(Framework)
class FrameworkAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name_en", "slug", "version", "status", "published_at", "question_count")
    list_filter = ("status", "slug")
    search_fields = ("name_en", "name_cy", "slug")
    ordering = ("slug", "-version")
    # The slug and version are the key import_framework matches a file on.
    readonly_fields = ("slug", "version", "status", "published_at", "welsh_updated_at")
    fields = (
        "name_en",
        "name_cy",
        "slug",
        "version",
        "status",
        "published_at",
        "welsh_updated_at",
        "description_en",
        "description_cy",
    )
    inlines = (DimensionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Framework]:
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="Questions", ordering="question_count")
    def question_count(self, obj: Framework) -> int:
        return obj.question_count  # type: ignore[attr-defined]


class LevelDescriptorInline(PublishedReadOnlyMixin, admin.TabularInline):
    model = LevelDescriptor
    fields = ("level", "description_en", "description_cy")
    readonly_fields = ("level",)
    extra = 0
    max_num = 5
    can_delete = False


@admin.register(Question)
class QuestionAdmin(PublishedReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "statement_en", "dimension", "framework")
    list_filter = ("framework", "dimension__name_en")
    list_select_related = ("dimension", "framework")
    search_fields = ("code", "statement_en", "statement_cy")
    ordering = ("framework__slug", "-framework__version", "dimension__order", "order")
    readonly_fields = ("framework", "dimension", "code", "order", "replaces")
    fields = (
        "framework",
        "dimension",
        "code",
        "order",
        "statement_en",
        "statement_cy",
        "guidance_en",
        "guidance_cy",
        "replaces",
    )
    inlines = (LevelDescriptorInline,)


# Rounds and assessments ----------------------------------------------------------------


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_cy", "framework", "opens_on", "closes_on", "status")
    list_filter = ("status", "framework", "is_demo")
    search_fields = ("name_en", "name_cy", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    list_select_related = ("framework",)
    date_hierarchy = "opens_on"
    # Status changes go through the services, which keep their rules (a published framework,
    # one step at a time), so the form never edits it.
    readonly_fields = ("status",)
    actions = ("open_rounds", "close_rounds")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Answers hang off the round's framework, so it is fixed once the round exists.
        return ("status", "framework") if obj else ("status",)

    def _change_status(self, request: HttpRequest, rounds: Any, change: Any, done: str) -> None:
        for round_ in rounds:
            try:
                change(round=round_, by=request.user)
            except services.AssessmentError as error:
                self.message_user(request, f"{round_}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{round_}: {done}", messages.SUCCESS)

    @admin.action(description="Open the selected rounds")
    def open_rounds(self, request: HttpRequest, queryset: QuerySet[AssessmentRound]) -> None:
        self._change_status(request, queryset, services.round_open, "opened")

    @admin.action(description="Close the selected rounds")
    def close_rounds(self, request: HttpRequest, queryset: QuerySet[AssessmentRound]) -> None:
        self._change_status(request, queryset, services.round_close, "closed")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("council", "round", "status", "created_at", "submitted_at", "signed_off_at")
    list_filter = ("status", "round")
    search_fields = (
        "council__name_en",
        "council__name_cy",
        "council__short_name_en",
        "council__gss_code",
    )
    list_select_related = ("council", "round")
    autocomplete_fields = ("council",)
    raw_id_fields = ("submitted_by", "signed_off_by")
    date_hierarchy = "created_at"
    readonly_fields = ("links",)

    @admin.display(description="Audit trail and reopening")
    def links(self, obj: Assessment) -> str:
        # Reopening needs a reason and goes through the service, on the portal's own pages.
        return format_html(
            '<a href="{}">Audit trail</a> · <a href="{}">Reopen with a reason</a>',
            reverse("assessments:history", args=[obj.pk]),
            reverse("assessments:reopen", args=[obj.pk]),
        )


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("respondent", "assessment", "status", "started_at", "submitted_at")
    list_filter = ("status", "assessment__round")
    search_fields = ("respondent__email", "assessment__council__name_en")
    list_select_related = ("respondent", "assessment__council", "assessment__round")
    raw_id_fields = ("assessment", "respondent")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("question", "response", "status", "level", "confidence", "updated_at")
    list_filter = ("status", "level", "confidence", "response__assessment__round")
    search_fields = (
        "question__code",
        "response__respondent__email",
        "response__assessment__council__name_en",
    )
    list_select_related = (
        "question",
        "response__respondent",
        "response__assessment__council",
        "response__assessment__round",
    )
    raw_id_fields = ("response", "question")
    # As the officer's form does: a link typed without a scheme is a secure one.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}


@admin.register(AgreedAnswer)
class AgreedAnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("question", "assessment", "status", "level", "updated_by", "updated_at")
    list_filter = ("status", "level", "assessment__round")
    search_fields = ("question__code", "assessment__council__name_en")
    list_select_related = ("question", "assessment__council", "assessment__round", "updated_by")
    raw_id_fields = ("assessment", "question", "updated_by")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "action", "assessment", "actor", "subject")
    list_filter = ("action", "assessment__round")
    search_fields = ("assessment__council__name_en", "actor__email", "subject", "note")
    list_select_related = ("assessment__council", "assessment__round", "actor")
    raw_id_fields = ("assessment", "actor")
    date_hierarchy = "at"


@admin.register(DimensionScore)
class DimensionScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("council", "round", "dimension", "score", "band", "coverage", "respondents")
    list_filter = ("round", "dimension__code", "band")
    search_fields = (
        "council__name_en",
        "council__name_cy",
        "council__short_name_en",
        "council__gss_code",
    )
    list_select_related = ("council", "round", "dimension")
    raw_id_fields = ("assessment", "dimension", "council", "round")
