"""The status page built from the snapshot the daemon's loop thread publishes (no SQLite)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from syncd.adapters.state import Store
from syncd.clock import fixed
from syncd.config.loader import load
from syncd.entrypoints.listener import Request, Routes
from syncd.entrypoints.pages import page_routes
from syncd.entrypoints.standup import WRITES_WINDOW
from syncd.service_layer.daemon import Daemon
from syncd.service_layer.status_snapshot import StatusPublisher
from tests.daemon.test_daemon_loop import Harness
from tests.fakes import SteppingClock
from tests.pages.page_world import Pages
from tests.status.test_seen_issues import a_seen
from tests.status.test_status_command import NOW

GET = Request("GET", "/", "", {}, b"", "127.0.0.1")


def snapshot_routes(pages: Pages, publisher: StatusPublisher) -> Routes:
    """The page routes reading `publisher`'s snapshots, at NOW."""
    config = load(pages.config_path, require_secrets=False)
    return Routes(page_routes(lambda: config, fixed(NOW), publisher.latest))


class TestSnapshotPage:
    def test_the_page_renders_with_the_state_file_gone(self, tmp_path: Path) -> None:
        """Once published, the page needs no state file: it is deleted and the queue still shows."""
        pages = Pages(tmp_path)
        with Store.open(pages.state) as store:
            routes = snapshot_routes(pages, StatusPublisher(store, fixed(NOW), WRITES_WINDOW))
        shutil.rmtree(pages.state.parent)

        answer = routes.answer(GET)

        assert answer.status == 200
        assert "Checkout down" in answer.body.decode()
        assert "<strong>bob</strong> (rotation) until" in answer.body.decode()

    def test_it_is_the_page_read_from_the_file(self, tmp_path: Path) -> None:
        """The snapshot's page and the one read from the state file are the same bytes."""
        pages = Pages(tmp_path)
        with Store.open(pages.state) as store:
            routes = snapshot_routes(pages, StatusPublisher(store, fixed(NOW), WRITES_WINDOW))

        assert routes.answer(GET).body == pages.get("/").body

    def test_a_save_shows_once_published_and_a_complete_save_drops_the_rest(
        self, tmp_path: Path
    ) -> None:
        """The page keeps its snapshot until the next publish, which has the saves since."""
        pages = Pages(tmp_path)
        with Store.open(pages.state) as store:
            publisher = StatusPublisher(store, fixed(NOW), WRITES_WINDOW)
            routes = snapshot_routes(pages, publisher)
            new = a_seen("acme/web#77", title="Brand new fire", created=NOW - timedelta(hours=1))
            store.seen.save("web", [new], complete=True)
            before = routes.answer(GET).body.decode()
            publisher.publish()
            after = routes.answer(GET).body.decode()

        assert "Brand new fire" not in before and "Checkout down" in before
        assert "Brand new fire" in after and "Checkout down" not in after
        assert "SUP-1" in after  # another tracker's issues stay


class TestDaemonPublishes:
    def test_each_cycle_publishes_what_it_saw(self, tmp_path: Path) -> None:
        """After a cycle the latest snapshot holds the new fire, placed in its tier."""
        harness = Harness(tmp_path)
        key = harness.web.open_issue(labels=("escalation", "outage"))
        publisher = StatusPublisher(harness.store, harness.clock, WRITES_WINDOW)
        daemon = Daemon(harness.config, harness.build, harness.load,
                        monotonic=SteppingClock(), settled=publisher.publish)  # fmt: skip
        first = publisher.latest()

        daemon.run_once()

        latest = publisher.latest()
        harness.store.close()
        assert first.seen == ()
        assert latest.serial > first.serial
        assert [(i.key, i.tier) for i in latest.seen] == [(key, "fire")]
        assert set(latest.cycles) == {"web"}
