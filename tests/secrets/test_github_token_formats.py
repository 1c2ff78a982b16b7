"""GitHub's token formats are masked wherever they stand, known to syncd or not (an app's
installation tokens are minted at run time and never listed among the configured secrets)."""

from __future__ import annotations

import pytest

from syncd.redaction import MASK, Redactor

INSTALLATION = "ghs_" + "a1B2" * 9  # 36 characters after the prefix, as GitHub mints them


class TestGitHubTokenFormats:
    """Redactor.scrub without the token among its secrets."""

    @pytest.mark.parametrize(
        "token",
        [INSTALLATION, "ghp_" + "Z9" * 18, "github_pat_11ABCDEFG0" + "x" * 40],
    )
    def test_a_token_in_free_text_is_masked(self, token: str) -> None:
        """An installation, classic or fine-grained token in a message becomes the mask."""
        text = f"GitHub said: token {token} expired"

        assert Redactor().scrub(text) == f"GitHub said: token {MASK} expired"

    def test_words_that_merely_start_alike_stay(self) -> None:
        """`ghs_` followed by a short word is no token."""
        assert Redactor().scrub("see ghs_notes") == "see ghs_notes"
