"""`http.public_url` (SPEC §2): read from the file, and an https one makes the cookie Secure."""

from __future__ import annotations

from syncd.entrypoints.listener import Request
from syncd.entrypoints.pages.access import Access
from tests.config.sample import VALID, load_text


def test_public_url_is_read_from_the_http_section() -> None:
    """The SPEC's example `http:` block loads, public_url included."""
    text = VALID + "http:\n  listen: 127.0.0.1:9464\n  public_url: https://syncd.example.com\n"
    config = load_text(text, {"GITHUB_TOKEN": "t"})
    assert config.http is not None
    assert config.http.public_url == "https://syncd.example.com"


def test_an_https_public_url_makes_the_sign_in_cookie_secure() -> None:
    """Behind a proxy that sends no X-Forwarded-Proto, the cookie is still Secure."""
    request = Request("GET", "/", "token=s3cret", {}, b"", "127.0.0.1")

    def page(_: Request) -> object:
        raise AssertionError("the sign-in answers first")

    plain = Access("s3cret").guard(page, browser=True)(request)  # type: ignore[arg-type]
    https = Access("s3cret", https=True).guard(page, browser=True)(request)  # type: ignore[arg-type]
    assert "Secure" not in dict(plain.headers)["Set-Cookie"]
    assert dict(https.headers)["Set-Cookie"].endswith("; Secure")
