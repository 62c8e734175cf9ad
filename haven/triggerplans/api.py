"""The triggerplans routes of the JSON API (registered in haven/api/api.py at /api/v1/triggerplans)."""

from ninja import Router

router = Router(tags=["triggerplans"])
