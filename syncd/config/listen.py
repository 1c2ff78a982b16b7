"""The `http:` section: where the one HTTP listener listens, and the token its pages ask for.

A listener off loopback without `token` is a config error: the pages would be open to all.
"""

from __future__ import annotations

import ipaddress

from syncd.config.document import Node
from syncd.config.model import HttpConfig
from syncd.config.problems import Invalid
from syncd.config.section import Context, Section
from syncd.config.values import scalar

HTTP_KEYS = ("listen", "public_url", "token")


def read_http(node: Node | None, ctx: Context) -> HttpConfig | None:
    """The listener's settings, or None when the file has no `http:` (nothing is served)."""
    if node is None:
        return None
    section = Section(node, "http", ctx, HTTP_KEYS)
    address = section.require("listen", listen_address)
    token = section.get("token", ctx.values.secret, None)
    public_url = section.get("public_url", ctx.values.url, None)
    if address is None:
        return None
    if token is None and not is_loopback(address[0]):
        # The pages show titles, people and the rotation: never to the network without a token.
        section.problem(
            section.key_line("listen"),
            "listen",
            f"{address[0]} is not a loopback address: set http.token (token: ${{VAR}}), or"
            " listen on 127.0.0.1 behind a reverse proxy",
        )
    return HttpConfig(host=address[0], port=address[1], token=token, public_url=public_url)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, IPv6 with or without brackets) is this machine."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def listen_address(node: Node) -> tuple[str, int]:
    """`host:port` (an IPv6 host in brackets: `[::1]:9464`) as (host, port)."""
    text = str(scalar(node).value).strip()
    host, colon, port = text.rpartition(":")
    host = host.strip("[]") if host.startswith("[") else host
    if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise Invalid(f"expected host:port with a port from 1 to 65535, got {text!r}")
    if ":" in host and not text.startswith("["):
        raise Invalid(f"write an IPv6 address in brackets, as [::1]:9464; got {text!r}")
    return host, int(port)
