from django.urls import re_path

from otop.orders import views

app_name = "orders"

NUMBER = r"(?P<number>OTOP-\d{4}-\d{6})"

# Staff pages only. Customers track orders on the storefront (/orders/track/), so numbers are matched strictly.
urlpatterns = [
    re_path(r"^$", views.order_list, name="list"),
    re_path(rf"^{NUMBER}/$", views.order_detail, name="detail"),
    re_path(rf"^{NUMBER}/confirm-payment/$", views.confirm_payment, name="confirm-payment"),
    re_path(rf"^{NUMBER}/status/$", views.change_status, name="change-status"),
    re_path(rf"^{NUMBER}/refund/$", views.refund, name="refund"),
]
