"""Bulk import of officers' qualifications from the CSV a learning and development department already
keeps (issue 18): every line is checked first; a dry run reports each line's problems and writes
nothing; an import with any bad line imports nothing and names the lines."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from haven.accounts.selectors import user_by_reference
from haven.core.errors import ValidationFailed
from haven.workforce.models import Qualification

if TYPE_CHECKING:
    from haven.accounts.models import User

COLUMNS = ("officer", "qualification", "gained", "evidence")
MAX_LINES = 5_000


@dataclass
class Line:
    number: int
    officer: User
    qualification: str
    gained: date
    evidence: str


@dataclass
class Checked:
    lines: list[Line] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0


def _date(text: str) -> date | None:
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, form).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def check(text: str, *, today: date) -> Checked:
    """Every line of ``text`` checked: the lines ready to import and each problem with its line number
    (line 1 is the header)."""
    try:
        return _check(text, today=today)
    except csv.Error as exc:  # a quote left open, a stray NUL: the file itself is not CSV
        return Checked(errors=[(1, f"This is not a CSV file that can be read ({exc})")])


def _check(text: str, *, today: date) -> Checked:
    result = Checked()
    reader = csv.reader(io.StringIO(text.strip()))
    header = [h.strip().lower() for h in next(reader, [])]
    if header != list(COLUMNS):
        result.errors.append((1, f"The first line must name the columns: {', '.join(COLUMNS)}"))
        return result
    codes = set(Qualification.objects.filter(active=True).values_list("code", flat=True))
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        result.count += 1
        if result.count > MAX_LINES:
            result.errors.append((number, f"Import at most {MAX_LINES:,} lines at a time"))
            break
        if len(row) != len(COLUMNS):
            result.errors.append((number, f"Give {len(COLUMNS)} columns, not {len(row)}"))
            continue
        officer_ref, code, gained_text, evidence = (cell.strip() for cell in row)
        problems = []
        officer = None
        try:
            officer = user_by_reference(officer_ref, field="officer")
        except ValidationFailed as exc:
            problems.append(exc.fields.get("officer", [exc.message])[0])
        if code not in codes:
            problems.append(f"There is no qualification with the code {code or '(empty)'}")
        gained = _date(gained_text)
        if gained is None:
            problems.append("Give the date gained as YYYY-MM-DD or DD/MM/YYYY")
        elif gained > today:
            problems.append("The date gained must be today or in the past")
        if not evidence:
            problems.append("Give the evidence reference")
        elif len(evidence) > 200:
            problems.append("The evidence reference must be 200 characters or fewer")
        if problems or officer is None or gained is None:
            result.errors.extend((number, problem) for problem in problems)
            continue
        result.lines.append(Line(number, officer, code, gained, evidence))
    if result.count == 0 and not result.errors:
        result.errors.append((2, "The CSV has no lines after the header"))
    return result
