"""The policy routes of the JSON API (registered in haven/api/api.py at /api/v1/policy)."""

from ninja import Router

router = Router(tags=["policy"])
