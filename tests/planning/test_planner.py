"""The planner: tier labels, pinning, routing, assignment and the over-estimate flag per issue."""

from __future__ import annotations

from datetime import timedelta

from syncd.config.model import Handoff, Person
from syncd.domain.actions import (
    Action,
    AddLabel,
    Assign,
    Comment,
    IssuePlan,
    RemoveLabel,
    Unassign,
    Why,
)
from syncd.domain.durations import DEFAULT_EFFORT
from syncd.domain.estimates import from_points
from syncd.domain.flagging import COMMENT_MARKER
from syncd.domain.issue import Refusal
from syncd.domain.ledger import IssueRecord
from syncd.domain.planner import plan, plan_issue
from tests.builders import (
    NOW,
    WORK_DAY,
    a_config,
    a_github_tracker,
    a_jira_issue,
    a_jira_tracker,
    a_rule,
    an_issue,
    labels_any,
    spec_people,
)

EARLIER = NOW - timedelta(days=3)
FIRE = ("escalation", "outage")  # labels that make the SPEC rules choose fire (assign: rotation)


def ops(result: IssuePlan) -> list[tuple[object, ...]]:
    """The plan's writes in a compact form that tests compare against."""
    return [_op(action) for action in result.actions]


def label_ops(result: IssuePlan) -> list[tuple[object, ...]]:
    """Only the plan's label writes, in compact form."""
    return [op for op in ops(result) if op[0] in {"add", "remove"}]


def _op(action: Action) -> tuple[object, ...]:
    match action:
        case AddLabel(label=label):
            return ("add", label)
        case RemoveLabel(label=label):
            return ("remove", label)
        case Assign(candidates=candidates, replacing=replacing):
            return ("assign", tuple(c.identity for c in candidates), replacing)
        case Unassign(identity=identity):
            return ("unassign", identity)
        case Comment():
            return ("comment",)
    raise AssertionError(action)


def placed(tier: str, **fields: object) -> IssueRecord:
    """A record of an issue syncd placed in `tier` earlier and labelled `tier/<tier>`."""
    defaults: dict[str, object] = {
        "tier": tier,
        "placed_at": EARLIER,
        "member": None,
        "tier_label": f"tier/{tier}",
    }
    defaults.update(fields)
    return IssueRecord(**defaults)  # type: ignore[arg-type]


class TestIgnoredIssues:
    """Issues syncd leaves alone entirely."""

    def test_ignore_label_leaves_the_issue_alone(self) -> None:
        """An issue labelled syncd/ignore (any case) gets no decision and no writes."""
        issue = an_issue(labels=("escalation", "outage", "Syncd/Ignore"))

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is None
        assert result.actions == ()

    def test_pull_request_is_left_alone(self) -> None:
        """A pull request carrying the escalation labels is not planned."""
        issue = an_issue(labels=FIRE, is_pull_request=True)

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is None
        assert result.actions == ()

    def test_issue_from_an_unknown_tracker_is_skipped_with_a_note(self) -> None:
        """An issue from a tracker not in the config gets a note, not a traceback."""
        issue = an_issue(tracker="gone")

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is None
        assert result.actions == ()
        assert "gone" in result.notes[0]


