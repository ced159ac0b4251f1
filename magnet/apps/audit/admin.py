from django.contrib import admin

from magnet.apps.audit.models import AuditEntry
from magnet.config.admin import admin_site


class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody, administrators included, adds, changes or deletes audit entries."""

    list_display = ("id", "at", "actor_username", "actor_role", "action", "object_id", "result")
    list_filter = ("action", "result")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin_site.register(AuditEntry, AuditEntryAdmin)
