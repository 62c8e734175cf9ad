"""The person register's rules as plain functions: name folding, trigrams and identifiers' usual form.

The NHS number's check digit is checked by the shared input type (``haven.core.types.NhsNumber``)."""

from __future__ import annotations

import re
import unicodedata

_JOINERS = re.compile(r"['’‘`´]")  # apostrophes vanish: O'Brien = OBrien
_SEPARATORS = re.compile(r"[^0-9a-z]+")  # hyphens and everything else become one space


def normalise_name(text: str) -> str:
    """Fold a name for search: case, accents, apostrophes (removed) and hyphens (spaced).

    ``normalise_name("Zoë O'Brien-Smith") == "zoe obrien smith"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = bare.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("ł", "l")
    return _SEPARATORS.sub(" ", _JOINERS.sub("", bare)).strip()


def compact(normalised: str) -> str:
    """A normalised name without its spaces: ``o brien`` and ``obrien`` are the same compact name."""
    return normalised.replace(" ", "")


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of ``text``: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm ``similarity``: shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def normalise_identifier(kind: str, value: str) -> str:
    """NHS numbers as ``999 999 9999``; others upper-cased and trimmed."""
    if kind == "nhs":
        digits = re.sub(r"\D", "", value)
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else value.strip()
    return value.strip().upper()
