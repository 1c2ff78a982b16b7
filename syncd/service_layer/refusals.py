"""Writes a tracker refused for good: held back while the issue is unchanged, remembered anew."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import structlog

from syncd.adapters.state import Rejection, Store
from syncd.adapters.state.rejections import RejectionKey
from syncd.domain.actions import Action
from syncd.domain.write_terms import about, ident_of
from syncd.errors import NotFound, WriteRejected

log = structlog.get_logger("syncd.applier")


class Refusals:
    """One apply's view of a tracker's writes refused for good, as the state file keeps them.

    A refused write is not tried again until a person changes the issue (its `updated`, as
    syncd saw it before its own writes, moves) or a full reconciliation forgets the refusals.
    """

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        remembered: Mapping[RejectionKey, Rejection],
    ) -> None:
        self._store = store
        self._clock = clock
        self._remembered = remembered

    def hold(self, action: Action, seen: datetime) -> bool:
        """Whether `action` was refused for good and nobody has touched the issue since."""
        earlier = self._remembered.get(ident_of(action))
        if earlier is None:
            return False
        if earlier.updated == seen:
            return True
        # Touched since: the refusal is forgotten and the write tried again.
        self._store.rejections.forget(action.tracker, earlier.ident)
        return False

    def remember(self, action: Action, seen: datetime, exc: WriteRejected | NotFound) -> None:
        """Store (and log, this once) a write the tracker has just refused for good."""
        key, kind, detail = ident_of(action)
        rejection = Rejection(action.tracker, key, kind, detail, seen, str(exc), self._clock())
        self._store.rejections.remember(rejection)
        log.error(
            "write refused; not tried again until the issue changes or a full reconciliation",
            **about(action),
            error=str(exc),
        )
