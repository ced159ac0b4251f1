from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "magnet.apps.matching"
    label = "matching"
    verbose_name = "岗位匹配"
