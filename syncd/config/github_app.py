"""A GitHub tracker's credentials: `token`, or `app: {id, private_key | private_key_file}` (§9)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from syncd.config.document import Node
from syncd.config.model import GitHubApp, Secret
from syncd.config.problems import Invalid
from syncd.config.section import Section
from syncd.config.values import integer

APP_KEYS = ("id", "private_key", "private_key_file")
_KEY_SOURCES = ("private_key", "private_key_file")
_MAX_PEM = 64 * 1024  # a 4096-bit key is about 3.3 kB; anything larger is the wrong file
_LARGEST_ID = 2**53


def read_credentials(section: Section) -> tuple[bool, Secret | None, GitHubApp | None]:
    """(usable, token, app) of one GitHub tracker: exactly one of `token` and `app` is given.

    Not usable when the choice is wrong or its value has problems (each reported).
    """
    if section.has("token") and section.has("app"):
        message = "give either 'token' or 'app' (a GitHub App), not both"
        section.problem(section.key_line("app"), "app", message)
        return False, None, None
    if not section.has("app"):
        if section.is_mapping and not section.has("token"):
            section.problem(section.line, "", "missing required key 'token' (or 'app')")
        token = section.get("token", section.ctx.values.secret, None)
        return token is not None, token, None
    app = _read_app(section)
    return app is not None, None, app


def _read_app(parent: Section) -> GitHubApp | None:
    app = Section(parent.node("app"), f"{parent.path}.app", parent.ctx, APP_KEYS)
    if not app.is_mapping:
        return None
    app_id = app.require("id", lambda node: integer(node, 1, _LARGEST_ID))
    given = [key for key in _KEY_SOURCES if app.has(key)]
    if len(given) != 1:
        where = app.key_line(given[1]) if given else app.line
        app.problem(where, "", "give exactly one of 'private_key' and 'private_key_file'")
        return None
    if given == ["private_key"]:
        key = app.get("private_key", lambda node: _pem(parent.ctx.values.secret(node)), None)
    else:
        key = app.get("private_key_file", lambda node: _pem_file(parent, node), None)
    if app_id is None or key is None:
        return None
    return GitHubApp(id=app_id, private_key=key)


def _pem_file(section: Section, node: Node) -> Secret:
    # A relative path is relative to the working directory, as `state_path` is.
    path = Path(section.ctx.values.name(node)).expanduser()
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_PEM + 1)
    except OSError as exc:
        raise Invalid(f"cannot read {str(path)[:120]!r}: {exc.strerror or exc}") from None
    if len(data) > _MAX_PEM:
        raise Invalid(f"{str(path)[:120]!r} is larger than {_MAX_PEM} bytes: not a private key")
    return _pem(Secret(data.decode("utf-8", "replace"), f"private_key_file {path}"))


def _pem(key: Secret) -> Secret:
    """The key checked to be an unencrypted RSA private key in PEM (GitHub's `.pem` download).

    An unset `${VAR}` (when secrets are not required) stays empty and unchecked. A key pasted
    into one environment line with `\\n` for its line breaks is accepted.
    """
    text = key.reveal()
    if not text:
        return key
    if "\n" not in text.strip() and "\\n" in text:
        text = text.replace("\\n", "\n")
    try:
        loaded = load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        loaded = None  # never quote the library's message: it may echo part of the key
    if not isinstance(loaded, RSAPrivateKey):
        raise Invalid(
            "not an unencrypted RSA private key in PEM form "
            "(GitHub's download: -----BEGIN RSA PRIVATE KEY-----)"
        )
    return Secret(text, key.source)
