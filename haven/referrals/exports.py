"""The manager's report (time from raised to shared) as tables for a spreadsheet: CSV, one table a file.
Times are given in hours (to one decimal place) so a spreadsheet can sum and chart them; cells a
spreadsheet would read as a formula are made text (CSV injection)."""

from __future__ import annotations

from typing import Any

from haven.core.spreadsheets import csv_text
from haven.referrals.selectors import TimeToShareReport, WeekFigures

TABLES = {
    "weeks": "By week",
    "teams": "By team",
    "team-weeks": "By team and week",
}

_FIGURES = [
    "Raised",
    "Shared",
    "Median hours to share",
    "90th percentile hours to share",
    "Share-by time missed",
    "Waiting at the end",
]


def _figures(f: WeekFigures) -> list[Any]:
    return [
        f.raised,
        f.shared,
        "" if f.median_hours is None else f.median_hours,
        "" if f.p90_hours is None else f.p90_hours,
        f.breaches,
        f.backlog,
    ]


def table(report: TimeToShareReport, name: str) -> list[list[Any]]:
    """One table of the report, its header first."""
    if name == "weeks":
        rows: list[list[Any]] = [["Week beginning", *_FIGURES]]
        rows += [[f.week.isoformat(), *_figures(f)] for f in report.rows]
        return rows
    if name == "teams":
        rows = [["Team", *_FIGURES]]
        rows += [[t.team, *_figures(t.total)] for t in report.teams]
        return rows
    if name == "team-weeks":
        rows = [["Team", "Week beginning", *_FIGURES]]
        rows += [[t.team, f.week.isoformat(), *_figures(f)] for t in report.teams for f in t.weeks]
        return rows
    raise KeyError(name)


def as_csv(report: TimeToShareReport, name: str) -> str:
    return csv_text(table(report, name))