class TestTierLabels:
    """Exactly one tier label: add the computed one and remove the others syncd wrote."""

    def test_new_issue_gets_the_computed_label(self) -> None:
        """An issue with no tier label gets the label of the first matching rule."""
        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), a_config(), NOW, None)

        assert label_ops(result) == [("add", "tier/fire")]
        assert result.actions[0].why == Why(
            "tiers.rules[0]", "labels_any [data-loss, outage] matched: tier fire"
        )

    def test_default_tier_label_when_no_rule_matches(self) -> None:
        """An issue matching no rule gets the default tier's label, caused by tiers.default."""
        result = plan_issue(an_issue(), IssueRecord(), a_config(), NOW, None)

        assert ops(result) == [("add", "tier/triage")]
        assert result.actions[0].why == Why("tiers.default", "no rule matched: default tier triage")

    def test_changed_tier_replaces_the_label_syncd_wrote(self) -> None:
        """When the rules now say fire, syncd's tier/triage goes and tier/fire comes."""
        issue = an_issue(labels=(*FIRE, "tier/triage"))

        result = plan_issue(issue, placed("triage"), a_config(), NOW, None)

        assert label_ops(result) == [("add", "tier/fire"), ("remove", "tier/triage")]

    def test_other_labels_and_flag_label_are_untouched(self) -> None:
        """Labels outside the prefix, and a flag label inside it, are never tier labels."""
        config = a_config(flag_label="tier/needs-team")
        issue = an_issue(labels=(*FIRE, "customer/acme", "tier/needs-team"))

        result = plan_issue(issue, IssueRecord(), config, NOW, None)

        assert label_ops(result) == [("add", "tier/fire")]

    def test_issue_already_right_needs_no_writes(self) -> None:
        """An issue carrying the label syncd wrote for its unchanged tier yields no actions."""
        issue = an_issue(labels=(*FIRE, "tier/fire"), assignees=("alice-gh",))
        record = placed("fire", member="alice", assignee="alice-gh", assign_settled=True)

        result = plan_issue(issue, record, a_config(), NOW, "bob")

        assert result.actions == ()
        assert result.notes == ()

    def test_prefix_compares_without_case(self) -> None:
        """A label `Tier/Triage` syncd wrote counts as a tier label and is replaced."""
        issue = an_issue(labels=(*FIRE, "Tier/Triage"))

        result = plan_issue(issue, placed("triage"), a_config(), NOW, None)

        assert label_ops(result) == [("add", "tier/fire"), ("remove", "Tier/Triage")]

    def test_tier_label_syncd_wrote_comes_back_when_removed(self) -> None:
        """A person removing syncd's own label does not pin anything: syncd adds it again."""
        issue = an_issue(labels=("escalation",))

        result = plan_issue(issue, placed("triage"), a_config(), NOW, None)

        assert ops(result) == [("add", "tier/triage")]

    def test_lost_state_adopts_an_existing_correct_label(self) -> None:
        """With no record, the one tier label equal to the computed one is adopted, unpinned."""
        issue = an_issue(labels=(*FIRE, "tier/fire"))

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, None)

        assert result.decision is not None
        assert result.decision.pinned is False
        assert result.decision.adopted_label == "tier/fire"
        assert [a for a in result.actions if isinstance(a, AddLabel | RemoveLabel)] == []
        assert result.notes == ()


class TestPinnedTiers:
    """A tier label a person set pins the tier until they remove it."""

    def test_hand_set_label_pins_the_tier_with_a_note(self) -> None:
        """A person's tier/queue on a fire issue stays; the tier is queue and a note says why."""
        issue = an_issue(labels=(*FIRE, "tier/queue"))

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is not None
        assert (result.decision.tier, result.decision.pinned) == ("queue", True)
        assert not any(isinstance(a, AddLabel | RemoveLabel) for a in result.actions)
        assert any("tier pinned by hand" in note for note in result.notes)

    def test_pin_removes_the_label_syncd_wrote(self) -> None:
        """When a person adds tier/queue next to syncd's tier/fire, syncd removes tier/fire."""
        issue = an_issue(labels=(*FIRE, "tier/fire", "tier/queue"))

        result = plan_issue(issue, placed("fire"), a_config(), NOW, None)

        assert label_ops(result) == [("remove", "tier/fire")]
        assert result.decision is not None
        assert result.decision.tier == "queue"

    def test_pinned_tier_keeps_its_assign_mode(self) -> None:
        """A pinned fire tier on an unassigned issue still assigns the rotation."""
        issue = an_issue(labels=("escalation", "tier/fire"))

        record = placed("fire", member="alice", tier_label=None)

        result = plan_issue(issue, record, a_config(), NOW, "bob")

        assert ops(result) == [("assign", ("alice-gh", "acme-lead"), None)]
        assert result.actions[0].why.rule == "tiers.rules[0]"

    def test_unknown_pinned_tier_assigns_nobody(self) -> None:
        """A hand-set tier no rule names is kept, with assign none."""
        issue = an_issue(labels=(*FIRE, "tier/someday"))

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is not None
        assert result.decision.tier == "someday"
        assert result.actions == ()

    def test_removing_the_hand_label_unpins(self) -> None:
        """Once the person's label is gone the rules decide again and syncd adds its label."""
        issue = an_issue(labels=FIRE)
        record = placed("queue", tier_label=None)

        result = plan_issue(issue, record, a_config(), NOW, None)

        assert result.decision is not None
        assert (result.decision.tier, result.decision.pinned) == ("fire", False)
        assert ("add", "tier/fire") in ops(result)

    def test_several_hand_labels_pin_the_earliest_tier_in_rule_order(self) -> None:
        """Of tier/zzz, tier/triage and tier/queue, queue (a rule) wins and the rest stay."""
        issue = an_issue(labels=("escalation", "tier/zzz", "tier/triage", "tier/queue"))

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, None)

        assert result.decision is not None
        assert result.decision.tier == "queue"
        assert label_ops(result) == []
        assert any("tier/triage" in n and "tier/zzz" in n for n in result.notes)

    def test_default_beats_unknown_tiers_and_unknown_ones_sort_alphabetically(self) -> None:
        """Between two unknown tiers the alphabetically first wins; the default beats both."""
        two_unknown = an_issue(labels=("escalation", "tier/b", "tier/a"))
        with_default = an_issue(labels=("escalation", "tier/a", "tier/Triage"))

        first = plan_issue(two_unknown, IssueRecord(), a_config(), NOW, None)
        second = plan_issue(with_default, IssueRecord(), a_config(), NOW, None)

        assert first.decision is not None
        assert second.decision is not None
        assert (first.decision.tier, second.decision.tier) == ("a", "triage")


