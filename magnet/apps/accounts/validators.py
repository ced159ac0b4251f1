"""Password rules beyond Django's own: staff passwords are at least 12 characters (AU-3)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

STAFF_ROLES = {"staff", "auditor", "admin", "verifier"}


class StaffPasswordLengthValidator:
    min_length = 12

    def validate(self, password: str, user=None) -> None:
        if user is not None and getattr(user, "role", "") in STAFF_ROLES and len(password) < self.min_length:
            raise ValidationError(_("工作人员密码至少需要 12 个字符。"), code="password_too_short")

    def get_help_text(self) -> str:
        return _("工作人员密码至少需要 12 个字符。")
