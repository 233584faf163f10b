from django.urls import include, path

from . import views

urlpatterns = [
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("", include("stegvis.insights.overview_urls")),
    path("", include("stegvis.insights.export_urls")),
]
