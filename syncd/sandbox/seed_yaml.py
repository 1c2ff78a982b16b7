"""A sandbox seed from YAML: a file, a text, or the built-in demo seed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from syncd.sandbox.seed import Seed, SeedError
from syncd.sandbox.seedfile import read_seed


def load_seed(path: Path) -> Seed:
    """Read and validate a seed YAML file; SeedError names the file and key path of a problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed: {exc.strerror}") from exc
    return parse_seed(text, str(path))


def parse_seed(text: str, source: str) -> Seed:
    """Parse seed YAML text; `source` names it in errors."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SeedError(f"{source}: not valid YAML: {exc}") from exc
    return read_seed(document, source)


def demo_seed() -> Seed:
    """The built-in seed behind `syncd sandbox` and `syncd demo` (syncd/data/demo-seed.yaml)."""
    text = resources.files("syncd").joinpath("data/demo-seed.yaml").read_text(encoding="utf-8")
    return parse_seed(text, "syncd/data/demo-seed.yaml")
