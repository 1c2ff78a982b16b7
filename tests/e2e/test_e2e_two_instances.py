"""Two syncd instances with their own state files over the same trackers: one comment each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.state import Store
from syncd.config.model import GitHubTracker
from syncd.domain.flagging import COMMENT_MARKER
from syncd.errors import TrackerUnavailable
from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import World, marked_comments

pytestmark = pytest.mark.e2e

FLAGGED = "acme/web#104"  # over the estimate limit in the demo seed
BODY = "Estimated at 3d, above the limit of 2d."


@pytest.fixture
def instances(world: World, tmp_path: Path) -> Iterator[tuple[GitHubAdapter, GitHubAdapter]]:
    """Two GitHub adapters over the sandbox, each with its own state file (its own ETags)."""
    settings = world.config.tracker("web")
    assert isinstance(settings, GitHubTracker)
    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        yield (
            GitHubAdapter(settings, world.config.estimates, a.etags("web"), timeout=5),
            GitHubAdapter(settings, world.config.estimates, b.etags("web"), timeout=5),
        )


class TestTwoAdaptersListingBeforeEitherComments:
    """Both instances list `comments: 0` for the issue; the first then comments."""

    def test_the_second_finds_the_first_comment_and_posts_nothing(
        self, instances: tuple[GitHubAdapter, GitHubAdapter], sandbox: Sandbox
    ) -> None:
        """The listing's count is stale by then: the second reads the comments before posting."""
        first, second = instances
        first.fetch(None)
        second.fetch(None)

        posted = (
            first.comment(FLAGGED, BODY, COMMENT_MARKER),
            second.comment(FLAGGED, BODY, COMMENT_MARKER),
        )

        assert posted == (True, False)
        assert marked_comments(sandbox.snapshot().issue(FLAGGED)) == 1

    def test_a_comment_whose_answer_was_lost_is_not_posted_again(
        self, instances: tuple[GitHubAdapter, GitHubAdapter], sandbox: Sandbox
    ) -> None:
        """The first instance's POST lands but its answer is lost; the second posts nothing."""
        first, second = instances
        first.fetch(None)
        second.fetch(None)
        sandbox.inject(
            Fault(FaultKind.DROP_AFTER, route="github.issue.comments.create", path=r"/104/")
        )

        with pytest.raises(TrackerUnavailable):
            first.comment(FLAGGED, BODY, COMMENT_MARKER)
        again = second.comment(FLAGGED, BODY, COMMENT_MARKER)

        assert again is False
        assert marked_comments(sandbox.snapshot().issue(FLAGGED)) == 1
