"""The registered tracker kinds, by the name a config file writes under `kind:`.

Adding a kind is one package (its config, reader and adapter) and one line below.
"""

from __future__ import annotations

from syncd.adapters.github.kind import GITHUB
from syncd.adapters.jira.kind import JIRA
from syncd.config.model import Config, TrackerConfig
from syncd.service_layer.kinds import AnyKind

_KINDS: dict[str, AnyKind] = {kind.name: kind for kind in (GITHUB, JIRA)}


def register(kind: AnyKind) -> None:
    """Make `kind` known to the loader and the composition root; a name is registered once."""
    if kind.name in _KINDS:
        raise ValueError(f"tracker kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    """Forget the kind called `name` (a test's kind, once the test is done)."""
    del _KINDS[name]


def registered() -> tuple[AnyKind, ...]:
    """Every kind, in registration order."""
    return tuple(_KINDS.values())


def find(name: str) -> AnyKind | None:
    """The kind written `name` in a file, or None."""
    return _KINDS.get(name)


def kind_of(tracker: TrackerConfig) -> AnyKind:
    """The kind of a loaded tracker (it loaded, so its kind is registered)."""
    return _KINDS[tracker.kind]


def secret_values(config: Config) -> list[str]:
    """Every credential in `config`, and the Basic header value it turns into, for the Redactor."""
    found: list[str] = []
    for tracker in config.trackers:
        found += kind_of(tracker).secrets(tracker)
        if tracker.webhook_secret is not None:
            found.append(tracker.webhook_secret.reveal())
    if config.notify is not None:
        found += [url.reveal() for url in config.notify.secrets() if url.reveal()]
    return found
