"""Password sign-in (Django's ModelBackend), loading the signed-in user with their rank and team.

Every page's header shows the user's rank and team, so fetching them with the user saves two queries
on every request. Permissions come from roles only (``haven.core.permissions.RolePermissionBackend``):
this backend grants none, so asking it costs nothing (ModelBackend's answer read Django's permission
tables, two queries on every request, for permissions Haven never grants that way).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        user = model._default_manager.select_related("rank", "team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
