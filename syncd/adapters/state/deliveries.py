"""The `deliveries` table: webhook delivery ids already taken, so a redelivery changes nothing.

GitHub names a delivery by `X-GitHub-Delivery` and a redelivery keeps it; Jira's
`X-Atlassian-Webhook-Identifier` is the same on every retry. Ids are kept `RETENTION` and read
back at start, so a redelivery after a restart is still known.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from syncd.adapters.state.table import Table

RETENTION = timedelta(hours=72)  # SPEC §7


class DeliveryTable(Table):
    """Delivery ids per tracker, with the time each was taken (UTC ISO text, compared as text)."""

    def recent(self, now: datetime) -> set[tuple[str, str]]:
        """Every (tracker, id) taken within RETENTION before `now`."""
        since = (now.astimezone(UTC) - RETENTION).isoformat()
        with self._sql() as conn:
            rows = conn.execute("SELECT tracker, id FROM deliveries WHERE at >= ?", (since,))
            return {(str(tracker), str(id_)) for tracker, id_ in rows}

    def remember(self, tracker: str, delivery: str, at: datetime) -> None:
        """Record that `delivery` of `tracker` was taken at `at`."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO deliveries (tracker, id, at) VALUES (?, ?, ?)",
                (tracker, delivery, at.astimezone(UTC).isoformat()),
            )

    def prune(self, now: datetime) -> int:
        """Forget ids older than RETENTION; how many were dropped."""
        since = (now.astimezone(UTC) - RETENTION).isoformat()
        with self._sql() as conn:
            return conn.execute("DELETE FROM deliveries WHERE at < ?", (since,)).rowcount
