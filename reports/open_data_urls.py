from django.urls import path

from . import open_data_views as views

app_name = "open-data"

urlpatterns = [
    path("", views.index, name="index"),
    # The latest edition, at addresses that stay the same across corrections.
    path("<slug:slug>.csv", views.latest_file, {"extension": "csv"}, name="csv"),
    path("<slug:slug>.json", views.latest_file, {"extension": "json"}, name="json"),
    path(
        "<slug:slug>/edition-<int:number>.csv",
        views.edition_file,
        {"extension": "csv"},
        name="edition-csv",
    ),
    path(
        "<slug:slug>/edition-<int:number>.json",
        views.edition_file,
        {"extension": "json"},
        name="edition-json",
    ),
]
