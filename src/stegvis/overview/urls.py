from django.urls import path

from . import views

urlpatterns = [
    path("overview/", views.grid, name="overview"),
    path("overview/todo/", views.todo, name="overview_todo"),
    path("overview/status/", views.status, name="overview_status"),
    path("overview/status/export/", views.status_export, name="overview_status_export"),
]
