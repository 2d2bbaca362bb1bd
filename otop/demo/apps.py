from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "otop.demo"
    label = "demo"
    verbose_name = "Demo data"
