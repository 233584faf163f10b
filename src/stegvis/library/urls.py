from django.urls import path

from . import views

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/export.csv", views.library_export, name="library_export"),
    path("library/new/", views.example_new, name="library_new"),
    path("library/<int:example_id>/", views.example, name="library_example"),
    path("library/<int:example_id>/edit/", views.example_edit, name="library_edit"),
    path("library/<int:example_id>/delete/", views.example_delete, name="library_delete"),
    path("library/<int:example_id>/download/", views.download, name="library_download"),
]
