"""Who may read the pages: `http.token` as a Bearer header, `?token=`, or the cookie it leaves.

A browser that opens a page with `?token=` once is given an HttpOnly, SameSite=Strict cookie
and sent to the same URL without the token (so it stays out of history, logs and bookmarks).
The cookie holds an HMAC of the token, not the token; every comparison takes constant time.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode

from syncd.entrypoints.listener import Answer, Handler, Request

COOKIE = "syncd_session"
_TEXT = "text/plain; charset=utf-8"
# Every page answer (even a 401 or a redirect) carries these: nothing loads from elsewhere,
# nothing runs inline, no frame embeds the page, and no Referer carries a URL with the token.
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
)
UNAUTHORIZED = (
    "401: this page needs syncd's http.token. Send it as the header"
    " 'Authorization: Bearer <token>', or add ?token=<token> to the URL (a browser is then"
    " kept signed in by a cookie; a calendar app keeps the URL).\n"
)


class Access:
    """The token rules of SPEC §10; `token` None lets everyone in."""

    def __init__(self, token: str | None, *, https: bool = False) -> None:
        self._token = token
        self._https = (
            https  # `http.public_url` is https: the cookie is Secure whatever the proxy says
        )
        self._session = None if token is None else _session_of(token)

    def guard(self, handler: Handler, *, browser: bool = False) -> Handler:
        """`handler` behind the token; `browser`: trade a `?token=` for the cookie first."""

        def guarded(request: Request) -> Answer:
            return secured(self._answer(handler, request, browser=browser))

        return guarded

    def _answer(self, handler: Handler, request: Request, *, browser: bool) -> Answer:
        if self._token is None or self._session is None:
            return handler(request)
        if _matches(_bearer(request), self._token) or _matches(_cookie(request), self._session):
            return handler(request)
        if _matches(_query_token(request), self._token):
            signed_in = _sign_in(request, self._session, secure=self._https)
            return signed_in if browser else handler(request)
        return Answer(401, _TEXT, UNAUTHORIZED.encode(), (("WWW-Authenticate", "Bearer"),))


def secured(answer: Answer) -> Answer:
    """`answer` with the pages' security headers."""
    headers = (*answer.headers, *SECURITY_HEADERS)
    return Answer(answer.status, answer.content_type, answer.body, headers)


def _sign_in(request: Request, session: str, *, secure: bool) -> Answer:
    """303 to the same URL without `token`, setting the session cookie (Secure when the page is
    known to be served over https: `http.public_url`, or the proxy's X-Forwarded-Proto)."""
    kept = [(k, v) for k, v in parse_qsl(request.query, keep_blank_values=True) if k != "token"]
    location = request.path + (f"?{urlencode(kept)}" if kept else "")
    https = secure or request.headers.get("x-forwarded-proto", "") == "https"
    cookie = f"{COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict" + (
        "; Secure" if https else ""
    )
    headers = (("Location", location), ("Set-Cookie", cookie))
    return Answer(303, _TEXT, b"signed in; see the page without the token in its URL\n", headers)


def _session_of(token: str) -> str:
    return hmac.new(token.encode(), b"syncd status page session", hashlib.sha256).hexdigest()


def _matches(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _cookie(request: Request) -> str | None:
    for part in request.headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


def _query_token(request: Request) -> str | None:
    found = [v for k, v in parse_qsl(request.query, keep_blank_values=True) if k == "token"]
    return found[-1] if found else None
