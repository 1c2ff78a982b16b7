"""GitHub's list paging: `per_page` and `page` parameters, and the `Link` header."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar
from urllib.parse import urlencode

from syncd.sandbox.exchange import Request, Response, json_response

T = TypeVar("T")


def paged(
    request: Request,
    items: Sequence[T],
    render: Callable[[T], object],
    path: str | None = None,
) -> Response:
    """One page of `items` (`per_page` at most 100, `page` from 1) with its `Link` header.

    The links name `path` when given: GitHub points a repository's list pages at
    `/repositories/{id}/...`, whatever path the first page was asked by.
    """
    per_page = min(max(request.int_param("per_page", 30), 1), 100)
    page = max(request.int_param("page", 1), 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    link = link_header(request, page, last, path or request.path)
    return json_response(200, [render(item) for item in chunk], {"Link": link} if link else {})


def link_header(request: Request, page: int, last: int, path: str) -> str:
    """GitHub's `Link` header to `path`: every query parameter kept, `page` replaced."""

    def url(number: int) -> str:
        params = [(k, v) for k, values in request.query.items() if k != "page" for v in values]
        return f"{request.base}{path}?{urlencode([*params, ('page', str(number))])}"

    links = []
    if page < last:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links = [f'<{url(page - 1)}>; rel="prev"', *links, f'<{url(1)}>; rel="first"']
    return ", ".join(links)
