"""syncd's own small client for Jira's REST v2: auth, base URL, timeouts, JSON, no redirect away.

Why not the `jira` library's `JIRA` client: syncd counts every request and refuses redirects
to another host with response hooks, and `JIRA` offers no public way to reach its session;
nor public calls for raw paths (comment properties, edit and delete, user lookups). Its
public `JIRAError` is kept for failures, so syncd.adapters.jira.translate reads them as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from urllib.parse import urljoin, urlsplit

import requests
from jira.exceptions import JIRAError

from syncd.adapters.environment import resolve, settle
from syncd.adapters.network import Redirected
from syncd.config.model import JiraTracker

ResponseHook = Callable[..., None]
Query = Mapping[str, str | int | None]  # None: left out of the URL
_HEADERS = {
    "Accept": "application/json,*/*;q=0.9",
    "Content-Type": "application/json",
    "X-Atlassian-Token": "no-check",  # Jira refuses some writes without it (XSRF check)
}


class JiraRest:
    """GET and write JSON under `{url}/rest/api/2/`; a failed answer raises JIRAError."""

    def __init__(self, config: JiraTracker, timeout: float, on_response: ResponseHook) -> None:
        session = requests.Session()
        session.headers.update(_HEADERS)
        if config.email is not None:
            session.auth = (config.email.reveal(), config.token.reveal())
        else:
            session.headers["Authorization"] = f"Bearer {config.token.reveal()}"
        session.hooks["response"].extend([on_response, refuse_redirects_away])
        settle(session, resolve(config.url))
        self._session = session
        self._base = f"{config.url.rstrip('/')}/rest/api/2/"
        self._timeout = timeout

    def get(self, path: str, params: Query | None = None) -> object:
        """The JSON answer to GET `path` (relative to the API root)."""
        return self._call("GET", path, params, None)

    def send(self, method: str, path: str, body: object = None) -> object:
        """The JSON answer to a write (POST, PUT, DELETE); None when Jira sent no body."""
        return self._call(method, path, None, body)

    def _call(self, method: str, path: str, params: Query | None, body: object) -> object:
        response = self._session.request(
            method,
            urljoin(self._base, path),
            params=params,
            data=None if body is None else json.dumps(body),
            timeout=self._timeout,
        )
        if not response.ok:
            raise JIRAError(
                status_code=response.status_code,
                url=response.url,
                response=response,
            )
        return response.json() if response.content else None


def refuse_redirects_away(response: requests.Response, *args: object, **kwargs: object) -> None:
    """Stop at a redirect to another host: it must get neither the credentials nor our trust."""
    if not response.is_redirect:
        return
    target = urlsplit(urljoin(response.url, response.headers["location"])).hostname
    if target != urlsplit(response.url).hostname:
        raise Redirected(target or response.headers["location"])
