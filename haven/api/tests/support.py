"""Helpers for the API tests: the bearer header and a check of the error envelope."""

from __future__ import annotations

from typing import Any


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def assert_envelope(response: Any, status: int, code: str, *, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The response is ``status`` with the one error envelope, and its request id is the header's."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields", "request_id"}
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["fields"], dict)
    assert all(isinstance(k, str) and isinstance(v, list) for k, v in error["fields"].items())
    assert error["request_id"]
    assert error["request_id"] == response["X-Request-ID"]
    if fields is not None:
        assert set(error["fields"]) == set(fields), error["fields"]
    return error
