from django.urls import path

from . import views

urlpatterns = [
    path("overview/", views.grid, name="overview"),
    path("overview/todo/", views.todo, name="overview_todo"),
    path("overview/status/", views.status, name="overview_status"),
    path("overview/perspectives/", views.perspectives, name="overview_perspectives"),  # issue 8
    path("overview/status/export/", views.status_export, name="overview_status_export"),
]
