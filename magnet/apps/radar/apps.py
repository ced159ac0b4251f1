from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "magnet.apps.radar"
    label = "radar"
    verbose_name = "政策找人"
