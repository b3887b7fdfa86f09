from django.urls import path

from . import views

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
    path("councils/<str:gss_code>/", views.council, name="council"),
]
