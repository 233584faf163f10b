from django.urls import path

from . import views

urlpatterns = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("surveys/<int:survey_id>/codes/", views.survey_code_add, name="survey_code_add"),
    path("surveys/<int:survey_id>/personal/", views.survey_personal, name="survey_personal"),
    path("surveys/<int:survey_id>/remind/", views.survey_remind, name="survey_remind"),
    path("surveys/<int:survey_id>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path(
        "surveys/<int:survey_id>/results/indicators/",
        views.survey_indicator_results,
        name="survey_indicator_results",
    ),
    path("units/<int:unit_id>/survey-results/", views.unit_results, name="unit_survey_results"),
]
