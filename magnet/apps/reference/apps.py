from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "magnet.apps.reference"
    label = "reference"
    verbose_name = "参考目录"
