"""POSTs a message's JSON body to a webhook URL (Slack's incoming webhook, or `notify.webhook`).

The URL is a secret (it alone lets anyone post): no error or log line built here names it, only
the destination's name and the cause in a few words (syncd.adapters.network.cause_of).
"""

from __future__ import annotations

import re

import requests

from syncd.adapters.network import cause_of
from syncd.config.model import Secret
from syncd.errors import NotifyFailed, NotifyRefused

_WORDS = re.compile(r"[A-Za-z0-9_ .:-]{1,60}")
_RETRY_STATUSES = frozenset({408, 425, 429})
_DEFAULT_429_WAIT = 60.0  # Slack answers 429 with Retry-After; a receiver without it waits this


class WebhookPoster:
    """Sends JSON bodies to one URL; `name` (`slack`, `webhook`) is what errors call it."""

    def __init__(
        self,
        name: str,
        url: Secret,
        timeout: float,
        session: requests.Session | None = None,
    ) -> None:
        self.name = name
        self._url = url
        self._timeout = timeout
        self._session = session or requests.Session()

    def send(self, payload: str) -> None:
        """POST `payload` (JSON text); NotifyFailed to try again later, NotifyRefused for good."""
        try:
            answer = self._session.post(
                self._url.reveal(),
                data=payload.encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=self._timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            # Not `from exc`: its text and its chain name the URL, which is the secret.
            raise NotifyFailed(f"{self.name}: {cause_of(exc)}") from None
        if 200 <= answer.status_code < 300:
            return
        said = _said(answer)
        if answer.status_code in _RETRY_STATUSES or answer.status_code >= 500:
            wait = _retry_after(answer) if answer.status_code == 429 else None
            raise NotifyFailed(f"{self.name}: HTTP {answer.status_code}{said}", wait)
        raise NotifyRefused(f"{self.name}: HTTP {answer.status_code}{said}")


def _said(answer: requests.Response) -> str:
    """Slack's short answer (`invalid_payload`, `no_service`), if the body is a short text."""
    text = answer.text[:80].strip()
    # Only a word or a few (no `/`): a body echoing the request could hold part of the URL.
    return f" {text}" if _WORDS.fullmatch(text) else ""


def _retry_after(answer: requests.Response) -> float:
    value = answer.headers.get("Retry-After", "")
    try:
        return max(1.0, min(float(value), 3600.0))
    except ValueError:
        return _DEFAULT_429_WAIT
