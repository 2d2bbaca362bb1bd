from django.urls import path

from otop.pos import views

app_name = "pos"

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("catalog.json", views.catalog, name="catalog"),
    path("review/", views.review, name="review"),
    path("receipts/<int:sale_id>/", views.receipt, name="receipt"),
    path("receipts/<int:sale_id>/bar-ticket/", views.bar_ticket, name="bar-ticket"),
    path("receipts/<int:sale_id>/tax-invoice/", views.tax_invoice, name="tax-invoice"),
    path("receipts/<int:sale_id>/void/", views.void, name="void"),
    path("receipts/<int:sale_id>/refund-lines/", views.refund_lines, name="refund-lines"),
    path("shifts/<int:shift_id>/z-report.pdf", views.z_report_pdf, name="z-report-pdf"),
    path("<slug:code>/", views.register, name="register"),
    path("<slug:code>/bar/", views.bar_screen, name="bar-screen"),
]
