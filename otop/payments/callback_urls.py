"""The bank's payment confirmation: a fixed address outside the language prefix (a machine calls it)."""

from django.urls import path

from otop.payments import callbacks

app_name = "payments-callbacks"

urlpatterns = [
    path("bank/", callbacks.bank_callback, name="bank"),
    path("gateway/", callbacks.gateway_webhook, name="gateway"),
]
