"""The in-repo copy of the API reference (tests/reference) is complete, unaltered and credited."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.sandbox import contract

COPY = Path(__file__).resolve().parents[1] / "reference"
# Not payloads: the notes about the copy itself.
ABOUT_THE_COPY = {"README.md", "SHA256SUMS"}


def _checksums() -> dict[str, str]:
    lines = (COPY / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}


def _files() -> set[str]:
    return {
        path.relative_to(COPY).as_posix()
        for path in COPY.rglob("*")
        if path.is_file() and path.name not in ABOUT_THE_COPY
    }


def _payloads() -> set[str]:
    return {name for name in _files() if name.endswith(".json")}


def test_the_contract_reads_the_copy_inside_the_repository() -> None:
    """The OpenAPI documents and recordings come from tests/reference, not from beside the repo."""
    assert contract.REFERENCE == COPY
    assert (COPY / contract.GITHUB_DOCUMENT).is_file()
    assert (COPY / contract.JIRA_DOCUMENT).is_file()


def test_every_file_of_the_copy_has_its_recorded_checksum() -> None:
    """SHA256SUMS lists exactly the files present, each byte-identical to when it was copied."""
    checksums = _checksums()

    found = {name: hashlib.sha256((COPY / name).read_bytes()).hexdigest() for name in _files()}

    assert found == checksums


def test_every_payload_sits_under_a_licence_text() -> None:
    """Each JSON file has a LICENSE file in its folder or in a folder above it inside the copy."""
    unlicensed = {
        name
        for name in _payloads()
        if not any(
            licence.name.startswith("LICENSE")
            for folder in (COPY / name).parents
            if folder.is_relative_to(COPY)
            for licence in folder.iterdir()
        )
    }

    assert unlicensed == set()


def test_the_readme_credits_every_payload() -> None:
    """README.md names every JSON file, so each one has its source and licence written down."""
    readme = (COPY / "README.md").read_text(encoding="utf-8")

    assert {name for name in _payloads() if name not in readme} == set()
