from django.urls import path

from . import views

urlpatterns = [
    path("networks/", views.network_list, name="networks"),
    path("networks/new/", views.network_new, name="network_new"),
    path("networks/<int:network_id>/", views.network_detail, name="network"),
    path("networks/<int:network_id>/edit/", views.network_edit, name="network_edit"),
    path("networks/<int:network_id>/members/", views.network_member_add, name="network_member_add"),
    path(
        "networks/<int:network_id>/members/<int:member_id>/remove/",
        views.network_member_remove,
        name="network_member_remove",
    ),
    path("networks/<int:network_id>/meetings/new/", views.meeting_new, name="network_meeting_new"),
    path("networks/meetings/", views.meeting_list, name="network_meetings"),
    path("networks/meetings/<int:meeting_id>/", views.meeting_detail, name="network_meeting"),
    path("networks/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="network_meeting_edit"),
    path("networks/meetings/<int:meeting_id>/agenda/", views.meeting_agenda, name="network_meeting_agenda"),
    path("networks/meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="network_meeting_attendance"),
    path("networks/meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="network_meeting_minutes"),
    path(
        "networks/meetings/<int:meeting_id>/minutes.pdf", views.meeting_minutes_pdf, name="network_meeting_minutes_pdf"
    ),
    path("networks/meetings/<int:meeting_id>/actions/", views.action_item_add, name="network_action_add"),
    path("networks/meetings/<int:meeting_id>/files/", views.meeting_file_add, name="network_file_add"),
    path("networks/meetings/<int:meeting_id>/comments/", views.meeting_comment, name="network_comment"),
    path("networks/actions/", views.action_item_list, name="network_actions"),
    path("networks/actions/export.csv", views.action_item_export, name="network_actions_export"),
    path("networks/actions/<int:item_id>/", views.action_item_edit, name="network_action"),
    path("networks/files/<int:file_id>/", views.meeting_file, name="network_file"),
    path("networks/files/<int:file_id>/remove/", views.meeting_file_remove, name="network_file_remove"),
]
