"""Webhook signatures: `sha256=<hex HMAC-SHA256(secret, raw body)>`, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def signed(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the signature of `body` under `secret`.

    The raw body is checked before anything parses it. A header of another scheme (GitHub's
    legacy `sha1=`), of odd text or of the wrong length is simply not a valid signature.
    """
    if header is None or not header.startswith(PREFIX):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode("ascii")
    # Header values arrive as latin-1 text (WSGI); anything else cannot match the hex digest.
    given = header[len(PREFIX) :].strip().lower().encode("latin-1", "replace")
    return hmac.compare_digest(given, expected)
