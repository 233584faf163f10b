from django.urls import path

from . import views

urlpatterns = [
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
]
