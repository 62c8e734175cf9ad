"""The protection routes of the JSON API (mounted by config/api.py at /api/v1/protection)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["protection"])
