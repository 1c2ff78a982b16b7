"""The configuration as frozen, typed objects; the loader is the only thing that builds them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol
from zoneinfo import ZoneInfo

from syncd.domain.conditions import Condition
from syncd.domain.durations import Units
from syncd.domain.patterns import TextPattern
from syncd.domain.write_budget import GITHUB_SECONDARY, WriteBudget

if TYPE_CHECKING:
    from syncd.config.notify import NotifyConfig

IGNORE_LABEL = "syncd/ignore"


# The `source` of a Secret whose value the file spells out instead of naming a `${VAR}`.
WRITTEN_IN_FILE = "(written in the file)"


class Secret:
    """A credential from the environment; never shows its value in repr, str or logs."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str) -> None:
        self._value = value
        self.source = source  # e.g. "${GITHUB_TOKEN}": safe to show

    def reveal(self) -> str:
        """The raw value, for the one place that authenticates with it."""
        return self._value

    @property
    def written_in_file(self) -> bool:
        """Whether the file holds the value itself rather than a `${VAR}` naming it."""
        return self.source == WRITTEN_IN_FILE

    def __repr__(self) -> str:
        return f"Secret({self.source})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class AssignMode(enum.Enum):
    """What a tier does with the assignee."""

    ROTATION = "rotation"
    NONE = "none"


class SkipMode(enum.Enum):
    """Whether a skipped member is owed the turn they missed."""

    DEFER = "defer"
    FORFEIT = "forfeit"


class Handoff(enum.Enum):
    """What happens to the assignee of an over-estimate item."""

    TEAM = "team"
    UNASSIGN = "unassign"
    KEEP = "keep"


@dataclass(frozen=True)
class Person:
    """One person and their identity in each tracker kind (GitHub login, Jira accountId/name).

    `by_kind` maps a kind (`github`, `jira`, the key under `people.<id>`) to the identity.
    `per_tracker` holds identities that differ by tracker (tracker name, identity): a Jira Cloud
    site knows a person by accountId, a Data Center site by username.
    """

    id: str
    by_kind: Mapping[str, str] = field(default_factory=dict)
    per_tracker: tuple[tuple[str, str], ...] = ()
    slack: str | None = None  # a Slack member id, for mentions (§8)

    def identity(self, tracker: TrackerConfig) -> str | None:
        """This person's identity in `tracker`, if the configuration gives one."""
        for name, identity in self.per_tracker:
            if name == tracker.name:
                return identity
        return self.by_kind.get(tracker.kind)


@dataclass(frozen=True)
class Member:
    """A rotation member, active on shifts whose first day is in [active_from, until)."""

    person: str
    active_from: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Skip:
    """A member unavailable on the working days start..end (both inclusive)."""

    member: str
    start: date
    end: date
    mode: SkipMode = SkipMode.DEFER
    reason: str = ""


@dataclass(frozen=True)
class Override:
    """`member` replaces whoever is on shift for [start, end) (aware datetimes, UTC)."""

    member: str
    start: datetime
    end: datetime
    reason: str = ""


@dataclass(frozen=True)
class Rotation:
    """The support rotation (SPEC 3.5)."""

    timezone: ZoneInfo
    handoff_time: time
    shift_length: int
    working_days: frozenset[int]  # date.weekday(): 0 = Monday
    holidays: frozenset[date]
    start: date
    members: tuple[Member, ...]
    fallback: str | None = None
    skips: tuple[Skip, ...] = ()
    overrides: tuple[Override, ...] = ()
    carry_over: bool = False  # escalations pass to the incoming person at a handoff (§8)


@dataclass(frozen=True)
class Rule:
    """One tier rule; `path` is where it stands in the file, e.g. `tiers.rules[2]`."""

    tier: str
    assign: AssignMode
    when: Condition
    path: str


@dataclass(frozen=True)
class Tiers:
    """The tier rules: the first match wins, else `default_tier`."""

    label_prefix: str
    rules: tuple[Rule, ...]
    default_tier: str
    default_assign: AssignMode

    def label(self, tier: str) -> str:
        """The label that carries `tier`."""
        return f"{self.label_prefix}{tier}"


@dataclass(frozen=True)
class Estimates:
    """The over-estimate flag (SPEC 3.3); `limit` in work seconds."""

    limit: float
    hours_per_day: float = 8.0
    days_per_week: float = 5.0
    flag_label: str = "needs-team"
    handoff: Handoff = Handoff.TEAM
    comment: bool = True

    @property
    def units(self) -> Units:
        """Effort units for parsing and formatting estimates."""
        return Units.effort(self.hours_per_day, self.days_per_week)


