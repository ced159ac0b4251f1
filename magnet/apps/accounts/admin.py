from django.contrib.auth.admin import UserAdmin

from magnet.apps.accounts.models import ApiToken, Department, Enterprise, ServicePoint, User
from magnet.config.admin import admin_site


class MagnetUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "department", "enterprise", "is_active", "last_login")
    list_filter = ("role", "is_active", "department")
    search_fields = ("username", "display_name")
    # Personal numbers are never edited here: they are bound by the talent and shown masked.
    readonly_fields = ("phone_masked", "id_number_masked", "identity_status", "identity_checked_at",
                       "last_login", "date_joined", "password_changed_at")
    fieldsets = (
        (None, {"fields": ("username", "password", "display_name", "role", "is_active")}),
        ("范围", {"fields": ("department", "districts", "enterprise", "service_point", "user_permissions")}),
        ("身份", {"fields": ("phone_masked", "id_number_masked", "identity_status", "identity_checked_at")}),
        ("时间", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "password1", "password2")}),)


admin_site.register(User, MagnetUserAdmin)
admin_site.register(Department, search_fields=("code", "name"))
admin_site.register(Enterprise, list_display=("name", "uscc", "industry_code", "adcode", "key_enterprise"),
                    search_fields=("name", "uscc"))
admin_site.register(ServicePoint, list_display=("name", "kind", "adcode"))
admin_site.register(ApiToken, list_display=("name", "user", "created_at", "last_used_at", "revoked_at"),
                    readonly_fields=("token_hash",))
