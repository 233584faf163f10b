"""Addresses outside an organiser: the REST API (/api/v1/...) and the open-data files."""

from django.urls import path

from . import views
from .rest import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("open/<slug:slug>/<str:table>.<str:fmt>", views.open_data_file, name="open_data_file"),
]
