"""Person photographs: what Haven accepts and how it stores them, as plain functions.

An upload is accepted only if Pillow recognises it as a JPEG, PNG or WebP image (the bytes decide,
never the file name), it is at most ``MAX_UPLOAD_BYTES`` and ``MAX_PIXELS``. It is then re-encoded
as a baseline JPEG no larger than ``MAX_SIDE`` pixels on its longer side: the EXIF orientation is
applied first, and nothing else of the original survives (no EXIF, GPS, XMP, ICC or comments).
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from haven.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; anything larger is refused before decoding
MAX_SIDE = 800
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class NormalisedPhoto:
    jpeg: bytes
    width: int
    height: int
    sha256: str


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"photo": [message]})


def photo_normalise(data: bytes) -> NormalisedPhoto:
    """Check an uploaded image and turn it into Haven's stored form, or raise ValidationFailed."""
    if not data:
        raise _refuse("Choose a photograph to upload")
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse("The photograph must be smaller than 5 MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse("The photograph has too many pixels: use one under 40 megapixels")
                probe.verify()  # structure and checksums, without decoding the pixels
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as original:
                original.seek(0)  # the first frame of an animated image
                image = ImageOps.exif_transpose(original)
                image.load()
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("The photograph must be a JPEG, PNG or WebP image") from None
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, IndexError, KeyError, struct.error):
        raise _refuse("The photograph is damaged or not a JPEG, PNG or WebP image") from None
    image = _flatten(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image.info = {}  # Pillow would otherwise copy a JPEG comment (and more) from the original
    out = io.BytesIO()
    # No exif=, icc_profile= or comment= arguments: the new file carries none of the original's metadata.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    jpeg = out.getvalue()
    return NormalisedPhoto(jpeg=jpeg, width=image.width, height=image.height, sha256=hashlib.sha256(jpeg).hexdigest())


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency goes onto white, palettes and greyscale-with-alpha are expanded."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
