"""The Concordat report (C-10) as a table for a spreadsheet: CSV and XLSX, one row a month (hours to one
decimal place so a spreadsheet can sum and chart them; cells a spreadsheet would read as a formula are
made text)."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from haven.core.spreadsheets import csv_text, safe_cell
from haven.custody.choices import CertificateReason
from haven.custody.selectors import ConcordatReport

HEADER = [
    "Month",
    "Charged and kept in custody",
    "Transfers requested",
    "Transferred",
    "Not transferred",
    "Certificates",
    "Certificates: impracticable",
    "Certificates: no secure accommodation",
    "Certificates citing only a lack of beds",
    "Median hours from charge to transfer",
]


def rows(report: ConcordatReport) -> list[list[Any]]:
    out: list[list[Any]] = [HEADER]
    for m in report.months:
        out.append(
            [
                f"{m.month:%Y-%m}",
                m.charged_and_detained,
                m.transfers_requested,
                m.transferred,
                m.not_transferred,
                m.certificates,
                m.by_reason.get(CertificateReason.IMPRACTICABLE, 0),
                m.by_reason.get(CertificateReason.NO_SECURE, 0),
                m.flagged,
                "" if m.median_hours is None else m.median_hours,
            ]
        )
    return out


def as_csv(report: ConcordatReport) -> str:
    return csv_text(rows(report))


def as_xlsx(report: ConcordatReport) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Concordat report")
    for r, row in enumerate(rows(report)):
        for c, value in enumerate(row):
            sheet.write(r, c, safe_cell(value), bold if r == 0 else None)
    sheet.set_column(0, len(HEADER) - 1, 20)
    book.close()
    return out.getvalue()
