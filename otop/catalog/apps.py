from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "otop.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.catalog.selectors import listed_products_of
        from otop.producers.sections import Section, add_section

        def products(producer):
            return {"products": listed_products_of(producer)}

        add_section("public", Section("catalog/_producer_products.html", products, order=20))
        add_section("backoffice", Section("catalog/backoffice/_producer_section.html", products, order=20))
