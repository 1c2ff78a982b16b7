"""Checks the sandbox's real HTTP answers against the official OpenAPI descriptions.

The descriptions live in the repository, in `tests/reference` (sources and licences in its
README.md): GitHub's REST description trimmed to the issue paths (@octokit/openapi, MIT) and
Atlassian's Jira Cloud REST v3 description trimmed likewise (Apache-2.0).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.response.exceptions import MissingData

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
GITHUB_DOCUMENT = "github/openapi/api.github.com.issues-subset.nullable-fixed.json"
JIRA_DOCUMENT = "jira/openapi/jira-cloud-v3.issues-subset.json"

# Real Jira writes offsets without a colon (`2026-11-26T10:15:00.000+0200`, see the recorded
# payloads and tests/reference/README.md); RFC 3339 `date-time` wants `+02:00`. Only the Jira
# document gets this relaxed format; GitHub's `Z` times are checked strictly.
_JIRA_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$")


def recorded(relative: str) -> Any:
    """A JSON file of tests/reference, parsed; a missing file fails the calling test."""
    return json.loads((REFERENCE / relative).read_text(encoding="utf-8"))


def _jira_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats only constrain strings
    if _JIRA_TIME.match(value):
        return True
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Contract:
    """One OpenAPI description and how sandbox URLs map onto its server and paths."""

    api: OpenAPI
    document: dict[str, Any]
    host: str
    to_spec_path: Callable[[str], str]

    def problems(self, response: requests.Response) -> list[str]:
        """Every way `response` (and its request) strays from the description; [] when none."""
        method = str(response.request.method).lower()
        parts = urlsplit(str(response.request.url))
        path = self.to_spec_path(parts.path)
        request = MockRequest(self.host, method, path, args=dict(parse_qsl(parts.query)))
        content_type = response.headers.get("Content-Type", "application/json")
        answer = MockResponse(
            _as_v3_rich_text(response.content, path),
            response.status_code,
            dict(response.headers),
            content_type.split(";")[0],
        )
        found = []
        for error in self.api.iter_response_errors(request, answer):
            # Jira's v3 description gives its 204s an empty JSON schema; a 204 has no body by
            # definition (RFC 9110), and real Jira sends none, so "missing data" is not a fault.
            empty_204 = response.status_code == 204 and not response.content
            if empty_204 and isinstance(error, MissingData):
                continue
            found.append(_describe(error))
        return found

    def described_headers(self, method: str, path: str, status: int) -> set[str]:
        """Response header names the description lists for this operation and status."""
        spec_path = self.to_spec_path(urlsplit(path).path)
        for template, operations in self.document["paths"].items():
            pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
            if re.fullmatch(pattern, spec_path) and method.lower() in operations:
                responses = operations[method.lower()]["responses"]
                return set(responses.get(str(status), {}).get("headers", {}))
        return set()


def _describe(error: BaseException) -> str:
    details: list[str] = []
    cause: BaseException | None = error
    while cause is not None:
        details += [
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
            for e in getattr(cause, "schema_errors", None) or ()
        ]
        cause = cause.__cause__
    return f"{type(error).__name__}: {str(error)[:200]}" + "".join(f"\n  {d}" for d in details)


def _as_v3_rich_text(body: bytes, spec_path: str) -> bytes:
    """The explicit relaxations for Jira: v2 description and comment bodies are plain strings
    where v3 has Atlassian Document Format documents (wrapped here so only they are excused),
    and serverInfo's recorded `defaultLocale`."""
    if not spec_path.startswith("/rest/api/3/") or not body:
        return body
    payload = json.loads(body)
    if spec_path == "/rest/api/3/serverInfo" and isinstance(payload, dict):
        # Real Jira Cloud sends `defaultLocale` (recorded jira-cli serverinfo.json) although the
        # v3 schema forbids extra keys there; the sandbox follows the recording.
        payload.pop("defaultLocale", None)
    for holder in _rich_text_holders(payload):
        for key in ("body", "description"):
            if isinstance(holder.get(key), str):
                holder[key] = _adf(holder[key])
    return json.dumps(payload).encode()


def _rich_text_holders(payload: object) -> Iterator[dict[str, Any]]:
    """Comments (with `body`) and issue `fields` (with `description`), wherever they sit."""
    if isinstance(payload, list):
        for item in payload:
            yield from _rich_text_holders(item)
    elif isinstance(payload, dict):
        if "body" in payload and "author" in payload:
            yield payload
        fields = payload.get("fields")
        if isinstance(fields, dict) and "description" in fields:
            yield fields
        for key in ("issues", "comments"):
            yield from _rich_text_holders(payload.get(key))


def _adf(text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


@cache
def github_contract(prefix: str = "/github/api/v3") -> Contract:
    """GitHub's description; sandbox paths lose their `/github/api/v3` prefix."""
    document = recorded(GITHUB_DOCUMENT)
    return Contract(
        OpenAPI.from_dict(document), document, "https://api.github.com", _strip(prefix, "")
    )


@cache
def jira_contract() -> Contract:
    """Jira Cloud v3's description; the sandbox's v2 (or `latest`) paths on either flavour map
    onto v3."""
    document = recorded(JIRA_DOCUMENT)
    config = Config(extra_format_validators={"date-time": _jira_date_time})
    api = OpenAPI.from_dict(document, config=config)

    def to_v3(path: str) -> str:
        bare = re.sub(r"^/jira-(cloud|dc)", "", path)
        return re.sub(r"^/rest/api/(2|latest)/", "/rest/api/3/", bare)

    return Contract(api, document, "https://your-domain.atlassian.net", to_v3)


def _strip(prefix: str, replacement: str) -> Callable[[str], str]:
    return lambda path: replacement + path.removeprefix(prefix)
