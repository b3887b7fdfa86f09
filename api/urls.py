from django.urls import path

from . import views

app_name = "api-tokens"

urlpatterns = [
    path("<gss:gss_code>/api-tokens/", views.tokens, name="list"),
    path("<gss:gss_code>/api-tokens/new/", views.token_new, name="new"),
    path("<gss:gss_code>/api-tokens/<id:pk>/revoke/", views.token_revoke, name="revoke"),
]
