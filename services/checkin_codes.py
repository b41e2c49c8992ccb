"""Check-in codes: what a participant shows at the door.

A code is two groups of four characters, e.g. `K7QM-2XPD`, drawn from A–Z
and 2–9 without O, I and L (and so without 0 and 1), which are easily
confused when read aloud or typed from a phone screen. 31⁸ ≈ 8.5·10¹¹
codes: guessing one of an event's few hundred takes billions of tries,
and the check-in page is only for the event's organisers.

The code is stored as it is (not hashed): it must be shown again in every
mail and on the personal page. It is bound to one event by the database
(unique per event) and by the check-in, which looks it up in that event only.
"""

from __future__ import annotations

import io
import re
import secrets

import segno

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUP = 4
_TYPED = re.compile(rf"^[{ALPHABET}]{{{2 * GROUP}}}$")


def new_code() -> str:
    """A fresh random code, e.g. `K7QM-2XPD`."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(2 * GROUP))
    return f"{chars[:GROUP]}-{chars[GROUP:]}"


def normalised(typed: str) -> str | None:
    """The code as stored, from what a person typed or a camera read
    (`k7qm 2xpd`, `K7QM2XPD`); None when it cannot be a code."""
    chars = re.sub(r"[\s\-–—_.]", "", typed or "").upper()
    if not _TYPED.match(chars):
        return None
    return f"{chars[:GROUP]}-{chars[GROUP:]}"


def qr(code: str) -> segno.QRCode:
    """The QR code that encodes the code itself (nothing else: no URL, no name)."""
    return segno.make(code, error="m", micro=False)


def qr_png(code: str) -> bytes:
    """The QR code as a PNG for the mail: big enough to scan off a phone screen."""
    out = io.BytesIO()
    qr(code).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def qr_svg(code: str, title: str) -> str:
    """The QR code as inline SVG for a page (the site's CSP allows no data: images)."""
    return qr(code).svg_inline(scale=6, border=4, title=title, svgclass="qr-code", omitsize=True)
