"""Images of the announcements: uploads re-encoded by Pillow so that only
clean JPEG, PNG and WebP files are ever served, stored under random names in
UPLOAD_FOLDER."""

from __future__ import annotations

import re
import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
# Pillow's format name -> our file extension; nothing else is accepted.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
MEDIA_NAME = re.compile(r"[A-Za-z0-9_-]+\.(jpg|png|webp)")
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "jpg": {"quality": 85, "optimize": True},
    "png": {},
    "webp": {"quality": 85},
}


class ImageRefused(Exception):
    """The upload is not an image we accept; the message says why."""


def upload_folder() -> Path:
    """UPLOAD_FOLDER, by default `uploads/` in the instance folder."""
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def _unreadable() -> ImageRefused:
    return ImageRefused(
        gettext(
            "This file is not a JPEG, PNG or WebP image. Please choose a photo or graphic in one "
            "of these formats."
        )
    )


def _decode(data: bytes) -> Image.Image:
    """The image in `data` (its first frame), decoded by Pillow, or ImageRefused."""
    too_large = gettext(
        "The image is larger than %(side)d × %(side)d pixels. Please make it smaller.",
        side=MAX_IMAGE_SIDE,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(IMAGE_FORMATS))
            if image.format not in IMAGE_FORMATS:
                raise _unreadable()
            if image.width > MAX_IMAGE_SIDE or image.height > MAX_IMAGE_SIDE:
                raise ImageRefused(too_large)
            image.load()
            turned = ImageOps.exif_transpose(image)  # as the camera meant it, before EXIF goes
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRefused(too_large) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        KeyError,
        IndexError,
    ):
        raise _unreadable() from None
    turned.format = image.format
    return turned


def _without_metadata(image: Image.Image, extension: str) -> Image.Image:
    """A copy in a mode the format can store, with no EXIF, XMP or text
    chunks; only the colour profile is kept, so colours stay true."""
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info
    if extension == "jpg":
        mode = "L" if image.mode == "L" else "RGB"
    elif has_alpha:
        mode = "RGBA"
    else:
        mode = "L" if image.mode == "L" and extension == "png" else "RGB"
    clean = image.convert(mode) if image.mode != mode else image.copy()
    clean.info = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    return clean


def store_image(file: FileStorage) -> str:
    """Check an upload and store it re-encoded under a random name; the name.

    The format is what Pillow decodes, never the file name or content type.
    Re-encoding drops metadata (GPS positions in EXIF among it) and anything
    hidden after the image data.
    """
    data = file.stream.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(gettext("The image is larger than 5 MB. Please make it smaller."))
    image = _decode(data)
    extension = IMAGE_FORMATS[str(image.format)]
    buffer = BytesIO()
    try:
        clean = _without_metadata(image, extension)
        clean.save(
            buffer,
            format=image.format,
            icc_profile=clean.info.get("icc_profile"),
            **_SAVE_OPTIONS[extension],
        )
    except (OSError, ValueError):  # a mode Pillow can read but not convert or write
        raise _unreadable() from None
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    with open(folder / name, "xb") as stored:
        stored.write(buffer.getvalue())
    return name


def delete_image(name: str) -> None:
    """Remove a stored image; a name we could not have chosen is ignored."""
    if not MEDIA_NAME.fullmatch(name):
        return
    try:
        (upload_folder() / name).unlink(missing_ok=True)
    except OSError:  # the post is saved; a stray file is no reason to fail
        current_app.logger.warning("could not delete image %s", name, exc_info=True)


@contextmanager
def image_change(
    current: str | None, upload: FileStorage | None, remove: bool
) -> Iterator[str | None]:
    """Store `upload` (ImageRefused if it is no image we accept) and yield the
    file name the record keeps: the new one, the current one, or None when it
    is removed. If the block raises, the new file is deleted again; once it
    has succeeded (committed), a replaced or removed file is deleted. So a
    refused or failed change never leaves a file behind, nor loses one."""
    new = store_image(upload) if upload else None
    kept = new or (None if remove else current)
    try:
        yield kept
    except BaseException:
        if new:
            delete_image(new)
        raise
    if current and current != kept:
        delete_image(current)
