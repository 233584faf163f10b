from django.urls import path

from . import views

urlpatterns = [
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/status/", views.round_status, name="round_status"),
    path("rounds/<int:round_id>/units/add/", views.round_units_add, name="round_units_add"),
    path("rounds/<int:round_id>/follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("rounds/<int:round_id>/follow-ups/<int:follow_up_id>/", views.follow_up_edit, name="follow_up_edit"),
    path(
        "rounds/<int:round_id>/follow-ups/<int:follow_up_id>/delete/", views.follow_up_delete, name="follow_up_delete"
    ),
]
