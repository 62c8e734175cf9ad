"""Tables for a spreadsheet, safe to open: a cell that a spreadsheet would read as a formula (it starts
with =, +, -, @, a tab or a carriage return) is written as text, with a leading apostrophe (CSV
injection). Every CSV and XLSX export in Haven writes its cells through :func:`safe_cell`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, or as text when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """``rows`` (a header first, as given) as CSV text, every cell through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
