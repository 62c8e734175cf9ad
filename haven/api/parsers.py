"""How the API reads a JSON body: only one that says it is JSON.

A body sent as ``text/plain`` (or form data, or with no content type) to a route that takes JSON answers
415 in the error envelope, never parsed as JSON anyway: a browser may send ``text/plain`` across sites
without asking first, so reading it as JSON would let another site write with a signed-in session.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from haven.core.errors import HavenError

JSON_TYPES = ("application/json",)


class UnsupportedMediaType(HavenError):
    """A body in a media type the route does not take."""

    code = "unsupported_media_type"
    status = 415


def is_json(content_type: str) -> bool:
    """``application/json`` or a ``+json`` type (``application/merge-patch+json``), any parameters aside."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in JSON_TYPES or (kind.startswith("application/") and kind.endswith("+json"))


class JsonOnly(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.headers.get("Content-Type", "")
        if not is_json(content_type):
            raise UnsupportedMediaType("Send the body as JSON, with the header 'Content-Type: application/json'.")
        return cast(dict[str, Any], json.loads(request.body))
