"""docs/github-app.md: its configuration examples load, and together use every `app` key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.app_keys import private_pem
from tests.config.sample import VALID, load_text
from tests.docs.test_docs_configuration import ALTERNATIVES, key_paths

DOC = Path(__file__).resolve().parents[2] / "docs" / "github-app.md"
MARKER = "<!-- app example: tests/docs loads this block -->"


def examples() -> list[str]:
    """The YAML blocks right after each marker."""
    blocks = DOC.read_text().split(MARKER)[1:]
    found = [re.search(r"```yaml\n(.*?)```", block, re.DOTALL) for block in blocks]
    return [match.group(1) for match in found if match is not None]


class TestGitHubAppDocument:
    """The examples against the loader."""

    @pytest.mark.parametrize("index", [0, 1])
    def test_each_example_loads_as_an_app(self, index: int, tmp_path: Path) -> None:
        """With the key in the environment or in `github-app.md`'s relative file."""
        key = private_pem().strip()
        (tmp_path / "github-app.pem").write_text(key)
        example = examples()[index].replace("github-app.pem", str(tmp_path / "github-app.pem"))
        text = VALID.split("trackers:\n")[0] + example

        tracker = load_text(text, {"GITHUB_APP_KEY": key}).trackers[0]

        assert tracker.token is None and tracker.app is not None
        assert (tracker.app.id, tracker.app.private_key.reveal()) == (123456, key)

    def test_the_examples_use_every_app_key(self) -> None:
        """Every `trackers[].app...` path the complete example leaves out appears here."""
        paths: set[str] = set()
        for example in examples():
            paths |= key_paths(yaml.safe_load(example))

        assert ALTERNATIVES - paths == set()
