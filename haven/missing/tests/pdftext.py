"""The text of a PDF that WeasyPrint wrote, for tests that must read what is printed (no PDF library is
among Haven's dependencies). Enough of PDF for WeasyPrint's output: objects, compressed streams and object
streams, Type0 fonts with their ToUnicode maps, and the text operators (Tf, Tj, TJ, Tm, Td, T*)."""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_REF = re.compile(rb"/([^\s/<>\[\]()]+)\s+(\d+) 0 R")
_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\((?:\\.|[^\\)])*\)|\[|\]|/[^\s/<>\[\]()]+|-?[0-9.]+|[A-Za-z*']+")


def _stream(body: bytes) -> bytes | None:
    if b"stream" not in body:
        return None
    head, _, rest = body.partition(b"stream")
    data = rest[1:] if rest[:1] == b"\n" else rest[2:]
    length = re.search(rb"/Length (\d+)(?!\d| \d+ R)", head)
    # The stated length, not a strip of the line end: compressed bytes may themselves end in \r or \n.
    data = data[: int(length.group(1))] if length else data[: data.rindex(b"endstream")]
    if b"/FlateDecode" not in head:
        return data
    return zlib.decompressobj().decompress(data)  # anything after the compressed data is ignored


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Every object by number: its dictionary text and its (decompressed) stream, object streams opened."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJECT.finditer(pdf):
        body = match.group(2)
        found[int(match.group(1))] = (body.partition(b"stream")[0], _stream(body))
    for head, data in list(found.values()):
        if b"/ObjStm" in head and data is not None:
            first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
            numbers = [int(n) for n in data[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for i, (number, offset) in enumerate(pairs):
                end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(data)
                found[number] = (data[first + offset : end], None)
    return found


def _cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode map: glyph code → text (bfchar and bfrange)."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """The text shown on every page, in the order it is drawn; a line break where the text moves."""
    objects = _objects(pdf)
    to_unicode = {}
    for number, (head, _) in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if b"/Font" in head and found:
            to_unicode[number] = _cmap(objects[int(found.group(1))][1] or b"")
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objects.values():
        blocks = re.findall(rb"/Font\s*<<(.*?)>>", head, re.S)
        blocks += [objects.get(int(n), (b"", None))[0] for n in re.findall(rb"/Font (\d+) 0 R", head)]
        for block in blocks:
            for name, number in _REF.findall(block):
                if int(number) in to_unicode:
                    fonts[name] = to_unicode[int(number)]
    out: list[str] = []
    for head, data in objects.values():
        if data is None or b"BT" not in data or b"/Length1" in head:
            continue
        font: dict[int, str] = {}
        operands: list[bytes] = []
        line = b""
        for token in _TOKEN.finditer(data):
            word = token.group(0)
            if word == b"Tf" and len(operands) >= 2:  # noqa: PLR2004 - /Name size Tf
                font = fonts.get(operands[-2].lstrip(b"/"), {})
            elif word in (b"Tj", b"TJ", b"'"):
                for operand in operands:
                    if operand.startswith(b"<"):
                        hexes = re.sub(rb"\s", b"", operand[1:-1]).decode()
                        codes = [int(hexes[i : i + 4], 16) for i in range(0, len(hexes), 4)]
                        out.append("".join(font.get(code, "") for code in codes))
                    elif operand.startswith(b"("):
                        out.append("".join(font.get(byte, chr(byte)) for byte in operand[1:-1]))
            elif word == b"Tm" and operands:
                if operands[-1] != line:  # a new line, not more of this one (bold inside a sentence)
                    out.append("\n")
                line = operands[-1]
            elif word in (b"Td", b"TD", b"T*"):
                out.append("\n")
            if word.isalpha() or word in (b"T*", b"'"):
                operands = []
            else:
                operands.append(word)
    return re.sub(r"\n\s*\n+", "\n", "".join(out)).strip()
