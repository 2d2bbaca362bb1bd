"""Find the optional per-app modules that let feature apps extend shared mechanisms.

Used for otop/<app>/permissions.py (roles, areas), reference.py (reference data), demo.py
(demo data), bench.py (benchmarks) and schedule.py (periodic jobs): each feature adds its part
without editing shared files.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType


def feature_modules(name: str) -> Iterator[ModuleType]:
    """Yield otop.<app>.<name> for every installed project app that has it, in INSTALLED_APPS order."""
    from django.apps import apps

    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("otop."):
            continue
        try:
            yield import_module(f"{app_config.name}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.{name}":
                raise
