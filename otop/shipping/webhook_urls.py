from django.urls import path

from otop.shipping import webhooks

app_name = "shipping-hooks"

# Carriers' fixed addresses, outside the language prefix.
urlpatterns = [path("shipping/flash/webhook", webhooks.flash_webhook, name="flash")]
