"""Proxies and the CA bundle from the environment, resolved once per adapter.

With `Session.trust_env` on, requests reads the proxy variables, netrc and `REQUESTS_CA_BUNDLE`
again for every request (about 13 % of syncd's CPU in a first sync). Resolved once for the
tracker's URL and set on the session, with `trust_env` off, they are honoured as before: an
`HTTPS_PROXY`, a `NO_PROXY` naming the tracker's host, a CA bundle. Credentials never come from
netrc (each adapter sends its own), and a change of these variables needs a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Environment:
    """What requests would take from the environment for one URL."""

    proxies: dict[str, str]
    verify: bool | str  # True, or the path of a CA bundle


def resolve(url: str) -> Environment:
    """The proxies and CA bundle the environment gives for requests to `url`."""
    with requests.Session() as session:
        settings = session.merge_environment_settings(url, {}, None, None, None)
    verify = settings["verify"]
    return Environment(dict(settings["proxies"]), verify if isinstance(verify, str) else True)


def settle(session: requests.Session, environment: Environment) -> None:
    """Make `environment` the session's own and stop it reading the environment per request."""
    session.proxies.update(environment.proxies)
    session.verify = environment.verify
    session.trust_env = False
