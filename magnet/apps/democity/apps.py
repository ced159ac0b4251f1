from django.apps import AppConfig


class DemocityConfig(AppConfig):
    name = "magnet.apps.democity"
    label = "democity"
    verbose_name = "示范城市"
