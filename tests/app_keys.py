"""RSA key pairs for GitHub App tests, generated once per test session (none is committed)."""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def private_pem(which: int = 0) -> str:
    """A 2048-bit RSA private key in PEM (GitHub's `.pem` form); `which` picks another."""
    return _generated(which)


@functools.cache
def _generated(which: int) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def public_pem(which: int = 0) -> str:
    """The public half of `private_pem(which)`."""
    key = serialization.load_pem_private_key(private_pem(which).encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
