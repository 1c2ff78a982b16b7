"""The admin API over HTTP, stacked faults, Jira comment paging and the generated seed."""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed import SEED_EPOCH, Seed, generated_seed
from syncd.sandbox.server import Sandbox

GITHUB_AUTH = {"Authorization": "token sandbox-github-token"}
CLOUD_AUTH = ("demo@example.com", "sandbox-jira-cloud-token")


def _admin(sandbox: Sandbox, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/_admin{path}", json=body, timeout=5)


def _label(sandbox: Sandbox, number: int, name: str) -> requests.Response:
    url = f"{sandbox.github_url}/repos/acme/web/issues/{number}/labels"
    return requests.post(url, json=[name], headers=GITHUB_AUTH, timeout=5)


class TestAdminClock:
    """POST /_admin/clock freezes and unfreezes the time writes are stamped with."""

    def test_a_frozen_clock_stamps_writes(self, sandbox: Sandbox) -> None:
        """A write after freezing at a time carries that time as updated_at."""
        answer = _admin(sandbox, "POST", "/clock", {"now": "2026-12-01T10:00:00+00:00"})

        _label(sandbox, 101, "tier/fire")

        assert answer.status_code == 200
        assert sandbox.snapshot().issue("acme/web#101").updated == "2026-12-01T10:00:00Z"

    def test_null_unfreezes_back_to_the_sandbox_clock(self, sandbox: Sandbox) -> None:
        """After {"now": null} writes use the clock again (the fixture's NOW)."""
        _admin(sandbox, "POST", "/clock", {"now": "2030-01-01T00:00:00+00:00"})

        _admin(sandbox, "POST", "/clock", {"now": None})
        _label(sandbox, 101, "tier/fire")

        assert sandbox.snapshot().issue("acme/web#101").updated == "2026-11-26T15:00:00Z"

    @pytest.mark.parametrize("now", ["tomorrow", "2026-12-01T10:00:00", 42])
    def test_a_bad_time_is_a_400_naming_the_problem(self, sandbox: Sandbox, now: object) -> None:
        """Not ISO 8601, no offset, or not a string: 400 with a message."""
        answer = _admin(sandbox, "POST", "/clock", {"now": now})

        assert answer.status_code == 400 and answer.json()["error"]


class TestAdminEdit:
    """POST /_admin/edit is a person editing an issue by hand."""

    def test_labels_and_assignees_change_on_github(self, sandbox: Sandbox) -> None:
        """Labels added and removed, assignees replaced, updated time bumped."""
        body = {
            "key": "acme/web#101",
            "add_labels": ["tier/queue"],
            "remove_labels": ["OUTAGE"],
            "assignees": ["bobby"],
        }

        answer = _admin(sandbox, "POST", "/edit", body)

        view = sandbox.snapshot().issue("acme/web#101")
        assert answer.status_code == 200
        assert (view.labels, view.assignees) == (("escalation", "tier/queue"), ("bobby",))
        assert view.updated == "2026-11-26T15:00:00Z"

    def test_a_jira_issue_is_edited_and_an_empty_list_unassigns(self, sandbox: Sandbox) -> None:
        """Jira keys work the same; [] clears the assignee."""
        _admin(sandbox, "POST", "/edit", {"key": "SUP-5", "add_labels": ["tier/fire"]})

        _admin(sandbox, "POST", "/edit", {"key": "SUP-5", "assignees": []})

        view = sandbox.snapshot().issue("SUP-5")
        assert "tier/fire" in view.labels and view.assignees == ()

    @pytest.mark.parametrize(
        ("body", "status"),
        [
            ({"key": "acme/web#9999"}, 404),
            ({"key": "NOPE-1"}, 404),
            ({"add_labels": ["x"]}, 400),
            ({"key": "SUP-1", "add_labels": "x"}, 400),
            ({"key": "SUP-1", "assignees": [1]}, 400),
        ],
    )
    def test_bad_edits_are_refused_with_a_message(
        self, sandbox: Sandbox, body: dict[str, object], status: int
    ) -> None:
        """Unknown issue: 404; missing key or wrong types: 400; never a traceback."""
        answer = _admin(sandbox, "POST", "/edit", body)

        assert answer.status_code == status and answer.json()["error"]

    def test_a_body_that_is_not_json_is_a_400(self, sandbox: Sandbox) -> None:
        """Garbage bytes get a 400, not a dropped connection."""
        answer = requests.post(f"{sandbox.url}/_admin/edit", data=b"{not json", timeout=5)

        assert answer.status_code == 400


class TestAdminState:
    """GET /_admin/state and /_admin/stats."""

    def test_state_lists_every_issue_of_every_tracker(self, sandbox: Sandbox) -> None:
        """Each tracker's issues appear once, with the seed's counts."""
        seed = sandbox.seed
        expected = {
            "github": sum(len(repo.issues) for repo in seed.github.repos),
            "jira-cloud": sum(len(p.issues) for p in seed.jira_cloud.projects),
            "jira-dc": sum(len(p.issues) for p in seed.jira_dc.projects),
        }

        issues = _admin(sandbox, "GET", "/state").json()["issues"]

        assert Counter(i["tracker"] for i in issues) == expected
        assert len({i["key"] for i in issues}) == len(issues)

    def test_state_shows_writes_made_through_the_apis(self, sandbox: Sandbox) -> None:
        """A label added over the GitHub API is in the state and counted in the stats."""
        _label(sandbox, 102, "tier/queue")

        state = _admin(sandbox, "GET", "/state").json()
        stats = _admin(sandbox, "GET", "/stats").json()

        issue = next(i for i in state["issues"] if i["key"] == "acme/web#102")
        assert "tier/queue" in issue["labels"]
        assert stats["writes"] == 1
        assert stats["requests"]["POST github.issue.labels.add"] == 1

    def test_an_unknown_admin_route_is_a_404(self, sandbox: Sandbox) -> None:
        """No route: 404 JSON."""
        assert _admin(sandbox, "GET", "/nothing").status_code == 404


class TestStackedFaults:
    """Several faults on one route apply in the order they were added, each for its count."""

    def test_faults_apply_in_order_then_service_resumes(self, sandbox: Sandbox) -> None:
        """502 twice, then 503 once, then 200."""
        sandbox.inject(Fault(FaultKind.STATUS, route="github.issue", status=502, count=2))
        sandbox.inject(Fault(FaultKind.STATUS, route="github.issue", status=503))
        url = f"{sandbox.github_url}/repos/acme/web/issues/101"

        statuses = [requests.get(url, headers=GITHUB_AUTH, timeout=5).status_code for _ in "1234"]

        assert statuses == [502, 502, 503, 200]
        assert sandbox.stats().faults == 3

    def test_a_fault_for_another_route_or_method_is_left_in_place(self, sandbox: Sandbox) -> None:
        """A POST-only fault ahead in the book does not swallow a GET; it waits for its POST."""
        sandbox.inject(Fault(FaultKind.STATUS, path=r"/labels$", method="POST", status=500))
        sandbox.inject(Fault(FaultKind.STATUS, route="github.issue.labels.list", status=504))
        url = f"{sandbox.github_url}/repos/acme/web/issues/101/labels"

        listed = requests.get(url, headers=GITHUB_AUTH, timeout=5).status_code
        added = _label(sandbox, 101, "x").status_code

        assert (listed, added, _label(sandbox, 101, "y").status_code) == (504, 500, 200)

    def test_faults_stack_over_the_admin_api_and_clear_together(self, sandbox: Sandbox) -> None:
        """Two POSTed faults both count; DELETE removes what is left of both."""
        for status in (500, 502):
            fault = {"kind": "status", "route": "jira.cloud.myself", "status": status, "count": 3}
            _admin(sandbox, "POST", "/faults", fault)
        url = f"{sandbox.jira_cloud_url}/rest/api/2/myself"
        first = requests.get(url, auth=CLOUD_AUTH, timeout=5).status_code

        _admin(sandbox, "DELETE", "/faults")

        assert (first, requests.get(url, auth=CLOUD_AUTH, timeout=5).status_code) == (500, 200)

    @pytest.mark.parametrize(
        "fault",
        [
            {"kind": "status", "status": 200},
            {"kind": "status", "status": 500, "count": 0},
            {"kind": "latency", "path": "("},
            {"kind": "drop", "colour": "red"},
            {"kind": "status", "status": "500"},
        ],
    )
    def test_a_bad_fault_is_a_400(self, sandbox: Sandbox, fault: dict[str, object]) -> None:
        """Status out of range, count 0, bad regex, unknown field, wrong type: 400."""
        answer = _admin(sandbox, "POST", "/faults", fault)

        assert answer.status_code == 400 and answer.json()["error"]


class TestJiraCommentPaging:
    """GET /issue/{key}/comment pages with startAt and maxResults like real Jira."""

    def test_a_page_holds_max_results_from_start_at(self, sandbox: Sandbox) -> None:
        """Five comments read two at a time from the third."""
        url = f"{sandbox.jira_cloud_url}/rest/api/2/issue/SUP-2/comment"
        for n in range(5):
            requests.post(url, json={"body": f"note {n}"}, auth=CLOUD_AUTH, timeout=5)

        page = requests.get(
            url, params={"startAt": 2, "maxResults": 2}, auth=CLOUD_AUTH, timeout=5
        ).json()

        assert [c["body"] for c in page["comments"]] == ["note 2", "note 3"]
        assert (page["startAt"], page["maxResults"], page["total"]) == (2, 2, 5)

    def test_max_results_is_capped_and_a_bad_start_is_a_400(self, sandbox: Sandbox) -> None:
        """maxResults above the cap is lowered; a non-number startAt is Jira's 400."""
        url = f"{sandbox.jira_cloud_url}/rest/api/2/issue/SUP-2/comment"

        capped = requests.get(url, params={"maxResults": 5000}, auth=CLOUD_AUTH, timeout=5)
        bad = requests.get(url, params={"startAt": "x"}, auth=CLOUD_AUTH, timeout=5)

        assert capped.json()["maxResults"] == 100
        assert bad.status_code == 400 and bad.json()["errorMessages"]


@pytest.fixture(scope="module")
def seed() -> Seed:
    """Four repos of 1,500 issues and 4,000 Jira issues."""
    return generated_seed(github_repos=4, issues_per_repo=1500, jira_issues=4000)


class TestGeneratedSeed:
    """generated_seed builds 10,000 well-formed, reproducible issues."""

    def test_counts_add_up_to_ten_thousand(self, seed: Seed) -> None:
        """Four times 1,500 GitHub issues and 4,000 Jira issues."""
        github = sum(len(repo.issues) for repo in seed.github.repos)
        jira = sum(len(p.issues) for p in seed.jira_cloud.projects)

        assert (github, jira) == (6000, 4000)

    def test_numbers_and_keys_are_unique(self, seed: Seed) -> None:
        """No repository repeats a number; no Jira key repeats."""
        repos = seed.github.repos
        keys = [i.key for p in seed.jira_cloud.projects for i in p.issues]

        assert all(len({i.number for i in r.issues}) == len(r.issues) for r in repos)
        assert len(set(keys)) == len(keys) == 4000

    def test_dates_are_aware_and_updated_never_precedes_created(self, seed: Seed) -> None:
        """Every issue has UTC-aware times, created before the seed epoch, updated after."""
        github = [i for r in seed.github.repos for i in r.issues]
        jira = [i for p in seed.jira_cloud.projects for i in p.issues]

        bad = [
            issue
            for issue in [*github, *jira]
            if issue.created.tzinfo is None
            or issue.created > SEED_EPOCH
            or issue.updated < issue.created
        ]

        assert bad == []

    def test_the_same_number_gives_the_same_seed(self) -> None:
        """Reproducible for benchmarks; another number gives other issues."""
        one = generated_seed(1, 200, 200, seed=7)

        assert one == generated_seed(1, 200, 200, seed=7)
        assert one != generated_seed(1, 200, 200, seed=8)

    def test_the_sandbox_serves_a_generated_seed(self) -> None:
        """A sandbox over the seed answers the bench token with the issues."""
        with Sandbox(generated_seed(1, 150, 0)) as sandbox:
            response = requests.get(
                f"{sandbox.github_url}/repos/bench/repo0/issues",
                params={"state": "all", "per_page": 100},
                headers={"Authorization": "token bench-github-token"},
                timeout=5,
            )

        assert len(response.json()) == 100 and 'rel="next"' in response.headers["Link"]
