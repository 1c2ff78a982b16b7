"""PyGithub's connections with the environment resolved once (syncd.adapters.environment).

PyGithub builds its requests Session inside a connection object made on the first request, and
offers no public hook to reach it; the requester's own connection class (an attribute of each
requester, set in its constructor) is wrapped so that every session it makes is settled.
"""

from __future__ import annotations

from collections.abc import Callable

from github.Requester import Requester

from syncd.adapters.environment import Environment, settle

_CONNECTION_CLASS = "_Requester__connectionClass"  # PyGithub's private `self.__connectionClass`


def settle_connections(requester: Requester, environment: Environment) -> None:
    """Every connection `requester` opens uses `environment` and never reads it again."""
    attributes = vars(requester)
    made: Callable[..., object] = attributes[_CONNECTION_CLASS]

    def connect(*args: object, **kwargs: object) -> object:
        connection = made(*args, **kwargs)
        settle(connection.session, environment)  # type: ignore[attr-defined]
        return connection

    attributes[_CONNECTION_CLASS] = connect
