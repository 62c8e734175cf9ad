"""``request.user`` typed once: the request of a signed-in Haven user.

A view behind ``login_required`` (or a route behind ``require``) annotates its request with
:class:`AuthenticatedRequest` and reads ``request.user`` as a :class:`~haven.accounts.models.User`,
instead of each module narrowing it with its own ``_user(request)`` helper.
"""

from __future__ import annotations

from django.http import HttpRequest

from haven.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """Only for views that a signed-in user reaches (the decorator has refused everyone else)."""

    user: User
