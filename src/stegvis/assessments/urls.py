from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/status/", views.round_status, name="round_status"),
    path("units/<int:unit_id>/rounds/<int:round_id>/start/", views.assessment_start, name="assessment_start"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/areas/<slug:area_key>/", views.assessment_area, name="assessment_area"),
    path(
        "assessments/<int:assessment_id>/indicators/<int:indicator_id>/",
        views.answer_save,
        name="answer_save",
    ),
]
