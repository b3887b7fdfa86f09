from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin

from .models import Council, FormerGssCode, Network, NetworkSharing, SharingEvent


class FormerGssCodeInline(admin.TabularInline):
    model = FormerGssCode
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name_en", "gss_code", "council_type", "nation", "region", "population")
    list_filter = ("nation", "council_type", "tier", "region", "rurality")
    search_fields = (
        "name_en",
        "short_name_en",
        "name_cy",
        "short_name_cy",
        "gss_code",
        "la_code",
        "former_codes__gss_code",
    )
    list_per_page = 50
    ordering = ("short_name_en",)
    autocomplete_fields = ("parent_county",)
    # `manage.py import_councils` owns the register; the GSS code is the key it matches
    # on, so it changes only through a new import with the old code in former_gss_codes.
    readonly_fields = ("updated_at",)
    inlines = (FormerGssCodeInline,)
    fieldsets = (
        (None, {"fields": ("name_en", "short_name_en", "gss_code", "la_code")}),
        # `import_councils` owns these too, from councils/data/welsh_names.csv.
        (_("Welsh names"), {"fields": ("name_cy", "short_name_cy")}),
        (
            _("Type and place"),
            {"fields": ("council_type", "tier", "nation", "region", "parent_county")},
        ),
        (
            _("Peer grouping data"),
            {
                "fields": (
                    ("population", "population_year"),
                    "deprivation_score",
                    ("deprivation_quintile", "deprivation_decile"),
                    "high_deprivation_share",
                    ("area_km2", "density_per_km2"),
                    "rurality",
                )
            },
        ),
        (None, {"fields": ("notes", "updated_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Council | None = None) -> tuple:
        if obj is not None:
            return (*self.readonly_fields, "gss_code")
        return self.readonly_fields


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "member_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Network]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("Member councils"), ordering="member_count")
    def member_count(self, obj: Network) -> int:
        return obj.member_count  # type: ignore[attr-defined]


@admin.register(NetworkSharing)
class NetworkSharingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Sharing choices are the council lead's to make, through the portal, so that every
    # change is recorded in the audit trail.
    list_display = ("council", "network", "by_name", "updated_at", "updated_by")
    list_filter = ("by_name", "network")
    search_fields = (
        "council__name_en",
        "council__name_cy",
        "council__short_name_en",
        "council__gss_code",
        "network__name",
    )
    list_select_related = ("council", "network", "updated_by")


@admin.register(SharingEvent)
class SharingEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "council", "network", "by_name_before", "by_name_after", "actor")
    list_filter = ("network", "by_name_after")
    search_fields = (
        "council__name_en",
        "council__name_cy",
        "council__short_name_en",
        "network__name",
        "actor__email",
    )
    list_select_related = ("council", "network", "actor")
    date_hierarchy = "at"
