"""The tests' PDF reader must not lose the last byte of a compressed stream that happens to be a line end."""

from __future__ import annotations

import zlib

from haven.missing.tests.pdftext import pdf_text


def _compressed_ending_in_a_line_end() -> tuple[bytes, bytes]:
    for n in range(512):  # each "a" moves the checksum's last byte by 97, so every byte value comes round
        content = b"BT /F1 12 Tf (Found" + b"a" * n + b") Tj ET"
        packed = zlib.compress(content)
        if packed.endswith((b"\n", b"\r")):
            return content, packed
    raise AssertionError("no sample ends in a line end")


def test_a_stream_whose_compressed_bytes_end_in_a_line_end_is_read_whole():
    content, packed = _compressed_ending_in_a_line_end()
    pdf = (
        b"%PDF-1.7\n1 0 obj\n<</Filter /FlateDecode/Length "
        + str(len(packed)).encode()
        + b">>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF"
    )

    assert pdf_text(pdf) == content.split(b"(")[1].split(b")")[0].decode()
