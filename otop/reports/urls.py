from django.urls import path

from otop.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/districts/<str:code>/", views.district, name="district"),
    path("reports/producers/<int:pk>/", views.producer, name="producer"),
    path("reports/export/<str:group>.<str:file_format>", views.export, name="export"),
    path("reports/summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("reports/targets/", views.targets, name="targets"),
    path("reports/targets/import", views.targets_import, name="targets-import"),
    path("reports/targets.csv", views.targets_csv, name="targets-csv"),
    path("reports/outside-sales/", views.outside_sales, name="outside-sales"),
    path("reports/outside-sales/import", views.outside_sales_import, name="outside-sales-import"),
    path("portal/sales/", views.my_sales, name="my-sales"),
]
