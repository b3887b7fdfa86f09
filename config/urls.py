from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from api.api import api_urls
from core import converters

# Before the apps' URL modules are read: they use these converters.
converters.register()

admin.site.site_header = "Council Digital Maturity Portal administration"
admin.site.site_title = "Portal administration"

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("councils/", include("councils.urls")),
    path("assessments/", include("assessments.urls")),
    path("rounds/", include("assessments.round_urls")),
    path("plans/", include("plans.urls")),
    path("benchmarks/", include("benchmarks.urls")),
    path("reports/", include("reports.urls")),
    path("open-data/", include("reports.open_data_urls")),
    path("api/v1/", api_urls()),
    path("councils/", include("api.urls")),
    # One sign-in page for everyone: the admin site sends people to the service's own.
    path("admin/login/", accounts_views.admin_sign_in),
    path("admin/", admin.site.urls),
]
