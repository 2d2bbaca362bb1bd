from django.urls import path, re_path

from otop.shipping import views

app_name = "shipping"

NUMBER = r"(?P<number>OTOP-\d{4}-\d{6})"

# Staff pages (under the language prefix).
urlpatterns = [
    path("", views.shipment_list, name="list"),
    path("pick-list/", views.pick_list, name="pick-list"),
    path("labels.pdf", views.batch_labels, name="batch-labels"),
    path("<int:shipment_id>/book/", views.book, name="book"),
    path("<int:shipment_id>/label.pdf", views.label, name="label"),
    path("<int:shipment_id>/receive-return/", views.receive_return, name="receive-return"),
    path("pickup/<int:carrier_id>/", views.request_pickup, name="request-pickup"),
    path("cod/", views.cod_remittances, name="cod"),
    path("cod/lines/<int:line_id>/resolve/", views.resolve_remittance_line, name="cod-resolve"),
    re_path(rf"^pack/{NUMBER}/$", views.pack, name="pack"),
    re_path(rf"^pack/{NUMBER}/slip\.pdf$", views.packing_slip, name="packing-slip"),
]
