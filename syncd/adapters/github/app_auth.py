"""A GitHub App's installation tokens: found per repository, minted, cached, renewed (§9).

Tokens live in memory only; they are sent in the Authorization header and nowhere else (no log
line, error text or state row names one). The JWT requests bypass the Transport: their
rate-limit headers are the app's, not the installation's, and must not feed its budget.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from github.Requester import Requester

from syncd.adapters.github.app_jwt import AppKey
from syncd.adapters.github.translate import FAILURES, from_exception, from_status
from syncd.adapters.github.transport import Stats
from syncd.domain.timestamps import iso_utc
from syncd.errors import AuthFailed, NotFound, TrackerUnavailable

log = structlog.get_logger(__name__)

# Renewed this long before it expires (at most half its lifetime, for short-lived test tokens).
MARGIN = timedelta(minutes=5)
_REPO_PATH = re.compile(r"/repos/([^/?#]+)/([^/?#]+)")


@dataclass(frozen=True)
class Installation:
    """Where the app is installed: its id, the account, and the permissions it was granted."""

    id: int
    account: str
    permissions: Mapping[str, str]


@dataclass(frozen=True)
class _Minted:
    token: str
    expires: datetime
    renew_at: datetime


class AppTokens:
    """The installation token for each request of one tracker, minted when none is fresh."""

    def __init__(
        self,
        key: AppKey,
        requester: Requester,
        clock: Callable[[], datetime],
        stats: Stats,
        repos: tuple[str, ...],
    ) -> None:
        self._key = key
        self._requester = requester
        self._clock = clock
        self.stats = stats
        self._installations: dict[str, Installation] = {}  # by lower-case owner/name
        self._tokens: dict[int, _Minted] = {}  # by installation id
        self._slug: str | None = None
        # A URL that names no repository (a next page by repository id, a user) is sent with
        # the installation used last, else the first repository's.
        self._last = repos[0] if repos else ""

    def header(self, url: str) -> dict[str, str]:
        """The Authorization header for `url`: the token of its repository's installation."""
        return {"Authorization": f"token {self._token(self._installation_of(url)).token}"}

    def renew(self, url: str) -> bool:
        """Forget the token `url` was sent with (GitHub answered 401); True: try once more."""
        found = self._installations.get(self._repo_of(url).casefold())
        return found is not None and self._tokens.pop(found.id, None) is not None

    def installation(self, repo: str) -> Installation:
        """The installation holding `repo`, looked up once; AuthFailed if there is none."""
        known = self._installations.get(repo.casefold())
        if known is not None:
            return known
        path = f"/repos/{urllib.parse.quote(repo, safe='/')}/installation"
        try:
            data = self._as_app("GET", path, f"finding the installation of {repo}")
        except NotFound:
            raise AuthFailed(
                f"GitHub App {self._key.app_id} is not installed on {repo} "
                f"(or cannot see it): install it there, or remove {repo} from repos"
            ) from None
        found = _installation(data, repo)
        self._installations[repo.casefold()] = found
        return found

    @property
    def bot_login(self) -> str:
        """The app's bot user, `<slug>[bot]`: the author of every comment syncd posts."""
        if self._slug is None:
            data = self._as_app("GET", "/app", "reading the app")
            slug = data.get("slug") if isinstance(data, Mapping) else None
            if not isinstance(slug, str) or not slug:
                raise TrackerUnavailable("GitHub's /app answer has no slug")
            self._slug = slug
        return f"{self._slug}[bot]"

    def _installation_of(self, url: str) -> Installation:
        repo = self._repo_of(url)
        found = self.installation(repo)
        self._last = repo
        return found

    def _repo_of(self, url: str) -> str:
        match = _REPO_PATH.search(urllib.parse.urlsplit(url).path)
        if match is None:
            return self._last
        return "/".join(urllib.parse.unquote(part) for part in match.groups())

    def _token(self, installation: Installation) -> _Minted:
        now = self._clock()
        held = self._tokens.get(installation.id)
        if held is not None and now < held.renew_at:
            return held
        path = f"/app/installations/{installation.id}/access_tokens"
        data = self._as_app("POST", path, f"minting a token for installation {installation.id}")
        minted = _minted(data, now)
        self._tokens[installation.id] = minted
        log.info(
            "github app token minted",
            installation=installation.id,
            account=installation.account,
            expires=iso_utc(minted.expires),
        )
        return minted

    def _as_app(self, verb: str, path: str, doing: str) -> object:
        """One request signed with a fresh JWT; errors translated, the JWT never quoted."""
        now = self._clock()
        headers = {"Authorization": f"Bearer {self._key.jwt(now)}"}
        self.stats.requests += 1
        try:
            status, answer_headers, text = self._requester.requestJson(
                verb, path, headers=headers, input={} if verb == "POST" else None
            )
            data = _json(text)
        except FAILURES as exc:
            raise from_exception(exc, doing=f"{doing} as app", now=now) from exc
        if status == 401:
            raise AuthFailed(
                f"GitHub App {self._key.app_id}: GitHub refused its JWT {doing} (HTTP 401): "
                "is the private key current (not revoked) and app.id right?"
            )
        if status >= 400:
            raise from_status(status, answer_headers, data, doing=f"{doing} as app", now=now)
        return data


def _json(text: str) -> object:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _installation(data: object, repo: str) -> Installation:
    if not isinstance(data, Mapping) or not isinstance(data.get("id"), int):
        raise TrackerUnavailable(f"GitHub's installation answer for {repo} has no id")
    account = data.get("account")
    login = account.get("login") if isinstance(account, Mapping) else None
    permissions = data.get("permissions")
    granted = {
        str(name): str(level)
        for name, level in (permissions.items() if isinstance(permissions, Mapping) else ())
    }
    return Installation(int(data["id"]), login if isinstance(login, str) else "?", granted)


def _minted(data: object, now: datetime) -> _Minted:
    token = data.get("token") if isinstance(data, Mapping) else None
    raw = data.get("expires_at") if isinstance(data, Mapping) else None
    try:
        expires = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        expires = None
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if not isinstance(token, str) or not token or expires is None:
        raise TrackerUnavailable("GitHub's access_tokens answer has no token or expires_at")
    margin = min(MARGIN, (expires - now) / 2)
    return _Minted(token, expires, expires - margin)
