from django.urls import path

from . import overview_views as views

urlpatterns = [
    path("overview/", views.grid, name="overview"),
    path("overview/todo/", views.todo, name="overview_todo"),
    path("overview/status/", views.status, name="overview_status"),
    path("overview/maturity/", views.maturity_trend, name="maturity"),
    path("overview/districts/", views.compare_districts, name="compare_districts"),
    path("overview/spread/", views.compare_spread, name="compare_spread"),
    path("units/<int:unit_id>/compare/", views.compare_unit, name="compare_unit"),
]
