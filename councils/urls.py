from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("networks/", views.networks, name="networks"),
    path("networks/<slug:slug>/", views.network_detail, name="network-detail"),
    path("<gss:gss_code>/", views.detail, name="detail"),
    path("<gss:gss_code>/sharing/", views.sharing, name="sharing"),
]
