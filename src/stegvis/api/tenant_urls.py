"""Pages inside an organiser (/<slug>/api-access/...): organiser admins only."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.api_tokens, name="api_tokens"),
    path("new/", views.api_token_new, name="api_token_new"),
    path("<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("open-data/", views.open_data_settings, name="open_data_settings"),
]
