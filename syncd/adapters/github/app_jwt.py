"""The short RS256 JSON Web Token a GitHub App signs to speak as itself (§9)."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from syncd.errors import AuthFailed

# GitHub refuses an `exp` more than 10 minutes ahead; `iat` a minute back absorbs clock drift.
BACKDATE = timedelta(seconds=60)
LIFETIME = timedelta(minutes=9)


class AppKey:
    """An app's id and private key; makes the JWTs. Its repr shows the id alone."""

    def __init__(self, app_id: int, pem: str) -> None:
        self.app_id = app_id
        try:
            loaded = load_pem_private_key(pem.encode(), password=None)
        except (ValueError, TypeError):
            loaded = None  # never quote the library's message: it may echo part of the key
        if not isinstance(loaded, RSAPrivateKey):
            raise AuthFailed(f"GitHub App {app_id}: the private key is no RSA key in PEM form")
        self._key = loaded

    def jwt(self, now: datetime) -> str:
        """A JWT valid from a minute before `now` to 9 minutes after it, issued by the app."""
        claims = {
            "iat": int((now - BACKDATE).timestamp()),
            "exp": int((now + LIFETIME).timestamp()),
            "iss": str(self.app_id),
        }
        return jwt.encode(claims, self._key, algorithm="RS256")

    def __repr__(self) -> str:
        return f"AppKey({self.app_id})"
