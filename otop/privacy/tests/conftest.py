from otop.channels.messenger.tests.test_messenger import graph  # noqa: F401 - the fake Graph API on 127.0.0.1
from otop.orders.tests.conftest import shop  # noqa: F401 - the orders tests' shop: two products in stock
