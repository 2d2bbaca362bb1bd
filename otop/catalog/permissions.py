from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "manager": ["catalog.print_labels", "catalog.import_catalog", "catalog.delete_productphoto"],
    "staff": ["catalog.print_labels", "catalog.import_catalog"],
}

AREAS = [
    ("catalog.view_product", "catalog:backoffice-products", _("Catalog")),
    ("catalog.print_labels", "catalog:backoffice-labels", _("Shelf labels")),
]
