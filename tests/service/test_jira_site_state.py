"""The state file's `jira_sites` table: what each Jira tracker learnt about its site."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syncd.adapters.jira.facts import LearntFacts, SiteFacts
from syncd.adapters.state import Store, schema

T0 = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
LEARNT = LearntFacts(
    "https://jira.acme.example\n\nStory Points",
    T0,
    SiteFacts(
        "server", ZoneInfo("America/New_York"), 7.5, "customfield_10002", "customfield_10002"
    ),
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Where the state file goes (it does not exist yet)."""
    return tmp_path / "state" / "syncd.db"


def migrated_to(path: Path, version: int) -> sqlite3.Connection:
    """A state file as a syncd at schema `version` left it."""
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for number in range(version):
        conn.executescript(
            f"BEGIN;\n{schema.MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
        )
    return conn


class TestJiraSiteTable:
    """Facts kept per tracker and read back as they were."""

    def test_kept_facts_are_read_back_after_reopening(self, path: Path) -> None:
        """Flavour, zone, working day, field ids and date survive a restart, per tracker."""
        with Store.open(path) as store:
            store.jira_site("ops").remember(LEARNT)

        with Store.open(path) as store:
            assert store.jira_site("ops").learnt() == LEARNT
            assert store.jira_site("support").learnt() is None

    def test_facts_kept_again_replace_the_old_ones(self, path: Path) -> None:
        """One row per tracker: the latest facts learnt."""
        later = LearntFacts(LEARNT.site, T0.replace(hour=15), LEARNT.facts)
        with Store.open(path) as store:
            store.jira_site("ops").remember(LEARNT)
            store.jira_site("ops").remember(later)

            assert store.jira_site("ops").learnt() == later

    def test_a_zone_this_machine_does_not_know_reads_as_nothing_kept(self, path: Path) -> None:
        """A row syncd cannot use (a zone gone from tzdata, a hand edit) is learnt again."""
        with Store.open(path) as store:
            store.jira_site("ops").remember(LEARNT)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE jira_sites SET zone = 'Mars/Olympus_Mons'")
        conn.close()

        with Store.open(path) as store:
            assert store.jira_site("ops").learnt() is None


class TestJiraSitesMigration:
    """The migration that adds `jira_sites` to a file written before it."""

    def test_a_file_from_before_opens_with_no_facts_kept_and_its_data(self, path: Path) -> None:
        """A file at the schema before: migrated to the latest, nothing kept, watermarks kept."""
        before = next(n for n, step in enumerate(schema.MIGRATIONS) if "jira_sites" in step)
        conn = migrated_to(path, before)
        conn.execute("INSERT INTO watermarks VALUES ('ops', ?)", (T0.isoformat(),))
        conn.close()

        with Store.open(path) as store:
            kept = store.jira_site("ops").learnt()
            watermark = store.watermark("ops")
        version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]

        assert version == schema.LATEST
        assert kept is None
        assert watermark == T0
