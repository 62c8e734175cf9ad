"""The missing routes of the JSON API (registered in haven/api/api.py at /api/v1/missing)."""

from ninja import Router

router = Router(tags=["missing"])
