from django.apps import AppConfig


class TalentmapConfig(AppConfig):
    name = "magnet.apps.talentmap"
    label = "talentmap"
    verbose_name = "引才图谱与人才需求目录"
