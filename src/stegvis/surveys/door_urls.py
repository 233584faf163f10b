from django.urls import path

from . import door_views

urlpatterns = [
    path("", door_views.answer, name="survey_answer"),
    path("thanks/", door_views.thanks, name="survey_thanks"),
]
