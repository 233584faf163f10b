from django.urls import path

from . import views

urlpatterns = [
    path("unsubscribe/<str:kind>/", views.unsubscribe, name="unsubscribe"),
]
