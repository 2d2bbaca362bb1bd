from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PosConfig(AppConfig):
    name = "otop.pos"
    label = "pos"
    verbose_name = _("Point of sale")
