from django.urls import path

from . import views

urlpatterns = [
    path("assessments/<int:assessment_id>/publish/", views.assessment_publish, name="assessment_publish"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/actions/new/", views.action_new, name="action_new"),
    path("actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path("actions/<int:action_id>/notes/", views.note_add, name="note_add"),
]
