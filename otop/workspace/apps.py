from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "otop.workspace"
    label = "workspace"
    verbose_name = _("Co-working space")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.workspace.personal_data import register

        register()
