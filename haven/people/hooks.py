"""Sections other apps add to the person page (the cases app adds the person's cases).

``register_person_section(PersonSection("cases/_person_cases.html", context, order=10))``, from the app's
AppConfig.ready(): the person page includes ``template`` with whatever ``context(request, person)``
returns (None hides it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class PersonSection:
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 50


_SECTIONS: list[PersonSection] = []


def register_person_section(section: PersonSection) -> None:
    """Add ``section`` to the person page; a section with the same template again changes nothing."""
    if section.template not in {s.template for s in _SECTIONS}:
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda s: s.order)


def person_sections(request: HttpRequest, person: Any) -> list[dict[str, Any]]:
    """The sections to include for ``person``: template names with their context."""
    shown = []
    for section in _SECTIONS:
        context = section.context(request, person)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown
