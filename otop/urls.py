from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from otop.api import api
from otop.core import metrics as core_metrics
from otop.core import views as core_views

handler404 = "otop.core.views.page_not_found"
handler500 = "otop.core.views.server_error"

# Outside the language prefix: machines and links that must never change.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_metrics.metrics, name="metrics"),
    path("api/v1/", api.urls),
    # LINE's webhook and the chat checkout (a LIFF endpoint): fixed addresses, in the chat's language.
    path("", include("otop.channels.urls")),
    # The bank's payment confirmation (a machine's fixed address).
    path("payments/callback/", include("otop.payments.callback_urls")),
    # Carriers' webhooks (Flash Express).
    path("", include("otop.shipping.webhook_urls")),
]

# Thai pages at /..., English pages at /en/...
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("otop.accounts.urls")),
    path("backoffice/line/", include("otop.channels.inbox_urls")),
    path("backoffice/", include("otop.backoffice.urls")),
    path("selection/", include("otop.selection.urls")),
    path("inventory/", include("otop.inventory.urls")),
    path("orders/", include("otop.orders.urls")),
    path("payments/", include("otop.payments.urls")),
    path("pos/", include("otop.pos.urls")),
    path("tax/", include("otop.tax.urls")),
    path("privacy/", include("otop.privacy.urls")),
    path("shipping/", include("otop.shipping.urls")),
    path("workspace/", include("otop.workspace.urls")),
    path("portal/line/", include("otop.channels.portal_urls")),
    # Reports choose their own segments: /reports/… for staff and officers, /portal/sales/ for producers.
    path("", include("otop.reports.urls")),
    # Apps included at the root choose their own first path segment (catalog: /p/<code>, ...).
    path("", include("otop.catalog.urls")),
    path("", include("otop.producers.urls")),
    path("", include("otop.selection.portal_urls")),
    path("", include("otop.storefront.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", core_views.public_media, name="public-media"),
    ]
