from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.year_wheel, name="calendar"),
    path("calendar/events/new/", views.event_new, name="calendar_event_new"),
    path("calendar/events/<int:event_id>/", views.event_edit, name="calendar_event_edit"),
    path("calendar/events/<int:event_id>/delete/", views.event_delete, name="calendar_event_delete"),
    path("calendar/feed/", views.my_feed, name="calendar_my_feed"),
    path("calendar/organiser-feed/", views.organiser_feed, name="calendar_organiser_feed"),
]
