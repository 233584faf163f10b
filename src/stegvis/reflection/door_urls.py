"""Behind the token door: /t/<token>/reflection/... (docs/reflection.md)."""

from django.urls import path

from . import door_views

urlpatterns = [
    path("start/", door_views.start, name="reflection_start"),
    path("", door_views.profile, name="reflection_profile"),
    path("again/", door_views.again, name="reflection_again"),
    path("delete/", door_views.delete, name="reflection_delete"),
]
