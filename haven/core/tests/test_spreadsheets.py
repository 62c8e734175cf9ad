"""Exports never hand a spreadsheet a formula: a cell starting like one is written as text."""

from __future__ import annotations

import csv
import io

from haven.core.spreadsheets import csv_text, safe_cell


def test_a_cell_a_spreadsheet_would_run_is_written_as_text():
    for text in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Smith") == "Smith"
    assert safe_cell(-2) == -2  # a number stays a number


def test_csv_text_writes_every_row_through_the_guard():
    rows = list(csv.reader(io.StringIO(csv_text([["Name", "Count"], ["=cmd", 3]]))))

    assert rows == [["Name", "Count"], ["'=cmd", "3"]]
