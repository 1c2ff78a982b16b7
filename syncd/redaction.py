"""Secrets kept out of every text syncd writes: known secret values, Authorization headers and
token query parameters masked (the log processor, /healthz messages, error texts)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from structlog.types import EventDict, WrappedLogger

MASK = "***"

_HEADER = re.compile(
    r"""(?i)(authorization['"]?\s*[:=]\s*['"]?(?:(?:bearer|basic|token)\s+)?)[^\s'",}]+"""
)
_QUERY = re.compile(r"""(?i)(\b(?:access_token|token|api_key|apikey|password)=)[^&\s'"]+""")
# GitHub's own token formats (an app's installation tokens are `ghs_...`), wherever they stand.
_GITHUB_TOKEN = re.compile(r"\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}")
_SECRET_KEYS = frozenset({"authorization", "token", "password", "api_token", "access_token"})
# Shorter "secrets" would blank out ordinary words; real tokens are far longer.
_MIN_SECRET = 4


class Redactor:
    """A structlog processor that masks secrets in every string value, recursively."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if len(s) >= _MIN_SECRET}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        """`text` with every known secret, Authorization value and token= query masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = _HEADER.sub(rf"\g<1>{MASK}", text)
        text = _GITHUB_TOKEN.sub(MASK, text)
        return _QUERY.sub(rf"\g<1>{MASK}", text)

    def redact(self, value: object) -> object:
        """`value` with `scrub` applied to every string inside it."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, BaseException):
            return self.scrub(f"{type(value).__name__}: {value}")
        if isinstance(value, dict):
            return {key: self._redact_item(key, item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.redact(item) for item in value)
        return value

    def _redact_item(self, key: object, item: object) -> object:
        if isinstance(key, str) and key.casefold() in _SECRET_KEYS and item:
            return MASK
        return self.redact(item)

    def __call__(self, logger: WrappedLogger, method: str, event_dict: EventDict) -> EventDict:
        """Processor entry point: redact the whole event."""
        return {key: self._redact_item(key, item) for key, item in event_dict.items()}
