from django.urls import path

from . import open_data_views, views

app_name = "reports"

urlpatterns = [
    path("councils/<str:gss_code>/", views.council_reports, name="council"),
    path("networks/<slug:slug>/", views.network_reports, name="network"),
    path("uk/", views.uk_reports, name="uk"),
    path("open-data/", open_data_views.manage, name="open-data-manage"),
    path("open-data/<slug:slug>/", open_data_views.publish, name="open-data-publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/download/", views.download, name="download"),
]
