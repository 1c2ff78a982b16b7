"""`pip install .` gives a working `syncd`: the wheel holds every module, the data files and the
console script, and the installed copy runs on its own (no network: no build isolation)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two pip runs: about 5 s

ROOT = Path(__file__).resolve().parents[2]
# What the Dockerfile's build stage copies: the wheel is built from exactly these.
SOURCES = ("setup.py", "setup.cfg", "README.md", "syncd")


def copy_sources(target: Path) -> Path:
    """The package sources in a scratch directory, so the build leaves the checkout alone."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            subprocess.run(["cp", "-r", str(source), str(target / name)], check=True)
        else:
            (target / name).write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built offline from a copy of the sources."""
    work = copy_sources(tmp_path_factory.mktemp("src"))
    out = work / "dist"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*command, "-q", "-w", str(out), str(work)], check=True, timeout=120)
    (built,) = out.glob("syncd-*.whl")
    return built


def names_in(wheel: Path) -> set[str]:
    """Every file name inside the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


class TestWheel:
    """The built wheel's contents."""

    def test_every_data_file_and_the_type_marker_are_packaged(self, wheel: Path) -> None:
        """syncd/data/*.yaml and py.typed, as package_data in setup.cfg promises."""
        data = {f"syncd/data/{p.name}" for p in (ROOT / "syncd" / "data").glob("*.yaml")}

        assert data
        assert {*data, "syncd/py.typed"} <= names_in(wheel)

    def test_every_module_of_the_source_tree_is_packaged(self, wheel: Path) -> None:
        """No subpackage is left out (each needs an __init__.py for find_packages)."""
        modules = {
            path.relative_to(ROOT).as_posix()
            for path in (ROOT / "syncd").rglob("*.py")
            if "__pycache__" not in path.parts
        }

        assert modules - names_in(wheel) == set()

    def test_the_console_script_is_syncd_cli_main(self, wheel: Path) -> None:
        """`syncd` on PATH runs syncd.entrypoints.cli:main."""
        with zipfile.ZipFile(wheel) as archive:
            (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
            text = archive.read(entry_points).decode()

        assert "[console_scripts]\nsyncd = syncd.entrypoints.cli:main" in text


class TestInstalledWheel:
    """The wheel installed into a fresh directory runs without the checkout."""

    def test_the_installed_syncd_reads_its_packaged_seed(self, wheel: Path, tmp_path: Path) -> None:
        """The installed package (not the checkout) loads syncd/data/demo-seed.yaml."""
        site = tmp_path / "site"
        install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
        subprocess.run([*install, "--target", str(site), str(wheel)], check=True, timeout=120)
        probe = (
            "import syncd, syncd.sandbox.seed_yaml as s; "
            "print(syncd.__file__); print(len(s.demo_seed().github.repos))"
        )

        done = subprocess.run(
            [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {probe}"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )

        assert done.returncode == 0, done.stderr
        location, repos = done.stdout.split()
        assert location.startswith(str(site))
        assert int(repos) > 0


class TestSetupWarnings:
    """Building the package prints no setuptools warning about syncd's own configuration."""

    def test_build_py_warns_about_nothing(self, tmp_path: Path) -> None:
        """setup.cfg lists every package, syncd.data included, so setuptools has nothing to say."""
        work = copy_sources(tmp_path)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        done = subprocess.run(
            [sys.executable, "-W", "always", "setup.py", "-q", "build_py"],
            capture_output=True,
            text=True,
            cwd=work,
            env=env,
            timeout=120,
            check=False,
        )

        assert done.returncode == 0, done.stderr
        assert "Warning" not in done.stderr
        assert "warning:" not in done.stderr
