from otop.orders.tests.conftest import shop  # noqa: F401 - the orders tests' shop: two products in stock
