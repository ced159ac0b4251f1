from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "magnet.apps.feeds"
    label = "feeds"
    verbose_name = "数据接入"
