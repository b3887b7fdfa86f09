from django.urls import path

from . import views

app_name = "plans"

_round = "<gss:gss_code>/<slug:round_slug>/"

urlpatterns = [
    path("<gss:gss_code>/", views.latest, name="latest"),
    path("<gss:gss_code>/sharing/", views.sharing, name="sharing"),
    path("<gss:gss_code>/sharing/<code:code>/", views.sharing_change, name="sharing-change"),
    path(_round, views.plan, name="plan"),
    path(_round + "targets/add/", views.target_add, name="target-add"),
    path(_round + "targets/<id:pk>/", views.target_change, name="target-change"),
    path(_round + "targets/<id:pk>/remove/", views.target_remove, name="target-remove"),
    path(_round + "targets/<id:pk>/actions/add/", views.action_add, name="action-add"),
    path(_round + "actions/<id:pk>/", views.action_change, name="action-change"),
    path(_round + "actions/<id:pk>/remove/", views.action_remove, name="action-remove"),
    path(_round + "actions/<id:pk>/progress/", views.action_progress, name="action-progress"),
    path(_round + "approve/", views.approve, name="approve"),
    path(_round + "carry-over/", views.carry, name="carry"),
    path(_round + "history/", views.history, name="history"),
    path(_round + "plan.csv", views.export, {"file_format": "csv"}, name="export-csv"),
    path(_round + "plan.xlsx", views.export, {"file_format": "xlsx"}, name="export-xlsx"),
]
