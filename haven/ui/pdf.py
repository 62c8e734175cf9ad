"""What Haven's PDFs share (the DMM pack, the briefing sheet): the styles every one includes
(``ui/pdf.css``: fonts with an emoji font last, long words broken where they must be), and whether the
machine has the emoji font, which WeasyPrint finds through fontconfig. Without it a name with an emoji
prints with an empty box in its place: ``make setup`` says so, and CI installs the font (.ci/run)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from functools import cache

EMOJI_FONT = "Noto Color Emoji"
EMOJI_PACKAGE = "fonts-noto-color-emoji"  # Debian's


@cache
def emoji_font_installed() -> bool:
    """Whether fontconfig knows the emoji font (WeasyPrint asks fontconfig for every font)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, EMOJI_FONT, "family"], capture_output=True, text=True, check=False)  # noqa: S603
    return EMOJI_FONT in found.stdout


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds ("Noto-Color-Emoji", "Liberation-Sans"), read from its
    objects and its compressed object streams: for tests of what a PDF prints with."""
    pattern = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9\-_]+)")
    found = set(pattern.findall(pdf))
    for start in re.finditer(rb"stream\r?\n", pdf):
        try:
            found |= set(pattern.findall(zlib.decompressobj().decompress(pdf[start.end() :])))
        except zlib.error:
            continue
    return {name.decode() for name in found}
