"""Password sign-in (Django's ModelBackend), loading the signed-in user with their rank and team.

Every page's header shows the user's rank and team, so fetching them with the user saves two queries
on every request.
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
