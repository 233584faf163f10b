from django.urls import path

from . import views

urlpatterns = [
    path("districts/", views.district_list, name="districts"),
    path("units/", views.unit_list, name="units"),
    path("users/", views.user_list, name="users"),
]
