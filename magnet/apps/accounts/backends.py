"""Password authentication for every role but talents (who sign in with their phone)."""

from django.contrib.auth.backends import ModelBackend


class RoleAwareModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and user.role != "talent"

    def get_user(self, user_id):
        # Talents sign in through sms_sign_in, which logs them in with this backend's path: a disabled
        # account of any role loses its sessions on the next request (AU-5).
        try:
            user = self._user_model().objects.get(pk=user_id)
        except self._user_model().DoesNotExist:
            return None
        return user if user.is_active else None

    @staticmethod
    def _user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()
