from django.urls import path

from . import door_views

urlpatterns = [
    path("", door_views.answer, name="survey_answer"),
    path("thanks/", door_views.thanks, name="survey_thanks"),
    # a survey with questions of its own (custom.py): /t/<token>/survey/own/
    path("own/", door_views.custom_answer, name="custom_survey_answer"),
    path("own/thanks/", door_views.custom_thanks, name="custom_survey_thanks"),
]
