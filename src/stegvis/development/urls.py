from django.urls import path

from . import views

urlpatterns = [
    path("", views.initiatives, name="development"),
    path("mine/", views.mine, name="my_development"),
    path("needs/", views.needs_page, name="development_needs"),
    path("needs/<int:indicator_id>/", views.need, name="development_need"),
    path("new/", views.initiative_new, name="initiative_new"),
    path("<int:initiative_id>/", views.initiative, name="initiative"),
    path("<int:initiative_id>/edit/", views.initiative_edit, name="initiative_edit"),
    path("<int:initiative_id>/goals/", views.goal_add, name="initiative_goal_add"),
    path("goals/<int:initiative_goal_id>/remove/", views.goal_remove, name="initiative_goal_remove"),
    path("<int:initiative_id>/tracks/", views.track_add, name="initiative_track_add"),
    path("tracks/<int:track_id>/remove/", views.track_remove, name="initiative_track_remove"),
    path("<int:initiative_id>/enrol/", views.enrol, name="initiative_enrol"),
    path("<int:initiative_id>/enrol-other/", views.enrol_other, name="initiative_enrol_other"),
    path("enrolments/<int:enrolment_id>/withdraw/", views.withdraw, name="initiative_withdraw"),
    path("<int:initiative_id>/my-tracks/", views.tracks_choose, name="initiative_tracks_choose"),
    path("<int:initiative_id>/participants.csv", views.participants_export, name="initiative_participants_export"),
    path("<int:initiative_id>/evaluation/open/", views.evaluation_open, name="initiative_evaluation_open"),
    path("<int:initiative_id>/evaluation/close/", views.evaluation_close, name="initiative_evaluation_close"),
    path("<int:initiative_id>/results/", views.results, name="initiative_results"),
    path("<int:initiative_id>/report.pdf", views.report, name="initiative_report"),
    path("<int:initiative_id>/actions/", views.action_link, name="initiative_action_link"),
    path("linked-actions/<int:linked_id>/remove/", views.action_unlink, name="initiative_action_unlink"),
    path("<int:initiative_id>/spread/", views.spread_add, name="initiative_spread_add"),
]
