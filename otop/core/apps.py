from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "otop.core"
    label = "core"
    verbose_name = _("Center")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django_tasks.signals import task_enqueued, task_finished, task_started

        from otop.core import (
            checks,  # noqa: F401  (registers the deploy checks)
            requestid,
        )
        from otop.core.collation import register_sqlite_function
        from otop.core.uploads import limit_decoding

        limit_decoding()
        connection_created.connect(register_sqlite_function, dispatch_uid="otop.core.thai_sort_key")
        post_migrate.connect(_ensure_reference_data, sender=self, dispatch_uid="otop.core.reference_data")
        task_enqueued.connect(requestid.remember_task_origin, dispatch_uid="otop.core.task_origin")
        task_started.connect(requestid.adopt_task_origin, dispatch_uid="otop.core.task_origin")
        task_finished.connect(requestid.forget_task_origin, dispatch_uid="otop.core.task_origin")


def _ensure_reference_data(sender, apps=None, **kwargs) -> None:
    """Put back reference data after a migrate or a test flush (see otop/core/reference.py)."""
    from django.apps import apps as global_apps

    from otop.core.reference import ensure_all_reference_data

    ensure_all_reference_data(global_apps)
