"""The sandbox's GitHub App: JWT-signed app routes, installations, expiring installation tokens.

A test serves an app with `serve_app(store, SandboxApp(...))` (after any reset): its public key
verifies the JWTs, and the tokens it mints expire after `token_lifetime` seconds of sandbox time.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jwt

from syncd.sandbox import github_payloads as shapes
from syncd.sandbox.exchange import Request, Response, Route, json_response, route
from syncd.sandbox.github_state import GitHubSite, NotFoundHere, find_repo
from syncd.sandbox.store import Store

APP_ROUTE = "github.app."  # every route authenticated by the app's JWT starts so
LONGEST_JWT = timedelta(minutes=10)  # GitHub refuses an `exp` further ahead
GRANTED = {"issues": "write", "metadata": "read"}


@dataclass
class Issued:
    """An installation token: whose, and until when."""

    installation: int
    expires: datetime


@dataclass
class SandboxApp:
    """A GitHub App: installed on `accounts` (owner logins -> installation id)."""

    id: int
    slug: str
    public_key: str  # PEM; the JWTs must be signed by its private half
    accounts: dict[str, int]  # lower-case owner login -> installation id
    token_lifetime: float = 3600.0
    permissions: dict[str, str] = field(default_factory=lambda: dict(GRANTED))
    tokens: dict[str, Issued] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)  # 401 answers per expired token

    @property
    def bot(self) -> str:
        """The app's bot user, the author of what it writes."""
        return f"{self.slug}[bot]"


def serve_app(store: Store, app: SandboxApp | None) -> None:
    """Serve `app` from now on (None: no app); a sandbox reset forgets it."""
    with store.lock:
        store.github.app = app


def author(site: GitHubSite, request: Request) -> str:
    """Who a write is by: the app's bot for an installation token, else the token's user."""
    app = site.app
    return app.bot if app is not None and _bearer(request) in app.tokens else site.login


def installation_token_valid(store: Store, request: Request) -> bool:
    """Whether the request carries an unexpired installation token; an expired one counted."""
    app, token = store.github.app, _bearer(request)
    issued = app.tokens.get(token) if app is not None else None
    if app is None or issued is None:
        return False
    if issued.expires <= store.now():
        app.refused[token] += 1
        return False
    return True


def jwt_valid(store: Store, request: Request) -> bool:
    """Whether the request carries a JWT of the app, signed by its key and current."""
    app = store.github.app
    if app is None:
        return False
    try:
        claims = jwt.decode(
            _bearer(request),
            app.public_key,
            algorithms=["RS256"],
            # checked against the sandbox clock below, not the wall clock
            options={"verify_exp": False, "verify_iat": False, "require": ["iat", "exp", "iss"]},
        )
    except jwt.PyJWTError:
        return False
    now = store.now().timestamp()
    exp, iat = claims["exp"], claims["iat"]
    in_time = iat <= now + 60 and now < exp <= now + LONGEST_JWT.total_seconds()
    return str(claims["iss"]) == str(app.id) and in_time


class AppRoutes:
    """GET /app, /app/installations, /repos/{o}/{r}/installation; POST .../access_tokens."""

    def __init__(self, store: Store) -> None:
        self.store = store
        r = "/repos/{owner}/{repo}"
        self.routes: tuple[Route, ...] = (
            route(f"{APP_ROUTE}self", "GET", "/app", self._app),
            route(f"{APP_ROUTE}installations", "GET", "/app/installations", self._installations),
            route(f"{APP_ROUTE}repo.installation", "GET", f"{r}/installation", self._of_repo),
            route(
                f"{APP_ROUTE}access_tokens",
                "POST",
                "/app/installations/{installation}/access_tokens",
                self._mint,
            ),
        )

    def _app(self, request: Request, params: Mapping[str, str]) -> Response:
        app = self._served()
        owner = shapes.user(request.base, request.origin, "acme")
        payload = {"id": app.id, "slug": app.slug, "name": app.slug, "owner": owner}
        return json_response(200, {**payload, "permissions": app.permissions, "events": ["issues"]})

    def _installations(self, request: Request, params: Mapping[str, str]) -> Response:
        app = self._served()
        found = [self._payload(request, app, owner, i) for owner, i in app.accounts.items()]
        return json_response(200, found)

    def _of_repo(self, request: Request, params: Mapping[str, str]) -> Response:
        app = self._served()
        repo = find_repo(self.store.github, params)
        installation = app.accounts.get(repo.owner.lower())
        if installation is None:
            raise NotFoundHere
        return json_response(200, self._payload(request, app, repo.owner, installation))

    def _mint(self, request: Request, params: Mapping[str, str]) -> Response:
        app = self._served()
        installation = int(params["installation"]) if params["installation"].isdigit() else -1
        if installation not in app.accounts.values():
            raise NotFoundHere
        token = f"ghs_{secrets.token_hex(18)}"
        expires = self.store.now() + timedelta(seconds=app.token_lifetime)
        app.tokens[token] = Issued(installation, expires)
        shown = expires.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")  # never later
        payload = {"token": token, "expires_at": shown, "permissions": app.permissions}
        return json_response(201, {**payload, "repository_selection": "all"})

    def _payload(
        self, request: Request, app: SandboxApp, owner: str, installation: int
    ) -> dict[str, object]:
        path = f"/app/installations/{installation}/access_tokens"
        return {
            "id": installation,
            "account": shapes.user(request.base, request.origin, owner),
            "app_id": app.id,
            "app_slug": app.slug,
            "target_type": "Organization",
            "permissions": app.permissions,
            "events": ["issues"],
            "repository_selection": "all",
            "access_tokens_url": request.url(path),
        }

    def _served(self) -> SandboxApp:
        if self.store.github.app is None:
            raise NotFoundHere
        return self.store.github.app


def _bearer(request: Request) -> str:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    return credential.strip() if scheme.lower() in {"token", "bearer"} else ""
