"""The one HTTP listener (`http.listen`): routes served by waitress, limited for the network."""

from syncd.entrypoints.listener.routes import Answer, Handler, Request, Route, Routes
from syncd.entrypoints.listener.server import MAX_BODY_BYTES, Limits, Listener, ListenFailed

__all__ = [
    "MAX_BODY_BYTES",
    "Answer",
    "Handler",
    "Limits",
    "ListenFailed",
    "Listener",
    "Request",
    "Route",
    "Routes",
]
