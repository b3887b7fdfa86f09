from django.urls import path

from . import review_views, views

app_name = "assessments"

urlpatterns = [
    # Officers (and leads, who may answer too)
    path("", views.index, name="index"),
    path("start/<str:gss_code>/<slug:round_slug>/", views.start, name="start"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/dimensions/<str:code>/", views.dimension, name="dimension"),
    path("<int:pk>/check-your-answers/", views.check_answers, name="check-answers"),
    path("<int:pk>/answers-submitted/", views.response_submitted, name="response-submitted"),
    # The lead, the chief executive and staff
    path("<int:pk>/progress/", review_views.progress, name="progress"),
    path("<int:pk>/assign/", review_views.assign, name="assign"),
    path("<int:pk>/agree/", review_views.agree_index, name="agree"),
    path("<int:pk>/agree/<str:code>/", review_views.agree_dimension, name="agree-dimension"),
    path("<int:pk>/submit/", review_views.submit, name="submit"),
    path("<int:pk>/sign-off/", review_views.sign_off, name="sign-off"),
    path("<int:pk>/results/", review_views.results, name="results"),
    path("<int:pk>/history/", review_views.history, name="history"),
    path("<int:pk>/reopen/", review_views.reopen, name="reopen"),
]
