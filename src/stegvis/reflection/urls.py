from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="reflection"),
    path("settings/", views.settings_save, name="reflection_settings"),
    path("units/<int:unit_id>/", views.unit, name="reflection_unit"),
    path("links/new/", views.link_new, name="reflection_link_new"),
    path("links/<int:start_link_id>/", views.link, name="reflection_link"),
    path("links/<int:start_link_id>/close/", views.link_close, name="reflection_link_close"),
]
