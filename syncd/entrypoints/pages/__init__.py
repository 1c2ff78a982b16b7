"""The status page, its JSON and the rotation's calendar feed, as routes of the listener."""

from syncd.entrypoints.pages.routes import page_routes

__all__ = ["page_routes"]