@dataclass(frozen=True)
class GitHubEstimate:
    """Where a GitHub issue's estimate is read from; group 1 of each regex is the estimate."""

    label: TextPattern | None = None
    body: TextPattern | None = None


@dataclass(frozen=True)
class GitHubApp:
    """A GitHub App syncd acts as (§9): its id and private key (PEM text, never shown)."""

    id: int
    private_key: Secret


@dataclass(frozen=True)
class GitHubTracker:
    """A set of GitHub (or GitHub Enterprise) repositories, reached with a token or as an app
    (exactly one of `token` and `app` is set)."""

    kind: ClassVar[str] = "github"  # as written in the file's `kind:`
    name: str
    repos: tuple[str, ...]
    token: Secret | None = None
    base_url: str = "https://api.github.com"
    escalation_labels: tuple[str, ...] = ("escalation",)
    priority_label: TextPattern | None = None
    estimate: GitHubEstimate = GitHubEstimate()
    team: str | None = None
    write_interval: float = 1.0
    max_writes_per_cycle: int = 500
    webhook_secret: Secret | None = None  # deliveries accepted at POST /webhooks/<name> (§7)
    write_budget: WriteBudget | None = GITHUB_SECONDARY  # None: `write_budget: none`
    app: GitHubApp | None = None  # installation tokens instead of `token`


@dataclass(frozen=True)
class JiraEstimate:
    """Time tracking (`timeoriginalestimate`, seconds) or a story-points field by name."""

    field: str = "timeoriginalestimate"
    days_per_point: float | None = None


@dataclass(frozen=True)
class JiraTracker:
    """A Jira Cloud or Server/Data Center site and the JQL that selects escalations."""

    kind: ClassVar[str] = "jira"
    name: str
    url: str
    token: Secret
    jql: str
    email: Secret | None = None  # Cloud: email + API token; Server/DC: PAT alone
    estimate: JiraEstimate = JiraEstimate()
    team: str | None = None
    write_interval: float = 0.0
    max_writes_per_cycle: int = 500
    webhook_secret: Secret | None = None  # deliveries accepted at POST /webhooks/<name> (§7)
    write_budget: WriteBudget | None = None  # Jira answers 429 + Retry-After: no default budget


class TrackerConfig(Protocol):
    """What every kind of tracker's settings have (syncd.service_layer.registry lists kinds)."""

    @property
    def kind(self) -> str:
        """The kind as written under `kind:`; it names the kind's registration."""
        ...

    @property
    def name(self) -> str:
        """The tracker's name, unique in the file."""
        ...

    @property
    def token(self) -> Secret | None:
        """The credential syncd authenticates with (None: a GitHub App's, see GitHubApp)."""
        ...

    @property
    def team(self) -> str | None:
        """The person flagged items are handed to (estimates.handoff: team)."""
        ...

    @property
    def write_interval(self) -> float:
        """Seconds between two writes."""
        ...

    @property
    def max_writes_per_cycle(self) -> int:
        """Writes one cycle may make before it leaves the rest for the next."""
        ...

    @property
    def webhook_secret(self) -> Secret | None:
        """The secret its webhook deliveries are signed with (None: it takes none)."""
        ...

    @property
    def write_budget(self) -> WriteBudget | None:
        """Writes allowed per minute and per hour (sliding windows); None: no budget."""
        ...


@dataclass(frozen=True)
class HttpConfig:
    """The one HTTP listener (`http:`): its address, and the token pages will ask for."""

    host: str
    port: int
    token: Secret | None = None
    public_url: str | None = None  # how people reach the listener (behind a proxy), if set


@dataclass(frozen=True)
class Config:
    """One loaded, validated configuration file."""

    source: Path
    poll_interval: float  # seconds
    reconcile_interval: float  # seconds between full reconciliation passes
    state_path: Path
    people: Mapping[str, Person]
    rotation: Rotation
    tiers: Tiers
    estimates: Estimates
    trackers: tuple[TrackerConfig, ...]
    http: HttpConfig | None = None  # None: no `http:` section, nothing served
    notify: NotifyConfig | None = None  # None: no `notify:` section, no messages
    # SHA-256 of the file's text: a full reconciliation remembers it, and a start under other
    # rules reconciles at once (any edit counts: safe, and rules live in this one file).
    digest: str = ""

    def tracker(self, name: str) -> TrackerConfig:
        """The tracker called `name`; KeyError when there is none."""
        for tracker in self.trackers:
            if tracker.name == name:
                return tracker
        raise KeyError(name)
