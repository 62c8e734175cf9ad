"""The notifications routes of the JSON API (registered in haven/api/api.py at /api/v1/notifications)."""

from ninja import Router

router = Router(tags=["notifications"])
