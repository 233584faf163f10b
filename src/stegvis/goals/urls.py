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


# -- local digital plans and the organiser's plan (docs/digital-plans.md) --
from . import plan_views  # noqa: E402

urlpatterns += [
    path("goals/plans/", plan_views.digital_plans, name="digital_plans"),
    path("goals/plans/export.csv", plan_views.digital_plans_export, name="digital_plans_export"),
    path("goals/plans/units/<int:unit_id>/", plan_views.unit_digital_plan, name="unit_digital_plan"),
    path("goals/plans/units/<int:unit_id>/draft/", plan_views.digital_plan_draft, name="digital_plan_draft"),
    path("goals/plans/<int:digital_plan_id>/", plan_views.digital_plan, name="digital_plan"),
    path("goals/plans/<int:digital_plan_id>/edit/", plan_views.digital_plan_edit, name="digital_plan_edit"),
    path("goals/plans/<int:digital_plan_id>/adopt/", plan_views.digital_plan_adopt, name="digital_plan_adopt"),
    path(
        "goals/plans/<int:digital_plan_id>/new-version/",
        plan_views.digital_plan_new_version,
        name="digital_plan_new_version",
    ),
    path("goals/plans/<int:digital_plan_id>/plan.pdf", plan_views.digital_plan_pdf, name="digital_plan_pdf"),
    path("goals/organiser-plan/", plan_views.organiser_plan, name="organiser_plan"),
    path("goals/organiser-plan/start/", plan_views.organiser_plan_start, name="organiser_plan_start"),
    path(
        "goals/organiser-plan/<int:organiser_plan_id>/",
        plan_views.organiser_plan_version,
        name="organiser_plan_version",
    ),
    path(
        "goals/organiser-plan/<int:organiser_plan_id>/edit/", plan_views.organiser_plan_edit, name="organiser_plan_edit"
    ),
    path(
        "goals/organiser-plan/<int:organiser_plan_id>/todo/", plan_views.organiser_plan_todo, name="organiser_plan_todo"
    ),
    path(
        "goals/organiser-plan/<int:organiser_plan_id>/adopt/",
        plan_views.organiser_plan_adopt,
        name="organiser_plan_adopt",
    ),
    path(
        "goals/organiser-plan/<int:organiser_plan_id>/new-version/",
        plan_views.organiser_plan_new_version,
        name="organiser_plan_new_version",
    ),
    path(
        "goals/organiser-plan/<int:organiser_plan_id>/plan.pdf",
        plan_views.organiser_plan_pdf,
        name="organiser_plan_pdf",
    ),
    path(
        "goals/central-actions/<int:central_action_id>/edit/",
        plan_views.central_action_edit,
        name="central_action_edit",
    ),
    path(
        "goals/central-actions/<int:central_action_id>/delete/",
        plan_views.central_action_delete,
        name="central_action_delete",
    ),
]


# -- measurable goals on competence-development initiatives (initiatives.py, docs/development.md) --
from . import initiatives  # noqa: E402

urlpatterns += [
    path("goals/initiatives/<int:initiative_id>/link/", initiatives.link_goal, name="initiative_measurable_goal_link"),
    path(
        "goals/initiative-links/<int:goal_initiative_id>/remove/",
        initiatives.unlink_goal,
        name="initiative_measurable_goal_unlink",
    ),
]
