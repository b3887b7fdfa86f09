from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Council Digital Maturity Portal administration"
admin.site.site_title = "Portal administration"

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("councils/", include("councils.urls")),
    path("assessments/", include("assessments.urls")),
    path("benchmarks/", include("benchmarks.urls")),
    path("reports/", include("reports.urls")),
    path("open-data/", include("reports.open_data_urls")),
    # One sign-in page for everyone: the admin site sends people to the service's own.
    path(
        "admin/login/",
        login_not_required(
            RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)
        ),
    ),
    path("admin/", admin.site.urls),
]
