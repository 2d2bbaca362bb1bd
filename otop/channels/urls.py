"""Addresses outside the language prefix: LINE's webhook, the chat checkout (the LIFF endpoint) and the
catalogue feeds with their pictures."""

from django.urls import path

from otop.channels import share, views
from otop.channels.feeds import views as feeds
from otop.channels.line import webhook
from otop.channels.messenger import webhook as messenger_webhook

app_name = "channels"

urlpatterns = [
    path("line/webhook", webhook.webhook, name="line-webhook"),
    path("facebook/webhook", messenger_webhook.webhook, name="messenger-webhook"),
    path("chat/checkout/", views.checkout_entry, name="checkout-entry"),
    path("chat/checkout/<str:token>/", views.checkout, name="checkout"),
    path("chat/checkout/<str:token>/address/", views.checkout_address, name="checkout-address"),
    path("feeds/images/<slug:code>/<int:index>/<slug:version>.jpg", feeds.feed_image, name="feed-image"),
    path("feeds/<str:name>", feeds.feed, name="feed"),
    path("share/products/<slug:code>/<slug:version>.jpg", share.product_card, name="share-product"),
    path("share/categories/<slug:code>/<slug:version>.jpg", share.category_card, name="share-category"),
    path("share/home/<slug:version>.jpg", share.home_card, name="share-home"),
]
