"""The service cycle against in-memory trackers and the real planner (SPEC 3.1-3.4)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from pathlib import Path

from structlog.testing import capture_logs

from syncd.adapters.state import CycleOutcome, Store
from syncd.domain.issue import Refusal
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.errors import RateLimited, TrackerUnavailable, WriteRejected
from syncd.service_layer.service import OVERLAP, Service
from tests.builders import WORK_DAY, a_config, a_github_tracker, a_jira_tracker
from tests.fakes import Write
from tests.service.world import START, World, make_world, two_trackers


class TestTierLabels:
    def test_the_computed_tier_label_is_added(self, world: World) -> None:
        """An outage escalation gets tier/fire and keeps its other labels."""
        key = world.web.open_issue(labels=("escalation", "outage"))

        world.service.cycle(full=True)

        assert set(world.web.labels(key)) == {"escalation", "outage", "tier/fire"}

    def test_a_tier_label_syncd_wrote_is_replaced_when_the_tier_changes(self, world: World) -> None:
        """When the outage label goes, tier/fire (syncd's) is removed and tier/triage added."""
        key = world.web.open_issue(labels=("escalation", "outage"))
        world.service.cycle(full=True)
        world.clock.advance(60)
        world.web.edit(key, labels=("escalation", "tier/fire"))

        world.service.cycle(full=False)

        assert set(world.web.labels(key)) == {"escalation", "tier/triage"}

    def test_a_second_cycle_over_unchanged_trackers_writes_nothing(self, world: World) -> None:
        """After one cycle settled everything, neither an incremental nor a full one writes."""
        world.web.open_issue(labels=("escalation", "outage"))
        world.web.open_issue(title="Export broken", estimate=3 * WORK_DAY, estimate_text="3d")
        world.support.open_issue(key="SUP-1", project="SUP", priority="Highest")
        world.service.cycle(full=True)
        settled = world.writes()
        world.clock.advance(60)

        world.service.cycle(full=False)
        world.service.cycle(full=True)

        assert settled > 0
        assert world.writes() == settled

    def test_a_hand_set_tier_label_is_kept(self, world: World) -> None:
        """A tier label a person set pins the tier: syncd adds no other tier label."""
        key = world.web.open_issue(labels=("escalation", "outage", "tier/acknowledged"))

        world.service.cycle(full=True)

        assert set(world.web.labels(key)) == {"escalation", "outage", "tier/acknowledged"}

    def test_an_ignored_issue_is_left_alone(self, world: World) -> None:
        """`syncd/ignore` means no write at all for that issue."""
        world.web.open_issue(labels=("escalation", "outage", "syncd/ignore"))

        world.service.cycle(full=True)

        assert world.web.writes == []


class TestAssignment:
    def test_the_person_on_rotation_is_assigned(self, world: World) -> None:
        """A fire escalation goes to alice, on shift, by her GitHub login."""
        key = world.web.open_issue(labels=("escalation", "outage"))

        world.service.cycle(full=True)

        assert world.web.assignees(key) == ("alice-gh",)

    def test_an_assignee_a_person_set_is_never_replaced(self, world: World) -> None:
        """carol, set by hand, stays the only assignee."""
        key = world.web.open_issue(labels=("escalation", "outage"), assignees=("carol-c",))

        world.service.cycle(full=True)
        world.clock.advance(60)
        world.service.cycle(full=True)

        assert world.web.assignees(key) == ("carol-c",)

    def test_an_unassignable_person_gives_way_to_the_fallback_once(self, world: World) -> None:
        """alice refused: lead gets it, the refusal is stored, and the next cycle writes nothing."""
        world.web.unassignable.add("alice-gh")
        key = world.web.open_issue(labels=("escalation", "outage"))

        with capture_logs() as logs:
            world.service.cycle(full=True)
        settled = world.writes()
        world.clock.advance(60)
        world.service.cycle(full=True)

        assert world.web.assignees(key) == ("acme-lead",)
        assert world.store is not None
        assert Refusal("web", "acme/web", "alice-gh") in world.store.unassignable(world.clock())
        assert world.writes() == settled
        warnings = [e for e in logs if e["log_level"] == "warning" and e.get("person") == "alice"]
        assert warnings
        assert warnings[0]["tracker"] == "web"

    def test_with_nobody_assignable_the_issue_stays_unassigned_without_looping(
        self, tmp_path: Path
    ) -> None:
        """No fallback and alice refused: unassigned, and later cycles do not try again."""
        config = a_config(
            fallback=None, trackers=(a_github_tracker("web"), a_jira_tracker("support"))
        )
        world = make_world(tmp_path, config)
        world.web.unassignable.add("alice-gh")
        key = world.web.open_issue(labels=("escalation", "outage"))
        world.service.cycle(full=True)
        attempts = [w for w in world.web.writes if w.op == "assign"]

        world.clock.advance(60)
        world.service.cycle(full=True)
        world.service.cycle(full=False)

        assert world.web.assignees(key) == ()
        assert [w for w in world.web.writes if w.op == "assign"] == attempts

    def test_the_write_cap_between_two_candidates_leaves_the_fallback_for_later(
        self, tmp_path: Path
    ) -> None:
        """Cap reached after alice's refusal: lead is assigned next cycle, not given up on."""
        world = make_world(tmp_path, two_trackers(max_writes_per_cycle=2))
        world.web.unassignable.add("alice-gh")
        key = world.web.open_issue(labels=("escalation", "outage"))

        world.service.cycle(full=True)
        after_first = world.web.assignees(key)
        world.clock.advance(60)
        world.service.cycle(full=False)

        assert after_first == ()
        assert world.web.assignees(key) == ("acme-lead",)


class TestRefusalsAreScoped:
    """A person refused in one repository or Jira project stays assignable in the others."""

    ALICE_JIRA = "5b10ac8d82e05b22cc7d4ef5"

    def test_a_refusal_in_acme_api_leaves_acme_web_fires_to_the_member(self, world: World) -> None:
        """Same cycle and later ones: acme/web fires go to alice, acme/api ones to the lead."""
        world.web.unassignable_in.add(("acme/api", "alice-gh"))
        api = world.web.open_issue(key="acme/api#1", labels=("escalation", "outage"))
        web = world.web.open_issue(key="acme/web#1", labels=("escalation", "outage"))

        world.service.cycle(full=True)
        world.clock.advance(3600)
        later_api = world.web.open_issue(key="acme/api#2", labels=("escalation", "outage"))
        later_web = world.web.open_issue(key="acme/web#2", labels=("escalation", "outage"))
        world.service.cycle(full=False)

        assert world.web.assignees(api) == ("acme-lead",)
        assert world.web.assignees(web) == ("alice-gh",)
        assert world.web.assignees(later_api) == ("acme-lead",)
        assert world.web.assignees(later_web) == ("alice-gh",)
        alice_in_api = [w for w in world.web.writes if w == Write("assign", api, "alice-gh")]
        assert len(alice_in_api) == 1  # no second attempt in acme/api within the day
        assert Write("assign", later_api, "alice-gh") not in world.web.writes
        assert world.store is not None
        assert world.store.unassignable(world.clock()) == {Refusal("web", "acme/api", "alice-gh")}

    def test_a_refusal_in_one_jira_project_leaves_the_others(self, world: World) -> None:
        """Jira refused alice in OPS: SUP fires still go to her, now and in later cycles."""
        world.support.unassignable_in.add(("OPS", self.ALICE_JIRA))
        ops = world.support.open_issue(key="OPS-1", project="OPS", priority="Highest")
        sup = world.support.open_issue(key="SUP-1", project="SUP", priority="Highest")

        world.service.cycle(full=True)
        world.clock.advance(3600)
        later_ops = world.support.open_issue(key="OPS-2", project="OPS", priority="Highest")
        later_sup = world.support.open_issue(key="SUP-2", project="SUP", priority="Highest")
        world.service.cycle(full=False)

        assert world.support.assignees(ops) == ("lead-account-id",)
        assert world.support.assignees(sup) == (self.ALICE_JIRA,)
        assert world.support.assignees(later_ops) == ("lead-account-id",)
        assert world.support.assignees(later_sup) == (self.ALICE_JIRA,)
        assert Write("assign", later_ops, self.ALICE_JIRA) not in world.support.writes

    def test_the_warning_says_where_the_person_was_refused(self, world: World) -> None:
        """The refusal's log line names the repository as `where`."""
        world.web.unassignable_in.add(("acme/api", "alice-gh"))
        world.web.open_issue(key="acme/api#1", labels=("escalation", "outage"))

        with capture_logs() as logs:
            world.service.cycle(full=True)

        refused = [e for e in logs if e.get("person") == "alice" and e["log_level"] == "warning"]
        assert [e["where"] for e in refused] == ["acme/api"]


class TestOverEstimate:
    def test_state_lost_duplicates_no_comment_and_fights_nobody(self, world: World) -> None:
        """With the state file deleted, the flag comment is not posted twice and labels stay."""
        key = world.web.open_issue(title="Export broken", estimate=3 * WORK_DAY, estimate_text="3d")
        world.service.cycle(full=True)
        labels, assignees = set(world.web.labels(key)), world.web.assignees(key)

        world.lose_state()
        world.clock.advance(60)
        world.service.cycle(full=True)
        world.service.cycle(full=True)

        assert len(world.web.comments[key]) == 1
        assert "needs-team" in labels
        assert set(world.web.labels(key)) == labels
        assert world.web.assignees(key) == assignees


class TestFailures:
    def test_a_failing_tracker_does_not_stop_another(self, world: World) -> None:
        """web is down; support is still planned and written, and both cycles are recorded."""
        world.web.open_issue(labels=("escalation", "outage"))
        jira_key = world.support.open_issue(key="SUP-1", project="SUP", priority="Highest")
        world.web.fail_next(1, TrackerUnavailable("connection refused"), ops=["fetch"])

        report = world.service.cycle(full=True)

        outcomes = {r.tracker: r.outcome for r in report.trackers}
        assert outcomes == {"web": CycleOutcome.ERROR, "support": CycleOutcome.OK}
        assert "tier/fire" in world.support.labels(jira_key)
        assert world.web.writes == []
        assert report.failed
        assert world.store is not None
        assert set(world.store.last_cycles()) == {"web", "support"}

    def test_a_rate_limit_pauses_only_that_tracker_until_it_ends(self, world: World) -> None:
        """web waits until `until` (no fetch meanwhile); support carries on; then web resumes."""
        key = world.web.open_issue(labels=("escalation", "outage"))
        until = START + timedelta(minutes=10)
        world.web.fail_next(1, RateLimited("secondary rate limit", until), ops=["fetch"])

        with capture_logs() as logs:
            first = world.service.cycle(full=True)
        world.clock.advance(5 * 60)
        second = world.service.cycle(full=False)
        fetches_while_paused = len(world.web.fetches)
        world.clock.advance(6 * 60)
        third = world.service.cycle(full=False)

        assert [r.outcome for r in first.trackers] == [CycleOutcome.PAUSED, CycleOutcome.OK]
        assert second.trackers[0].outcome is CycleOutcome.PAUSED
        assert second.trackers[0].paused_until == until
        assert not second.failed
        assert fetches_while_paused == 0
        assert third.trackers[0].outcome is CycleOutcome.OK
        assert "tier/fire" in world.web.labels(key)
        paused = [e for e in logs if e["event"] == "tracker paused"]
        assert paused[0]["until"] == "2026-11-02T16:10:00Z"

    def test_a_pause_survives_a_restart(self, world: World) -> None:
        """A new service over the same state still waits for the pause to end."""
        world.web.open_issue(labels=("escalation", "outage"))
        until = START + timedelta(minutes=10)
        world.web.fail_next(1, RateLimited("slow down", until), ops=["fetch"])
        world.service.cycle(full=True)

        world.service = world.new_service()
        world.service.cycle(full=True)

        assert world.web.fetches == []

    def test_a_failed_write_is_retried_next_cycle_and_not_doubled(self, world: World) -> None:
        """The label write fails once (network); a later cycle adds it exactly once."""
        key = world.web.open_issue(labels=("escalation", "outage"))
        world.web.fail_next(1, TrackerUnavailable("reset by peer"), ops=["add_label"])
        world.service.cycle(full=True)
        assert "tier/fire" not in world.web.labels(key)

        world.clock.advance(15 * 60)  # past the backoff
        world.service.cycle(full=False)
        world.service.cycle(full=False)

        adds = [w for w in world.web.writes if w.op == "add_label" and w.arg == "tier/fire"]
        assert len(adds) == 1
        assert "tier/fire" in world.web.labels(key)

    def test_a_rejected_write_is_logged_and_the_other_issues_go_on(self, world: World) -> None:
        """A 422-like refusal on one issue leaves the next issue's writes untouched."""
        first = world.web.open_issue(labels=("escalation", "outage"))
        second = world.web.open_issue(labels=("escalation", "outage"))
        world.web.fail_next(1, WriteRejected("validation failed"), ops=["add_label"])

        report = world.service.cycle(full=True)

        assert "tier/fire" not in world.web.labels(first)
        assert "tier/fire" in world.web.labels(second)
        assert report.trackers[0].errors == 1

    def test_backoff_after_an_error_skips_the_tracker_for_a_while(self, world: World) -> None:
        """Right after a failure the tracker is not called again; after the backoff it is."""
        world.web.fail_next(1, TrackerUnavailable("503"), ops=["fetch"])
        world.service.cycle(full=True)

        world.clock.advance(5)
        world.service.cycle(full=False)
        calls_during_backoff = len(world.web.fetches)
        world.clock.advance(10 * 60)
        world.service.cycle(full=False)

        assert calls_during_backoff == 0
        assert len(world.web.fetches) == 1


class TestPacing:
    def test_the_write_cap_leaves_the_rest_for_the_next_cycle(self, tmp_path: Path) -> None:
        """With a cap of 2, three issues take two cycles, and a third cycle writes nothing."""
        world = make_world(tmp_path, two_trackers(max_writes_per_cycle=2))
        keys = [world.web.open_issue() for _ in range(3)]

        world.service.cycle(full=True)
        after_first = len(world.web.writes)
        world.clock.advance(60)
        world.service.cycle(full=False)
        after_second = len(world.web.writes)
        world.service.cycle(full=False)

        assert after_first == 2
        assert after_second == 3
        assert len(world.web.writes) == 3
        assert all("tier/triage" in world.web.labels(key) for key in keys)

    def test_the_watermark_waits_for_unapplied_writes(self, tmp_path: Path) -> None:
        """After a capped cycle the watermark is not stored; after a complete one it is."""
        world = make_world(tmp_path, two_trackers(max_writes_per_cycle=1))
        world.web.open_issue()
        world.web.open_issue()
        store = world.store
        assert store is not None

        world.service.cycle(full=True)
        capped = store.watermark("web")
        world.service.cycle(full=False)
        complete = store.watermark("web")

        assert capped is None
        assert complete is not None

    def test_an_incremental_fetch_reads_from_the_watermark_minus_the_overlap(
        self, world: World
    ) -> None:
        """The next fetch asks for changes since the stored watermark minus two minutes."""
        world.web.open_issue()
        world.service.cycle(full=True)
        assert world.store is not None
        watermark = world.store.watermark("web")
        assert watermark is not None

        world.service.cycle(full=False)

        assert world.web.fetches[-1] == watermark - OVERLAP

    def test_writes_are_spaced_by_the_write_interval(self, tmp_path: Path) -> None:
        """Three writes on web make two pauses of write_interval, none before the first."""
        world = make_world(tmp_path, two_trackers(write_interval=1.5))
        for _ in range(3):
            world.web.open_issue()

        world.service.cycle(full=True)

        assert len(world.web.writes) == 3
        assert world.sleeps == [1.5, 1.5]

    def test_a_stop_during_the_pause_between_writes_starts_no_further_write(
        self, tmp_path: Path
    ) -> None:
        """SIGTERM while pacing: the pause ends early and the next write does not start."""
        world = make_world(tmp_path, two_trackers(write_interval=1.0))
        for _ in range(3):
            world.web.open_issue()
        stopped: list[bool] = []
        assert world.store is not None
        service = Service(
            world.config,
            {"web": world.web, "support": world.support},
            world.store,
            world.clock,
            lambda seconds: stopped.append(True),
            stop_requested=lambda: bool(stopped),
        )

        service.cycle(full=True)

        assert len(world.web.writes) == 1
        assert world.store.watermark("web") is None


class CountingStore(Store):
    """The real state file, counting how often a tracker's records are read."""

    reads = 0

    def records(
        self, tracker: str | None = None, keys: Collection[str] | None = None
    ) -> dict[RecordKey, IssueRecord]:
        """Count, then read."""
        CountingStore.reads += 1
        return super().records(tracker, keys)


class TestStateReads:
    def test_a_cycle_with_changes_reads_the_records_once(self, tmp_path: Path) -> None:
        """Planning, recording decisions and applying share one read of the tracker's records."""
        world = make_world(tmp_path, a_config(trackers=(a_github_tracker("web"),)))
        world.web.open_issue(labels=("escalation", "outage"))
        with CountingStore.open(tmp_path / "counted.db") as store:
            service = Service(
                world.config, {"web": world.web}, store, world.clock, world.sleeps.append
            )
            CountingStore.reads = 0

            service.cycle(full=True)

        assert CountingStore.reads == 1


class TestDryRun:
    def test_preview_writes_nothing_and_persists_nothing(self, world: World) -> None:
        """The plan is returned, but no tracker write, record, journal entry or cycle is made."""
        world.web.open_issue(labels=("escalation", "outage"))

        preview = world.service.preview()

        assert any(plan.actions for plan in preview.plans)
        assert preview.failed == ()
        assert world.writes() == 0
        assert world.store is not None
        assert world.store.records() == {}
        assert world.store.journal.entries() == ()
        assert world.store.last_cycles() == {}

    def test_the_printed_plan_names_tracker_issue_tier_action_and_rule(self, world: World) -> None:
        """Each changed issue is listed with its tier and every action with the rule behind it."""
        from syncd.entrypoints.commands.run import render_plans

        key = world.web.open_issue(labels=("escalation", "outage"))

        text = render_plans(world.service.preview().plans)

        assert f"web {key}: tier fire" in text
        assert "add label tier/fire" in text
        assert "tiers.rules[0]" in text
        assert "assign alice-gh (alice)" in text
