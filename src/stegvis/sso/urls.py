"""The organiser admin's settings of the school-account sign-in (under /<organiser>/organisation/sign-in/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.provider_list, name="sso_provider_list"),
    path("<str:kind>/", views.provider_edit, name="sso_provider_edit"),
]