class TestDecision:
    """The decision records the tier, placement time and the member routed at placement."""

    def test_new_placement_routes_the_person_on_call(self) -> None:
        """A newly placed rotation tier records `now` and the person on call."""
        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is not None
        assert (result.decision.placed_at, result.decision.member) == (NOW, "alice")
        assert result.decision.rule == "tiers.rules[0]"

    def test_routed_member_is_kept_when_the_rotation_changes(self) -> None:
        """A later plan with bob on call keeps alice, routed when the issue was placed."""
        issue = an_issue(labels=(*FIRE, "tier/fire"))
        record = placed("fire", member="alice")

        result = plan_issue(issue, record, a_config(), NOW, "bob")

        assert result.decision is not None
        assert (result.decision.placed_at, result.decision.member) == (EARLIER, "alice")
        assert ops(result) == [("assign", ("alice-gh", "acme-lead"), None)]

    def test_tier_without_rotation_routes_nobody(self) -> None:
        """A tier with assign none records no member even when someone is on call."""
        result = plan_issue(an_issue(), IssueRecord(), a_config(), NOW, "alice")

        assert result.decision is not None
        assert result.decision.member is None


class TestRotationAssignment:
    """`assign: rotation` assigns unassigned issues once per placement, never over a person."""

    def test_unassigned_issue_goes_to_the_member_then_fallback(self) -> None:
        """Candidates are the routed member's login, then the fallback's."""
        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), a_config(), NOW, "carol")

        assert ops(result) == [("add", "tier/fire"), ("assign", ("carol-c", "acme-lead"), None)]

    def test_jira_issue_uses_jira_identities(self) -> None:
        """On a Jira tracker the candidates are Jira account ids."""
        issue = a_jira_issue(labels=("escalation",), priority="Blocker")

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert ("assign", ("5b10ac8d82e05b22cc7d4ef5", "lead-account-id"), None) in ops(result)

    def test_person_set_assignee_is_never_replaced(self) -> None:
        """An issue someone assigned keeps its assignee and gets no Assign."""
        issue = an_issue(labels=FIRE, assignees=("bobby",))

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert ops(result) == [("add", "tier/fire")]

    def test_settled_assignment_is_not_redone(self) -> None:
        """After the assignment for this placement settled, an unassigned issue stays so."""
        issue = an_issue(labels=(*FIRE, "tier/fire"))
        record = placed("fire", member="alice", assign_settled=True)

        result = plan_issue(issue, record, a_config(), NOW, "alice")

        assert result.actions == ()

    def test_new_placement_assigns_again(self) -> None:
        """A settled assignment for an earlier tier does not stop the new tier's assignment."""
        issue = an_issue(labels=(*FIRE, "tier/triage"))
        record = placed("triage", assign_settled=True)

        result = plan_issue(issue, record, a_config(), NOW, "alice")

        assert ("assign", ("alice-gh", "acme-lead"), None) in ops(result)

    def test_fallback_when_member_has_no_identity(self) -> None:
        """A member without a GitHub login is skipped with a note naming them and the tracker."""
        people = {**spec_people(), "alice": Person("alice", {"jira": "a"})}
        config = a_config(people=people)

        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice")

        assert ("assign", ("acme-lead",), None) in ops(result)
        assert any("alice" in n and "web" in n for n in result.notes)

    def test_fallback_when_member_is_unassignable(self) -> None:
        """A member the tracker refused before is skipped for the fallback."""
        refused = frozenset({Refusal("web", "acme/web", "alice-gh")})

        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), a_config(), NOW, "alice", refused)

        assert ("assign", ("acme-lead",), None) in ops(result)
        assert any("alice" in n and "web" in n for n in result.notes)

    def test_no_candidates_leaves_a_note_and_no_assign(self) -> None:
        """With the member refused and no fallback, nothing is assigned and a note says so."""
        config = a_config(fallback=None)
        refused = frozenset({Refusal("web", "acme/web", "alice-gh")})

        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice", refused)

        assert not any(isinstance(a, Assign) for a in result.actions)
        assert any("left unassigned" in n and "alice" in n for n in result.notes)

    def test_nobody_on_call_uses_the_fallback(self) -> None:
        """With nobody on the rotation, the fallback is the only candidate."""
        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), a_config(), NOW, None)

        assert ("assign", ("acme-lead",), None) in ops(result)


