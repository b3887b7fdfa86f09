from django.urls import path

from . import open_data_views, views

app_name = "reports"

urlpatterns = [
    path("councils/<gss:gss_code>/", views.council_reports, name="council"),
    path(
        "councils/<gss:gss_code>/data/<slug:round_slug>/",
        views.council_data,
        name="council-data",
    ),
    path(
        "councils/<gss:gss_code>/data/<slug:round_slug>/<slug:table>.csv",
        views.council_data_csv,
        name="council-data-csv",
    ),
    path(
        "councils/<gss:gss_code>/data/<slug:round_slug>/all.xlsx",
        views.council_data_xlsx,
        name="council-data-xlsx",
    ),
    path("networks/<slug:slug>/", views.network_reports, name="network"),
    path("uk/", views.uk_reports, name="uk"),
    path("open-data/", open_data_views.manage, name="open-data-manage"),
    path("open-data/<slug:slug>/", open_data_views.publish, name="open-data-publish"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/status/", views.status, name="status"),
    path("<id:pk>/retry/", views.retry, name="retry"),
    path("<id:pk>/download/", views.download, name="download"),
]
