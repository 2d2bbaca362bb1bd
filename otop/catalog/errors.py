"""What the catalog refuses, each with a translated message."""

from __future__ import annotations

from otop.core.errors import Conflict, DomainError


class InvalidBarcode(DomainError):
    code = "invalid_barcode"


class BarcodeTaken(Conflict):
    code = "barcode_taken"


class InvalidPhoto(DomainError):
    code = "invalid_photo"


class InvalidBasket(DomainError):
    code = "invalid_basket"


class InvalidCatalogFile(DomainError):
    code = "invalid_catalog_file"


class ProductNotListed(Conflict):
    code = "product_not_listed"
