"""When two email addresses reach the same mailbox."""

from __future__ import annotations

import unicodedata

import idna


def mailbox_key(address: str) -> str:
    """`address` folded so that spellings of one mailbox compare equal: NFKC
    (fullwidth `ｅｘａｍｐｌｅ` is `example`), case folding, and the domain in
    its IDNA form (`bücher.de` is `xn--bcher-kva.de`; a final dot is dropped).

    Mail servers deliver all of these to one mailbox, so a guardian's address
    that only looks different is the participant's own, and a second
    registration written this way is a duplicate.
    """
    folded = unicodedata.normalize(
        "NFKC", unicodedata.normalize("NFKC", address).casefold()
    ).strip()
    local, at, domain = folded.rpartition("@")
    if not at:
        return folded
    domain = domain.rstrip(".")
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except UnicodeError:
        pass  # not a valid domain: the form refuses such an address anyway
    return f"{local}@{domain}"
