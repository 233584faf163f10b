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

# -- certification and the council indicator (certification_views.py, council_views.py) --
from . import certification_views, council_views  # noqa: E402

urlpatterns += [
    path("goals/certification/", certification_views.certification_list, name="certification"),
    path("goals/certification/export.csv", certification_views.certification_export, name="certification_export"),
    path("goals/certification/rules/new/", certification_views.rule_new, name="certification_rule_new"),
    path("goals/certification/rules/<int:rule_id>/", certification_views.rule_edit, name="certification_rule_edit"),
    path(
        "goals/certification/rules/<int:rule_id>/delete/",
        certification_views.rule_delete,
        name="certification_rule_delete",
    ),
    path("goals/council/", council_views.council_page, name="council_indicator"),
    path("goals/council/edit/", council_views.council_edit, name="council_indicator_edit"),
    path("goals/council/board.pdf", council_views.council_pdf, name="council_indicator_pdf"),
]
