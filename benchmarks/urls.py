from django.urls import path

from . import network_views, views

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
    path("councils/<gss:gss_code>/", views.council, name="council"),
    path(
        "councils/<gss:gss_code>/charts/<slug:chart>.csv",
        views.council_chart_data,
        name="council-chart-data",
    ),
    path("networks/<slug:slug>/", network_views.network, name="network"),
]