class TestOverEstimate:
    """Items above the limit get the flag, one comment and the handoff."""

    def test_flag_comment_and_team_handoff(self) -> None:
        """A 3d item assigned by syncd is flagged, explained once and handed to the lead."""
        issue = an_issue(
            labels=(*FIRE, "tier/fire"), assignees=("alice-gh",), estimate=3 * WORK_DAY
        )
        record = placed("fire", member="alice", assignee="alice-gh", assign_settled=True)

        result = plan_issue(issue, record, a_config(), NOW, "alice")

        assert ops(result) == [
            ("add", "needs-team"),
            ("comment",),
            ("assign", ("acme-lead",), "alice-gh"),
        ]
        comment = next(a for a in result.actions if isinstance(a, Comment))
        assert comment.marker == COMMENT_MARKER
        assert comment.body == (
            "This escalation is estimated at 3d, above the support-rotation limit of 2d, "
            "so it is handed to the regular team (lead)."
        )

    def test_comment_shows_the_estimate_as_the_tracker_wrote_it(self) -> None:
        """The estimate text from the tracker (`5 points`) is quoted as is."""
        issue = an_issue(estimate=5 * WORK_DAY, estimate_text="5 points")

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, None)

        comment = next(a for a in result.actions if isinstance(a, Comment))
        assert "estimated at 5 points, above the support-rotation limit of 2d" in comment.body

    def test_over_limit_item_is_not_assigned_to_the_rotation(self) -> None:
        """An unassigned fire item above the limit goes to the team, not the person on call."""
        issue = an_issue(labels=FIRE, estimate=3 * WORK_DAY)

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice")

        assert [op for op in ops(result) if op[0] == "assign"] == [("assign", ("acme-lead",), None)]

    def test_person_set_assignee_stays_on_a_flagged_item(self) -> None:
        """An assignee a person set is neither replaced nor removed."""
        issue = an_issue(assignees=("bobby",), estimate=3 * WORK_DAY)

        for handoff in (Handoff.TEAM, Handoff.UNASSIGN):
            result = plan_issue(issue, IssueRecord(), a_config(handoff=handoff), NOW, None)

            assert not any(isinstance(a, Assign | Unassign) for a in result.actions)

    def test_syncd_assignee_beside_a_person_set_one_is_not_handed_off(self) -> None:
        """With a person's assignee next to syncd's, the team handoff leaves both."""
        issue = an_issue(assignees=("alice-gh", "bobby"), estimate=3 * WORK_DAY)
        record = placed("triage", assignee="alice-gh", assign_settled=True)

        result = plan_issue(issue, record, a_config(), NOW, None)

        assert not any(isinstance(a, Assign) for a in result.actions)

    def test_team_already_assigned_needs_no_handoff(self) -> None:
        """An item the lead already holds gets no Assign."""
        issue = an_issue(assignees=("acme-lead",), estimate=3 * WORK_DAY)

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, None)

        assert not any(isinstance(a, Assign) for a in result.actions)

    def test_unassignable_team_person_gives_a_note(self) -> None:
        """A team person the tracker refused is not tried again; a note names them."""
        issue = an_issue(estimate=3 * WORK_DAY)
        refused = frozenset({Refusal("web", "acme/web", "acme-lead")})

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, None, refused)

        assert not any(isinstance(a, Assign) for a in result.actions)
        assert any("lead" in n and "web" in n for n in result.notes)

    def test_tracker_without_team_gives_a_note(self) -> None:
        """With no team person for the tracker there is no handoff, only a note."""
        config = a_config(trackers=(a_github_tracker(team=None), a_jira_tracker()))
        issue = an_issue(estimate=3 * WORK_DAY)

        result = plan_issue(issue, IssueRecord(), config, NOW, None)

        assert not any(isinstance(a, Assign) for a in result.actions)
        assert any("no team" in n for n in result.notes)

    def test_handoff_unassign_removes_the_assignee_syncd_set(self) -> None:
        """With handoff unassign, syncd's own assignee is removed."""
        issue = an_issue(assignees=("alice-gh",), estimate=3 * WORK_DAY)
        record = placed("triage", assignee="alice-gh", assign_settled=True)

        result = plan_issue(issue, record, a_config(handoff=Handoff.UNASSIGN), NOW, None)

        assert ("unassign", "alice-gh") in ops(result)

    def test_handoff_keep_leaves_the_assignee(self) -> None:
        """With handoff keep, syncd's own assignee stays."""
        issue = an_issue(assignees=("alice-gh",), estimate=3 * WORK_DAY)
        record = placed("triage", assignee="alice-gh", assign_settled=True)

        result = plan_issue(issue, record, a_config(handoff=Handoff.KEEP), NOW, None)

        assert ops(result) == [("add", "tier/triage"), ("add", "needs-team"), ("comment",)]

    def test_no_second_comment(self) -> None:
        """An item whose comment is recorded gets no other."""
        issue = an_issue(labels=("escalation", "needs-team"), estimate=3 * WORK_DAY)
        record = placed("triage", commented=True, flagged=True)

        result = plan_issue(issue, record, a_config(comment=True), NOW, None)

        assert not any(isinstance(a, Comment) for a in result.actions)

    def test_comment_can_be_switched_off(self) -> None:
        """With `comment: false` the flag comes without a comment."""
        issue = an_issue(estimate=3 * WORK_DAY)

        result = plan_issue(issue, IssueRecord(), a_config(comment=False), NOW, None)

        assert not any(isinstance(a, Comment) for a in result.actions)

    def test_estimate_at_the_limit_is_not_over(self) -> None:
        """Exactly 2d is at the limit: no flag, no comment."""
        issue = an_issue(estimate=2 * WORK_DAY)

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, None)

        assert ops(result) == [("add", "tier/triage")]

    def test_story_points_exactly_at_the_limit_are_not_over(self) -> None:
        """12 points of 0.1 days is 1.2d, at a 1.2d limit, despite floating-point rounding."""
        issue = a_jira_issue(estimate=from_points(12, 0.1, DEFAULT_EFFORT).seconds)

        result = plan_issue(issue, IssueRecord(), a_config(limit="1.2d"), NOW, None)

        assert ops(result) == [("add", "tier/triage")]

    def test_back_under_the_limit_removes_the_flag_syncd_added(self) -> None:
        """When the estimate drops, the flag syncd added goes."""
        issue = an_issue(labels=("escalation", "tier/triage", "Needs-Team"), estimate=WORK_DAY)

        result = plan_issue(issue, placed("triage", flagged=True), a_config(), NOW, None)

        assert ops(result) == [("remove", "Needs-Team")]

    def test_flag_label_syncd_did_not_add_stays(self) -> None:
        """A flag label on an item under the limit with no record of syncd adding it stays."""
        issue = an_issue(labels=("escalation", "tier/triage", "needs-team"), estimate=WORK_DAY)

        result = plan_issue(issue, placed("triage", flagged=False), a_config(), NOW, None)

        assert result.actions == ()

    def test_rules_see_the_flag_label_this_plan_adds(self) -> None:
        """A rule on the flag label already matches in the plan that adds the label."""
        config = a_config(rules=(a_rule("big", labels_any("needs-team")),))
        issue = an_issue(estimate=3 * WORK_DAY)

        result = plan_issue(issue, IssueRecord(), config, NOW, None)

        assert result.decision is not None
        assert result.decision.tier == "big"


class TestPlan:
    """plan() plans every issue with its own record."""

    def test_each_issue_is_planned_with_its_record(self) -> None:
        """A known issue uses its record; an unknown one is planned as new."""
        known = an_issue(key="acme/web#1", labels=(*FIRE, "tier/fire"), assignees=("alice-gh",))
        new = an_issue(key="acme/web#2", labels=FIRE)
        records = {("web", "acme/web#1"): placed("fire", member="alice", assign_settled=True)}

        results = plan([known, new], records, a_config(), NOW, "bob")

        assert [r.key for r in results] == ["acme/web#1", "acme/web#2"]
        assert results[0].actions == ()
        assert ops(results[1]) == [("add", "tier/fire"), ("assign", ("bobby", "acme-lead"), None)]
