from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "otop.reports"
    label = "reports"
    verbose_name = _("Sales reports")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.producers.sections import Section, add_section
        from otop.reports.selectors import producer_month_total

        def month_so_far(producer):
            return {"net": producer_month_total(producer_id=producer.pk)}

        add_section("portal", Section("reports/_portal_section.html", month_so_far, order=30))
