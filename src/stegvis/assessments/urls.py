from django.urls import path

from . import perspective_views, views

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
    # -- perspectives (issue 8) --
    path(
        "units/<int:unit_id>/rounds/<int:round_id>/perspectives/",
        perspective_views.perspective_groups,
        name="perspectives",
    ),
    path("perspective-groups/<int:group_id>/assessors/", perspective_views.assessor_add, name="assessor_add"),
    path("assessors/<int:assessor_id>/remove/", perspective_views.assessor_remove, name="assessor_remove"),
    path("perspective-groups/<int:group_id>/start/", perspective_views.perspective_start, name="perspective_start"),
]
