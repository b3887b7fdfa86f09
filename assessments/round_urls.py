from django.urls import path

from . import round_views as views

app_name = "rounds"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.edit, name="edit"),
    path("<slug:slug>/open/", views.open_round, name="open"),
    path("<slug:slug>/close/", views.close_round, name="close"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
]
