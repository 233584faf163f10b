from django.urls import path

from . import views

urlpatterns = [
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/status/", views.round_status, name="round_status"),
]
