from django.contrib import admin

from magnet.apps.matching.models import Application, Job, TalentProfile
from magnet.config.admin import admin_site


@admin.register(Job, site=admin_site)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "status", "deadline", "published_at")
    list_filter = ("status",)
    search_fields = ("title", "enterprise__name")
    raw_id_fields = ("enterprise", "created_by", "reviewed_by")


@admin.register(TalentProfile, site=admin_site)
class TalentProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "degree", "discoverable", "changed_at")
    raw_id_fields = ("user",)


@admin.register(Application, site=admin_site)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("job", "talent", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("job", "talent")
