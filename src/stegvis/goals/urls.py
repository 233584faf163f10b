from django.urls import path

from . import views

urlpatterns = [
    path("goals/", views.goal_list, name="goals"),
    path("goals/export.csv", views.goals_export, name="goals_export"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/library/", views.goal_library, name="goal_library"),
    path("goals/<int:goal_id>/", views.goal_detail, name="goal"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<int:goal_id>/actions/", views.goal_actions, name="goal_actions"),
    path("goals/<int:goal_id>/rounds/<int:round_id>/comment/", views.goal_comment, name="goal_comment"),
]

# what works (docs/what-works.md)
from . import whatworks_views  # noqa: E402

urlpatterns += [
    path("goals/what-works/", whatworks_views.what_works, name="what_works"),
    path("goals/what-works/export.csv", whatworks_views.what_works_export, name="what_works_export"),
]
