from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("units/<int:unit_id>/rounds/<int:round_id>/start/", views.assessment_start, name="assessment_start"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/areas/<slug:area_key>/", views.assessment_area, name="assessment_area"),
    path(
        "assessments/<int:assessment_id>/indicators/<int:indicator_id>/",
        views.answer_save,
        name="answer_save",
    ),
]
