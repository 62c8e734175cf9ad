"""Logging helpers: every JSON log line carries the request id."""

from __future__ import annotations

import logging

from haven.core.request_context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True
