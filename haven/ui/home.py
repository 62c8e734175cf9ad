"""The sections of the home page ("Your work"): each domain app registers its builders from its
AppConfig.ready() with ``register_home_section(builder, order=…)``.

A builder takes the request and returns a dict with a ``template`` key (the partial that
``ui/home.html`` includes, given the dict as ``section``), or None when it has nothing to show.
Sections appear in ``order``, lowest first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

SectionBuilder = Callable[[HttpRequest], dict[str, Any] | None]

_SECTIONS: list[tuple[int, str, SectionBuilder]] = []


def register_home_section(builder: SectionBuilder, *, order: int = 50) -> None:
    """Add ``builder`` to the home page. Registering the same builder again changes nothing."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    if name not in {n for _, n, _ in _SECTIONS}:
        _SECTIONS.append((order, name, builder))
        _SECTIONS.sort(key=lambda s: (s[0], s[1]))


def sections_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections the signed-in user has something in, in order."""
    sections = []
    for _, _, builder in _SECTIONS:
        section = builder(request)
        if section is not None:
            sections.append(section)
    return sections
