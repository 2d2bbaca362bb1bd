"""Addresses outside the language prefix: LINE's webhook and the chat checkout (the LIFF endpoint)."""

from django.urls import path

from otop.channels import views
from otop.channels.line import webhook

app_name = "channels"

urlpatterns = [
    path("line/webhook", webhook.webhook, name="line-webhook"),
    path("chat/checkout/", views.checkout_entry, name="checkout-entry"),
    path("chat/checkout/<str:token>/", views.checkout, name="checkout"),
    path("chat/checkout/<str:token>/address/", views.checkout_address, name="checkout-address"),
]
