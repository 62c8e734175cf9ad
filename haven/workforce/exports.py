"""The force's training report as tables for a spreadsheet: CSV (one table a file) and XLSX (one sheet a
table). Cells a spreadsheet would read as a formula are made text (CSV injection)."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from haven.core.spreadsheets import csv_text, safe_cell
from haven.workforce.reports import ForceReport

TABLES = {
    "compliance": "Complete by team",
    "overdue": "Overdue",
    "trend": "By month",
}


def table(report: ForceReport, name: str) -> list[list[Any]]:
    """One table of the report, its header first."""
    if name == "compliance":
        rows: list[list[Any]] = [["Team", "Module", "Complete", "Officers", "Percent complete"]]
        for line in [*report.teams, None]:
            cells = line.cells if line is not None else report.force
            team = line.team if line is not None else "Whole force"
            for module, cell in zip(report.modules, cells, strict=True):
                if cell is not None:
                    rows.append([team, module.name, cell.current, cell.officers, cell.percent])
        return rows
    if name == "overdue":
        rows = [["Officer", "Team", "Module", "Ran out on"]]
        for r in report.overdue:
            rows.append(
                [
                    r.officer.rank_and_name,
                    r.team,
                    r.qualification.name,
                    r.since.isoformat() if r.since else "Never done",
                ]
            )
        return rows
    if name == "trend":
        rows = [["Month", "Counted on", "Complete", "Required", "Percent complete"]]
        for p in report.trend:
            rows.append([f"{p.month:%B %Y}", p.on.isoformat(), p.cell.current, p.cell.officers, p.cell.percent])
        return rows
    raise KeyError(name)


def as_csv(report: ForceReport, name: str) -> str:
    return csv_text(table(report, name))


def as_xlsx(report: ForceReport) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    for name, title in TABLES.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(table(report, name)):
            for c, value in enumerate(row):
                sheet.write(r, c, safe_cell(value), bold if r == 0 else None)
        sheet.set_column(0, 4, 24)
    book.close()
    return out.getvalue()
