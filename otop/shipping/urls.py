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
    re_path(rf"^pack/{NUMBER}/$", views.pack, name="pack"),
]
