from django.urls import path

from . import views

urlpatterns = [
    path("rounds/<int:round_id>/reminders/", views.rules, name="reminder_rules"),
    path("rounds/<int:round_id>/remind/", views.nudge, name="reminder_nudge"),
    path("notifications/", views.preferences, name="notification_preferences"),
]
