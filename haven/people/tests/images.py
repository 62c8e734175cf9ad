"""Images made in memory for the photograph tests."""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

SECRET = "SpyCam-9000"


def jpeg_with_metadata(size: tuple[int, int] = (2000, 1000), orientation: int = 1) -> bytes:
    """A JPEG whose EXIF names a camera and carries an orientation and a description."""
    exif = Image.Exif()
    exif[0x010F] = SECRET  # Make
    exif[0x010E] = "Taken at 14 Hidden Lane"  # ImageDescription
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif, comment=SECRET.encode())
    return buffer.getvalue()


def png_with_text(size: tuple[int, int] = (300, 200)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def webp(size: tuple[int, int] = (120, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(buffer, "WEBP")
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()
