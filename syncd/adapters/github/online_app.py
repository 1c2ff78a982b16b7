"""`syncd check --online` for a GitHub App: the app's key, and its installation per repository."""

from __future__ import annotations

from collections.abc import Mapping

from syncd.adapters.github.app_auth import AppTokens, Installation
from syncd.config.model import GitHubTracker
from syncd.errors import AuthFailed, TrackerError
from syncd.service_layer.checks import CheckRow, Outcome

# What syncd needs the installation to grant, and the levels that satisfy each.
NEEDED = {"issues": ("write",), "metadata": ("read", "write")}
# The repository role the repository checks assume when those are granted: labels can be
# created and applied, people assigned (an app's token reports no role of its own).
GRANTED_LEVEL = "push"


def check_app(config: GitHubTracker, app: AppTokens) -> tuple[list[CheckRow], dict[str, str]]:
    """The app's row and one installation row per repository; and the repositories whose
    installation grants what syncd needs, with the role the repository checks assume."""
    try:
        bot = app.bot_login
    except AuthFailed as exc:
        return [CheckRow(config.name, "app", Outcome.FAIL, str(exc))], {}
    except TrackerError as exc:
        return [CheckRow(config.name, "reach GitHub", Outcome.FAIL, str(exc))], {}
    detail = f"valid, app {config.app.id if config.app else '?'}; comments as {bot}"
    rows = [CheckRow(config.name, "app", Outcome.OK, detail)]
    levels: dict[str, str] = {}
    for repo in config.repos:
        check = f"{repo}: installation"
        try:
            installation = app.installation(repo)
        except TrackerError as exc:
            rows.append(CheckRow(config.name, check, Outcome.FAIL, str(exc)))
            continue
        missing = _missing(installation.permissions)
        shown = _shown(installation)
        if missing:
            detail = f"{shown}; syncd needs {', '.join(missing)}: change the app's permissions"
            rows.append(CheckRow(config.name, check, Outcome.FAIL, detail))
            continue
        rows.append(CheckRow(config.name, check, Outcome.OK, shown))
        levels[repo] = GRANTED_LEVEL
    return rows, levels


def _missing(permissions: Mapping[str, str]) -> list[str]:
    wanted = ((name, levels) for name, levels in NEEDED.items())
    return [f"{name}:{levels[0]}" for name, levels in wanted if permissions.get(name) not in levels]


def _shown(installation: Installation) -> str:
    granted = ", ".join(f"{name}:{installation.permissions.get(name, 'none')}" for name in NEEDED)
    return f"installation {installation.id} (account {installation.account}), {granted}"
