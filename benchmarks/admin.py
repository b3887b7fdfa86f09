from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin

from .models import BenchmarkResult, BenchmarkRun, PeerGroup


@admin.register(PeerGroup)
class PeerGroupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "member_count", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    fields = ("name", "name_cy", "slug", "kind", "network", "owner", "updated_at", "members")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PeerGroup]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("Member councils"), ordering="member_count")
    def member_count(self, obj: PeerGroup) -> int:
        return obj.member_count  # type: ignore[attr-defined]


@admin.register(BenchmarkResult)
class BenchmarkResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "peer_group",
        "subject",
        "round",
        "councils",
        "suppressed",
        "suppression_reason",
        "median",
        "q1",
        "q3",
        "computed_at",
    )
    list_filter = ("round", "peer_group__kind", "suppressed", "suppression_reason")
    list_select_related = ("round", "peer_group", "dimension")
    search_fields = ("peer_group__name", "peer_group__slug")
    # The distribution places single councils; it is for each council's own view only.
    exclude = ("distribution",)

    @admin.display(description=_("Dimension"))
    def subject(self, obj: BenchmarkResult) -> str:
        return obj.dimension.name if obj.dimension is not None else gettext("Overall")


@admin.register(BenchmarkRun)
class BenchmarkRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "computed_at", "seconds", "basis")
    # The scores of every council by name: not for a list page or a detail page either.
    exclude = ("council_scores",)
    list_select_related = ("round",)
