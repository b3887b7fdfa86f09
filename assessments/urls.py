from django.urls import path

from . import review_views, views

app_name = "assessments"

urlpatterns = [
    # Officers (and leads, who may answer too)
    path("", views.index, name="index"),
    path("how-the-assessment-works/", views.guidance, name="guidance"),
    path("start/<gss:gss_code>/<slug:round_slug>/", views.start, name="start"),
    path("<id:pk>/", views.overview, name="overview"),
    path("<id:pk>/dimensions/<code:code>/", views.dimension, name="dimension"),
    path("<id:pk>/check-your-answers/", views.check_answers, name="check-answers"),
    path("<id:pk>/answers-submitted/", views.response_submitted, name="response-submitted"),
    # The lead, the chief executive and staff
    path("<id:pk>/progress/", review_views.progress, name="progress"),
    path("<id:pk>/assign/", review_views.assign, name="assign"),
    path("<id:pk>/agree/", review_views.agree_index, name="agree"),
    path("<id:pk>/agree/<code:code>/", review_views.agree_dimension, name="agree-dimension"),
    path("<id:pk>/submit/", review_views.submit, name="submit"),
    path("<id:pk>/sign-off/", review_views.sign_off, name="sign-off"),
    path("<id:pk>/results/", review_views.results, name="results"),
    path("<id:pk>/history/", review_views.history, name="history"),
    path("<id:pk>/reopen/", review_views.reopen, name="reopen"),
]
