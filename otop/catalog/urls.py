from django.urls import path

from otop.catalog import views

app_name = "catalog"

urlpatterns = [
    # The QR images of the short link /p/<code> (the storefront's page; never change it).
    path("p/<slug:code>/qr.svg", views.qr_image_svg, name="qr-svg"),
    path("p/<slug:code>/qr.png", views.qr_image_png, name="qr-png"),
    path("backoffice/catalog/", views.product_list, name="backoffice-products"),
    path("backoffice/catalog/products/new/", views.product_create, name="backoffice-product-new"),
    path("backoffice/catalog/products/<int:pk>/", views.product_edit, name="backoffice-product"),
    path("backoffice/catalog/products/<int:pk>/variants/", views.variant_add, name="backoffice-variant-add"),
    path("backoffice/catalog/products/<int:pk>/photos/", views.photo_add, name="backoffice-photo-add"),
    path("backoffice/catalog/photos/<int:pk>/remove/", views.photo_remove, name="backoffice-photo-remove"),
    path("backoffice/catalog/baskets/", views.basket_list, name="backoffice-baskets"),
    path("backoffice/catalog/baskets/<int:pk>/", views.basket_builder, name="backoffice-basket"),
    path("backoffice/catalog/labels/", views.labels, name="backoffice-labels"),
    path("backoffice/catalog/import/", views.import_csv, name="backoffice-import"),
    path("backoffice/catalog/export.csv", views.export_csv, name="backoffice-export"),
    path("backoffice/catalog/qr-scans/", views.qr_scans, name="backoffice-scans"),
]
