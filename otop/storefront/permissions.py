"""What the storefront adds to a signed-in person's account page (accounts.selectors.all_areas)."""

from django.utils.translation import pgettext_lazy

AREAS = [(None, "storefront:my-orders", pgettext_lazy("account", "My orders"))]
