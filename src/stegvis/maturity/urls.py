from django.urls import path

from . import views

urlpatterns = [
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/compare/", views.compare_unit, name="compare_unit"),
    path("overview/maturity/", views.maturity_trend, name="maturity"),
    path("overview/districts/", views.compare_districts, name="compare_districts"),
    path("overview/spread/", views.compare_spread, name="compare_spread"),
]
