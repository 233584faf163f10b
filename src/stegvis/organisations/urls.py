from django.urls import path

from . import import_views, mail_views, views

urlpatterns = [
    path("districts/", views.district_list, name="districts"),
    path("districts/new/", views.district_new, name="district_new"),
    path("districts/<int:district_id>/", views.district_edit, name="district_edit"),
    path("districts/<int:district_id>/delete/", views.district_delete, name="district_delete"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/import/", import_views.units_import, name="units_import"),
    path("units/import/<int:import_id>/", import_views.units_import_preview, name="units_import_preview"),
    path("units/export.csv", views.units_export, name="units_export"),
    path("units/<int:unit_id>/", views.unit_edit, name="unit_edit"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/export.csv", views.users_export, name="users_export"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("users/<int:user_id>/email-change/cancel/", views.email_change_cancel, name="email_change_cancel"),
    path("users/<int:user_id>/roles/new/", views.membership_add, name="membership_add"),
    path("users/<int:user_id>/roles/<int:membership_id>/delete/", views.membership_delete, name="membership_delete"),
    path("settings/", views.organizer_settings, name="organizer_settings"),
    path("invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:invitation_id>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path("mail/", mail_views.mail_list, name="mail"),
    path("mail/export.csv", mail_views.mail_export, name="mail_export"),
    path("mail/<int:mail_id>/", mail_views.mail_detail, name="mail_detail"),
]
