from django.urls import path

from otop.tax import views

app_name = "tax"

urlpatterns = [
    path("documents/<uuid:document_id>.pdf", views.document_pdf, name="document-pdf"),
    path("report/", views.output_tax_report, name="report"),
    path("report/<int:year>-<int:month>.<slug:fmt>", views.output_tax_report_file, name="report-file"),
]
