from django.urls import path

from otop.payments import views

app_name = "payments"

urlpatterns = [
    path("qr/<str:token>.svg", views.promptpay_qr, name="promptpay-qr"),
    path("qr/<str:token>.png", views.promptpay_qr_png, name="promptpay-qr-png"),
    path("bank/", views.bank_transfers, name="bank-transfers"),
    path("card-refunds/<int:pk>/retry/", views.retry_card_refund, name="retry-card-refund"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
