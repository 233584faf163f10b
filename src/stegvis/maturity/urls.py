from django.urls import path

from . import perspective_views, views

urlpatterns = [
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/compare/", views.compare_unit, name="compare_unit"),
    path("overview/maturity/", views.maturity_trend, name="maturity"),
    path("overview/districts/", views.compare_districts, name="compare_districts"),
    path("overview/spread/", views.compare_spread, name="compare_spread"),
    # -- perspectives (issue 8) --
    path("units/<int:unit_id>/rounds/<int:round_id>/comparison/", perspective_views.comparison, name="comparison"),
    path(
        "units/<int:unit_id>/rounds/<int:round_id>/comparison/indicators/<int:indicator_id>/notes/",
        perspective_views.note_add,
        name="discussion_note_add",
    ),
]
