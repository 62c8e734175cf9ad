"""Error types raised by services and selectors; views and the API turn them into responses."""

from __future__ import annotations


class HavenError(Exception):
    """Base for errors a user can act on. ``code`` is stable and machine-readable."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(HavenError):
    """Input broke a rule; ``fields`` says which field and why."""

    code = "validation_failed"
    status = 422


class NotFound(HavenError):
    """The record does not exist or the user may not see it (the two are never told apart)."""

    code = "not_found"
    status = 404


class Forbidden(HavenError):
    """The user may see the record but not do this to it."""

    code = "forbidden"
    status = 403


class Conflict(HavenError):
    """The request clashes with the record's current state."""

    code = "conflict"
    status = 409
