from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "magnet.apps.common"
    label = "common"
    verbose_name = "通用"
