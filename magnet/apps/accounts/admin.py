from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from magnet.apps.accounts.models import ApiToken, Department, Enterprise, ServicePoint, User
from magnet.config.admin import admin_site


class MagnetUserChangeForm(UserChangeForm):
    def clean_districts(self):
        """Each district is a division code (or its 2- or 4-digit prefix) from the GB/T 2260 catalogue."""
        from magnet.apps.reference.models import Division

        districts = self.cleaned_data.get("districts") or []
        if not isinstance(districts, list):
            raise forms.ValidationError("辖区应为行政区划代码列表，例如 [\"3206\"]。")
        for code in districts:
            code = str(code)
            if len(code) not in (2, 4, 6) or not code.isdigit() or not Division.objects.filter(
                    adcode=code.ljust(6, "0")).exists():
                raise forms.ValidationError(f"行政区划代码 {code[:12]} 不在 GB/T 2260 目录中。")
        return [str(code) for code in districts]


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "industry_code", "industry_chain", "adcode", "key_enterprise"]

    def clean_uscc(self):
        from magnet.core.feeds.checks import uscc_problem

        uscc = self.cleaned_data["uscc"].strip().upper()
        problem = uscc_problem(uscc)
        if problem:
            raise forms.ValidationError(f"统一社会信用代码无效：{problem}")
        return uscc


class EnterpriseAdmin(admin.ModelAdmin):
    form = EnterpriseForm
    list_display = ("name", "uscc", "industry_code", "adcode", "key_enterprise", "in_feed")
    search_fields = ("name", "uscc")

    def save_model(self, request, obj, form, change):
        """A new enterprise is matched to the latest enterprises feed, which supplies its record."""
        from magnet.apps.accounts.services import enterprise_get_or_create

        if change:
            super().save_model(request, obj, form, change)
            return
        matched = enterprise_get_or_create(uscc=obj.uscc, name=obj.name)
        obj.pk = matched.pk
        obj.refresh_from_db()


class MagnetUserAdmin(UserAdmin):
    form = MagnetUserChangeForm
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
admin_site.register(Enterprise, EnterpriseAdmin)
admin_site.register(ServicePoint, list_display=("name", "kind", "adcode"))
admin_site.register(ApiToken, list_display=("name", "user", "created_at", "last_used_at", "revoked_at"),
                    readonly_fields=("token_hash",))
