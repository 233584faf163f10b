from django.urls import path

from . import views

urlpatterns = [
    path("people/<int:user_id>/", views.person_data, name="person_data"),
    path("people/<int:user_id>/export.json", views.person_export_json, name="person_export_json"),
    path("people/<int:user_id>/export.pdf", views.person_export_pdf, name="person_export_pdf"),
    path("people/<int:user_id>/erase/", views.person_erase, name="person_erase"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("retention/", views.retention, name="retention"),
]
