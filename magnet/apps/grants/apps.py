from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "magnet.apps.grants"
    label = "grants"
    verbose_name = "补贴发放"
