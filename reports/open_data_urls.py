from django.urls import path

from . import open_data_views

app_name = "open-data"

urlpatterns = [
    path("", open_data_views.index, name="index"),
    path("<slug:slug>.csv", open_data_views.round_csv, name="csv"),
    path("<slug:slug>.json", open_data_views.round_json, name="json"),
]
