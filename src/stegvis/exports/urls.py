from django.urls import path

from . import views as export_views

urlpatterns = [
    path("exports/", export_views.exports, name="exports"),
    path("exports/<uuid:job_id>/", export_views.job, name="export_job"),
    path("exports/<uuid:job_id>/status/", export_views.job_status, name="export_job_status"),
    path("exports/<uuid:job_id>/download/", export_views.download, name="export_download"),
    path("units/<int:unit_id>/report.pdf", export_views.unit_report_pdf, name="unit_report_pdf"),
    path("reports/board/", export_views.board_report, name="board_report"),
    # surveys (issue 12)
    path("surveys/<int:survey_id>/links/<int:link_id>/handout.pdf", export_views.survey_handout, name="survey_handout"),
    path("surveys/<int:survey_id>/results.export", export_views.survey_results_export, name="survey_results_export"),
    path(
        "surveys/<int:survey_id>/indicators.export",
        export_views.survey_indicator_results_export,
        name="survey_indicator_results_export",
    ),
]
