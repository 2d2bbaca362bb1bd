from django.urls import path

from otop.storefront import meta_checkout, story, views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    # The short link printed in QR codes: never change it.
    path("p/<slug:code>", story.qr_link, name="qr"),
    path("products/<slug:code>/", story.story, name="story"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggestions, name="suggest"),
    path("categories/<slug:code>/", views.category, name="category"),
    path("districts/<str:code>/", views.district, name="district"),
    path("cart/", views.cart_page, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/update/", views.cart_update, name="cart-update"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/address/", views.checkout_address, name="checkout-address"),
    # Facebook and Instagram shops' checkout URL (products=<sku>:<qty>,…&coupon=…&cart_origin=…&utm_*=…).
    path("checkout/meta/", meta_checkout.meta_checkout, name="meta-checkout"),
    path("checkout/orders/<str:number>/", views.order_placed, name="order-placed"),
    path("orders/track/", views.track, name="track"),
    path("orders/track/<str:number>/<str:token>/", views.tracked_order, name="tracked-order"),
    path("orders/track/<str:number>/<str:token>/slip/", views.tracked_order_slip, name="tracked-order-slip"),
    path("orders/track/<str:number>/<str:token>/pay/", views.tracked_order_gateway, name="tracked-order-gateway"),
    path(
        "orders/track/<str:number>/<str:token>/tax-invoice/",
        views.tracked_order_tax_invoice,
        name="tracked-order-tax-invoice",
    ),
    path(
        "orders/track/<str:number>/<str:token>/tax/<uuid:public_id>.pdf",
        views.tracked_order_tax_document,
        name="tracked-order-tax-document",
    ),
    path("account/orders/", views.my_orders, name="my-orders"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
