"""People's identities per tracker: one per kind, or a mapping for trackers that differ."""

from __future__ import annotations

from syncd.config.model import GitHubTracker, JiraTracker
from tests.config.sample import load_text, problems_of

TWO_JIRAS = """\
people:
  alice: {github: alice-gh, jira: {cloud: "5b10ac8d", dc: alice}}
  bob: {github: bobby, jira: bob}
rotation:
  timezone: America/Detroit
  start: 2026-11-02
  members: [alice, bob]
tiers:
  rules:
    - tier: fire
      assign: rotation
      when: {labels_any: [outage]}
trackers:
  - name: cloud
    kind: jira
    url: https://acme.atlassian.net
    email: ops@example.com
    token: ${JIRA_TOKEN}
    jql: project = SUP
    team: bob
  - name: dc
    kind: jira
    url: https://jira.example.internal
    token: ${JIRA_TOKEN}
    jql: project = OPS
    team: bob
"""


class TestPerTrackerIdentity:
    """`jira: {tracker: identity}` gives a person a different identity in each Jira tracker."""

    def test_each_jira_tracker_sees_its_own_identity(self) -> None:
        """A Cloud tracker gets the accountId, a Data Center tracker the username."""
        config = load_text(TWO_JIRAS)
        alice = config.people["alice"]
        cloud, dc = config.tracker("cloud"), config.tracker("dc")
        assert isinstance(cloud, JiraTracker) and isinstance(dc, JiraTracker)
        assert (alice.identity(cloud), alice.identity(dc)) == ("5b10ac8d", "alice")

    def test_a_plain_identity_serves_every_tracker_of_its_kind(self) -> None:
        """`jira: bob` is bob's identity in both Jira trackers."""
        config = load_text(TWO_JIRAS)
        bob = config.people["bob"]
        assert {bob.identity(t) for t in config.trackers} == {"bob"}

    def test_a_tracker_missing_from_the_mapping_is_reported(self) -> None:
        """A rotation member mapped for one Jira tracker only lacks an identity in the other."""
        text = TWO_JIRAS.replace('{cloud: "5b10ac8d", dc: alice}', '{cloud: "5b10ac8d"}')
        problems = problems_of(text)
        assert any(
            "people.alice" in p and "no 'jira' identity for tracker 'dc'" in p for p in problems
        )

    def test_an_unknown_tracker_name_is_reported_at_its_line(self) -> None:
        """Naming a tracker that does not exist (or is of the other kind) is a located problem."""
        text = TWO_JIRAS.replace("dc: alice}", "dc: alice, web: alice}")
        problems = problems_of(text)
        assert "syncd.yaml:2: people.alice.jira.web: no Jira tracker 'web'" in problems

    def test_a_github_identity_does_not_leak_into_jira(self) -> None:
        """The GitHub login is never used as a Jira identity."""
        config = load_text(TWO_JIRAS)
        web = GitHubTracker(name="web", repos=("a/b",), token=config.trackers[0].token)
        assert config.people["alice"].identity(web) == "alice-gh"
