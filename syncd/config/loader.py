"""Loading the YAML configuration into a validated Config, reporting every problem at once."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from syncd.config.document import DocumentError, Map, Node, parse
from syncd.config.listen import read_http
from syncd.config.model import Config, Handoff
from syncd.config.notify import read_notify
from syncd.config.people import check_identities, read_people
from syncd.config.problems import Invalid, Problems
from syncd.config.rotation import read_rotation
from syncd.config.section import Context, Section
from syncd.config.tiers import read_estimates, read_tiers
from syncd.config.trackers import declared_kinds, read_trackers
from syncd.config.values import Values, describe, elapsed
from syncd.errors import ConfigError, ConfigProblem

_TOP_KEYS = (
    "poll_interval",
    "reconcile_interval",
    "state_path",
    "people",
    "rotation",
    "tiers",
    "estimates",
    "trackers",
    "http",
    "notify",
)
_REQUIRED = ("people", "rotation", "tiers", "trackers")
_MAX_BYTES = 1_000_000  # a real configuration is a few kilobytes
MIN_POLL_INTERVAL = 10.0


def load(
    path: Path, environ: Mapping[str, str] | None = None, *, require_secrets: bool = True
) -> Config:
    """Read and validate `path`; `${VAR}` comes from `environ` (default: the process environment).

    With `require_secrets=False` an unset variable becomes an empty Secret instead of a problem,
    for commands that never talk to a tracker.
    """
    env = os.environ if environ is None else environ
    name = str(path)
    try:
        data = _read_bytes(path)
    except OSError as exc:
        raise _single(
            name, None, f"cannot read the file: {exc.strerror or type(exc).__name__}"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _single(name, line, "not UTF-8 text (is this a YAML file?)") from None
    return loads(text, name, env, require_secrets=require_secrets)


def loads(
    text: str, filename: str, environ: Mapping[str, str], *, require_secrets: bool = True
) -> Config:
    """Validate the YAML `text` as if read from `filename`; ConfigError lists every problem."""
    try:
        root = parse(text)
    except DocumentError as exc:
        raise _single(filename, exc.line, exc.message) from None
    if root is None:
        raise _single(
            filename, None, "the file is empty: it needs people, rotation, tiers, trackers"
        )
    if not isinstance(root, Map):
        message = f"the top level must be a mapping (people, rotation, ...), not {describe(root)}"
        raise _single(filename, root.line, message)
    problems = Problems(filename)
    values = Values(environ, require_secrets, on_substitute=problems.hide)
    config = _build(root, Path(filename), Context(problems, values))
    problems.raise_if_any()
    if config is None:  # every missing part was reported above; this guards the types
        raise _single(filename, None, "incomplete configuration")
    return replace(config, digest=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _build(root: Node, source: Path, ctx: Context) -> Config | None:
    top = Section(root, "", ctx, _TOP_KEYS)
    for key in _REQUIRED:
        if not top.has(key):
            top.problem(top.line, "", f"missing required key {key!r}")
    poll, reconcile = _intervals(top)
    state_path = top.get("state_path", lambda node: _state_path(ctx, node), Path("var/syncd.db"))
    people = read_people(top)
    estimates = read_estimates(top.node("estimates"), ctx)
    tiers = read_tiers(top.node("tiers"), ctx, estimates)
    rotation = read_rotation(top.node("rotation"), ctx, people.by_id)
    trackers = read_trackers(top, people.by_id, needs_team=estimates.handoff is Handoff.TEAM)
    check_identities(people, rotation, trackers, declared_kinds(top), ctx)
    http = read_http(top.node("http"), ctx)
    notify = read_notify(top.node("notify"), ctx)
    if rotation is None:
        return None
    return Config(
        source=source,
        poll_interval=poll,
        reconcile_interval=reconcile,
        state_path=state_path,
        people=people.by_id,
        rotation=rotation,
        tiers=tiers,
        estimates=estimates,
        trackers=trackers,
        http=http,
        notify=notify,
    )


def _intervals(top: Section) -> tuple[float, float]:
    poll = top.get("poll_interval", elapsed, 60.0)
    if poll < MIN_POLL_INTERVAL:
        top.problem(top.key_line("poll_interval"), "poll_interval", "must be at least 10s")
    reconcile = top.get("reconcile_interval", elapsed, 3600.0)
    if reconcile < poll:
        message = "must be at least poll_interval (a full pass cannot run more often than a poll)"
        top.problem(top.key_line("reconcile_interval"), "reconcile_interval", message)
    return poll, reconcile


def _state_path(ctx: Context, node: Node) -> Path:
    # A relative path is relative to the working directory, as for any command-line tool.
    text = ctx.values.name(node)
    if "\0" in text:
        raise Invalid("a path cannot contain a NUL character")
    return Path(text)


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise OSError(0, f"larger than {_MAX_BYTES} bytes; is this the configuration file?")
    return data


def _single(file: str, line: int | None, message: str) -> ConfigError:
    return ConfigError([ConfigProblem(file, line, "", message)])
