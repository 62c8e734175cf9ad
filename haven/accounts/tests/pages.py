"""Reading Haven's pages the way a person does: the words on them, the error summary, a table."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.summary: list[tuple[str, str]] = []  # (href, text) of each error summary item
        self.rows: list[list[str]] = []  # every table row, as the text of its cells
        self.inputs: list[dict[str, str | None]] = []  # the attributes of every <input>
        self._skip = 0  # inside <script> or <style>
        self._classes: list[set[str]] = []
        self._item: list[str] | None = None
        self._href = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "input":
            self.inputs.append(attributes)
        if tag in _VOID:
            return
        self._classes.append(set((attributes.get("class") or "").split()))
        in_summary = any("govuk-error-summary__list" in c for c in self._classes[:-1])
        if tag == "li" and in_summary:
            self._item, self._href = [], ""
        if tag == "a" and self._item is not None:
            self._href = attributes.get("href") or ""
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in _VOID:
            return
        if self._classes:
            self._classes.pop()
        if tag == "li" and self._item is not None:
            self.summary.append((self._href, _squash("".join(self._item))))
            self._item = None
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(_squash("".join(self._cell)))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._item is not None:
            self._item.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _parse(response: Any) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    page.close()
    return page


def text(response: Any) -> str:
    """Every word a reader sees (scripts and attributes such as CSRF tokens and nonces left out)."""
    return _squash(" ".join(_parse(response).text))


def error_summary(response: Any) -> list[tuple[str, str]]:
    """The GOV.UK error summary as (link target, message) pairs; empty when there is none."""
    return _parse(response).summary


def table_rows(response: Any) -> list[list[str]]:
    return [row for row in _parse(response).rows if row]


def inputs(response: Any, name: str) -> list[dict[str, str | None]]:
    """The attributes of each <input> called ``name``."""
    return [i for i in _parse(response).inputs if i.get("name") == name]
