"""The state file's schema as ordered migrations, tracked by `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3

# Each entry moves the schema one version up; never edit one that has shipped, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE records (
        tracker TEXT NOT NULL,
        key TEXT NOT NULL,
        tier TEXT,
        placed_at TEXT,
        member TEXT,
        tier_label TEXT,
        assignee TEXT,
        assign_settled INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0,
        commented INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tracker, key)
    );
    CREATE TABLE journal (
        idx INTEGER PRIMARY KEY,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        member TEXT,
        source TEXT NOT NULL,
        cursor TEXT,
        owed TEXT NOT NULL
    );
    CREATE TABLE watermarks (
        tracker TEXT PRIMARY KEY,
        watermark TEXT NOT NULL
    );
    CREATE TABLE etags (
        tracker TEXT NOT NULL,
        url TEXT NOT NULL,
        etag TEXT NOT NULL,
        PRIMARY KEY (tracker, url)
    );
    CREATE TABLE cycles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tracker TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'paused')),
        writes INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        message TEXT NOT NULL,
        paused_until TEXT
    );
    CREATE INDEX cycles_by_tracker ON cycles (tracker, id);
    CREATE TABLE unassignable (
        tracker TEXT NOT NULL,
        identity TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (tracker, identity)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        tracker TEXT NOT NULL,
        issue TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        rule TEXT NOT NULL,
        reason TEXT NOT NULL,
        outcome TEXT NOT NULL
    );
    CREATE INDEX audit_by_time ON audit (time);
    """,
    # 2: what syncd last saw of each open escalation, for `syncd status`. ETags are dropped so
    # that the first cycle after the upgrade lists every issue (a 304 would leave `seen` empty).
    """
    CREATE TABLE seen (
        tracker TEXT NOT NULL,
        key TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        tier TEXT,
        assignees TEXT NOT NULL,
        reporters INTEGER NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        flagged INTEGER NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (tracker, key)
    );
    DELETE FROM etags;
    """,
    # 3: each issue's `updated` before syncd's latest writes and when those landed (so that
    # syncd's own writes are not taken as activity); writes a tracker refused for good (so that
    # they are not retried every cycle); an index to prune the cycle history by age.
    """
    ALTER TABLE records ADD COLUMN seen_updated TEXT;
    ALTER TABLE records ADD COLUMN wrote_at TEXT;
    CREATE TABLE rejections (
        tracker TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        updated TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (tracker, key, kind, detail)
    );
    CREATE INDEX cycles_by_finished ON cycles (finished);
    """,
    # 4: labels syncd sent whose answer was lost (JSON list), so a label that landed anyway is
    # known as syncd's and not read as a person's pin.
    """
    ALTER TABLE records ADD COLUMN sent_labels TEXT NOT NULL DEFAULT '[]';
    """,
    # 5: identities syncd was assigning when the answer was lost (JSON list), so an assignment
    # that landed anyway is known as syncd's and not read as a person's.
    """
    ALTER TABLE records ADD COLUMN sent_assignees TEXT NOT NULL DEFAULT '[]';
    """,
    # 6: when each tracker last completed a full reconciliation, and the digest of the config it
    # ran under, so that a start (a cron `--once`) reconciles only when one is due.
    """
    CREATE TABLE reconciliations (
        tracker TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        digest TEXT NOT NULL
    );
    """,
    # 7: a refused assignee is refused in one repository or Jira project (`scope`), not in the
    # whole tracker. Refusals stored before have no scope and are dropped: each costs at most
    # one more attempt, as after their 24 hours.
    """
    DROP TABLE unassignable;
    CREATE TABLE unassignable (
        tracker TEXT NOT NULL,
        scope TEXT NOT NULL,
        identity TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (tracker, scope, identity)
    );
    """,
    # 8: what each Jira tracker learnt about its site (syncd.adapters.jira.facts), so that a start
    # (a cron `--once`) does not ask serverInfo, myself, configuration and the fields again.
    # `site` is what the facts were learnt for (URL, user digest, estimate field).
    """
    CREATE TABLE jira_sites (
        tracker TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        learnt_at TEXT NOT NULL,
        deployment TEXT NOT NULL,
        zone TEXT NOT NULL,
        hours_per_day REAL NOT NULL,
        points_field TEXT,
        estimate_field TEXT NOT NULL
    );
    """,
    # 9: webhook deliveries already taken (syncd.adapters.state.deliveries), by the tracker's
    # delivery id, so that a redelivery within 72 hours, across a restart too, changes nothing.
    """
    CREATE TABLE deliveries (
        tracker TEXT NOT NULL,
        id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (tracker, id)
    );
    CREATE INDEX deliveries_by_at ON deliveries (at);
    """,
    # 10: the version of each calendar event the feed has shown (syncd.adapters.state.
    # calendar_events): a shift whose person or times change keeps its UID, its SEQUENCE grows.
    """
    CREATE TABLE calendar_events (
        uid TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        modified TEXT NOT NULL
    );
    """,
    # 11: the write budget spent (syncd.adapters.state.spending): each write's time per tracker,
    # kept an hour, so a restart or a crash loop cannot burst; and each tracker's backlog of
    # writes waiting after its last apply, with when they would be done, for `syncd status`.
    """
    CREATE TABLE write_times (
        tracker TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX write_times_by_tracker ON write_times (tracker, at);
    CREATE TABLE backlog (
        tracker TEXT PRIMARY KEY,
        waiting INTEGER NOT NULL,
        done_by TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 12: the outbox of messages to people (syncd.adapters.state.outbox, SPEC §8): each message by
    # a stable id (`handoff:<shift start>:<member>`, ...), so that it is sent once across restarts
    # and reloads; a failed send waits for `next_attempt` and is dropped after `relevant_until`.
    """
    CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dropped')),
        attempts INTEGER NOT NULL,
        next_attempt TEXT NOT NULL,
        relevant_until TEXT NOT NULL,
        created TEXT NOT NULL,
        done_at TEXT
    );
    CREATE INDEX outbox_by_status ON outbox (status, next_attempt);
    """,
    # 13: each escalation's first placement in each tier (syncd.adapters.state.placements), for
    # `syncd report` (SPEC §11): when, for whom, the creation, when syncd assigned it and
    # to whom, when it was flagged. Kept PLACEMENT_RETENTION (over a year), unlike the audit.
    """
    CREATE TABLE placements (
        tracker TEXT NOT NULL,
        key TEXT NOT NULL,
        tier TEXT NOT NULL,
        placed_at TEXT NOT NULL,
        created TEXT NOT NULL,
        member TEXT,
        assignee TEXT,
        assigned_at TEXT,
        flagged_at TEXT,
        PRIMARY KEY (tracker, key, tier)
    );
    CREATE INDEX placements_by_placed_at ON placements (placed_at);
    """,
    # 14: each seen escalation's estimate (syncd.adapters.state.seen), for the queue on the status
    # page and in `syncd status`: work seconds, and how the tracker wrote it (`3d`, `5 points`).
    """
    ALTER TABLE seen ADD COLUMN estimate REAL;
    ALTER TABLE seen ADD COLUMN estimate_text TEXT;
    """,
)

LATEST = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    """The schema version the file is at (0 for a new file)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration the file has not seen, each in its own transaction; the new version.

    Raises ValueError when the file was written by a newer syncd (its version is unknown here).
    """
    current = version(conn)
    if current > LATEST:
        raise ValueError(f"schema version {current} is newer than this syncd knows ({LATEST})")
    for number in range(current, LATEST):
        # executescript commits first; BEGIN..COMMIT makes the step and its version bump atomic.
        conn.executescript(
            f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
        )
    return LATEST
