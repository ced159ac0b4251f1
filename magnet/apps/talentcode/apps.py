from django.apps import AppConfig


class TalentcodeConfig(AppConfig):
    name = "magnet.apps.talentcode"
    label = "talentcode"
    verbose_name = "人才码"
