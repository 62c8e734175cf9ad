"""The deadlines routes of the JSON API (registered in haven/api/api.py at /api/v1/deadlines)."""

from ninja import Router

router = Router(tags=["deadlines"])
