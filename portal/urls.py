from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/your-data/", views.your_data, name="your-data"),
    path(
        "account/your-data.json", views.your_data_file, {"extension": "json"}, name="your-data-json"
    ),
    path("account/your-data.csv", views.your_data_file, {"extension": "csv"}, name="your-data-csv"),
]
