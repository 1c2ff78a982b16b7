"""Log configuration: structlog JSON lines (or key=value on a terminal), secrets redacted."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

import structlog
from structlog.processors import ExceptionRenderer
from structlog.tracebacks import ExceptionDictTransformer
from structlog.types import EventDict, Processor, WrappedLogger

from syncd.entrypoints.printable import printable, printable_line
from syncd.redaction import Redactor

# Loggers of the libraries under the adapters; their lines go through the same redaction.
LIBRARY_LOGGERS = ("github", "jira", "urllib3", "requests", "waitress")

_MULTI_LINE = frozenset({"exception", "stack"})
_META = frozenset({"_record", "_from_structlog"})  # structlog's ProcessorFormatter needs them


def escape_controls(logger: WrappedLogger, method: str, event_dict: EventDict) -> EventDict:
    """Processor for the console: tracker text in the event and its values is escaped, so no
    escape sequence acts and no newline forges a line; a traceback keeps its lines."""
    return {key: _escaped_item(key, value) for key, value in event_dict.items()}


def _escaped_item(key: str, value: object) -> object:
    if key in _META:
        return value
    if key in _MULTI_LINE and isinstance(value, str):
        return printable(value)
    return _escaped(value)


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return printable_line(value)
    if isinstance(value, list | tuple):
        return type(value)(_escaped(item) for item in value)
    if isinstance(value, dict):
        return {_escaped(key): _escaped(item) for key, item in value.items()}
    if value is None or isinstance(value, int | float):
        return value
    return printable_line(repr(value))  # the console shows repr(); it may hold anything


def configure(
    secrets: Iterable[str] = (),
    *,
    stream: TextIO | None = None,
    terminal: bool | None = None,
    level: int = logging.INFO,
) -> Redactor:
    """Set up structlog and the stdlib loggers of PyGithub, jira and urllib3; call again to
    change the secrets (after a reload). Returns the redactor in use."""
    out = stream or sys.stdout
    on_terminal = out.isatty() if terminal is None else terminal
    redactor = Redactor(secrets)
    renderer: Processor
    if on_terminal:
        exceptions = ExceptionRenderer()  # plain text, rendered before redaction
        renderer = structlog.dev.ConsoleRenderer()
    else:
        exceptions = ExceptionRenderer(ExceptionDictTransformer(show_locals=False, use_rich=False))
        renderer = structlog.processors.JSONRenderer()
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        exceptions,
        redactor,
    ]
    if on_terminal:
        shared.append(escape_controls)  # JSON lines escape control characters themselves
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    _route_stdlib(shared, renderer, out, level)
    return redactor


def _route_stdlib(shared: list[Processor], renderer: Processor, out: TextIO, level: int) -> None:
    handler = logging.StreamHandler(out)
    handler.set_name("syncd")
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "syncd"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in LIBRARY_LOGGERS:
        # Their DEBUG lines carry request headers; WARNING and above is what an operator needs.
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
