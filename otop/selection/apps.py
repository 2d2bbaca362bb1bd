from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "otop.selection"
    label = "selection"
    verbose_name = _("Product selection")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.producers.sections import Section, add_section
        from otop.selection.selectors import applications_for_producer

        def applications(producer):
            return {"applications": applications_for_producer(producer=producer)}

        add_section("portal", Section("selection/portal/_home_section.html", applications, order=10))
        add_section("backoffice", Section("selection/backoffice/_producer_section.html", applications, order=10))
