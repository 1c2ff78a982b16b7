"""Error bodies that quote the request's credentials are scrubbed before syncd repeats them."""

from __future__ import annotations

import base64
import json

import requests

from syncd.adapters.jira.translate import jira_problems, sent_credentials

EMAIL, TOKEN = "ops@example.com", "ATATT3xFfGF0SCRUBME"
BASIC = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()


def _answer(authorization: str, message: str) -> requests.Response:
    """A Jira error answer to a request that carried `authorization`."""
    request = requests.Request("GET", "https://jira.example/rest/api/2/myself").prepare()
    request.headers["Authorization"] = authorization
    response = requests.Response()
    response.status_code = 500
    response.request = request
    response._content = json.dumps({"errorMessages": [message], "errors": {}}).encode()
    return response


class TestSentCredentials:
    """sent_credentials: what a request's Authorization header gives away."""

    def test_basic_auth_yields_the_header_value_pair_email_and_token(self) -> None:
        """The base64 value, `email:token`, and each half."""
        found = sent_credentials(_answer(f"Basic {BASIC}", "x"))

        assert found == (BASIC, f"{EMAIL}:{TOKEN}", EMAIL, TOKEN)

    def test_a_bearer_token_is_the_credential(self) -> None:
        """A Data Center personal access token."""
        assert sent_credentials(_answer("Bearer PATSCRUBME123", "x")) == ("PATSCRUBME123",)


class TestJiraProblems:
    """jira_problems: Jira's messages, with anything the request carried masked."""

    def test_an_echoed_token_email_and_header_are_masked(self) -> None:
        """The message keeps its sense and loses every credential."""
        echoed = f"proxy saw authorization: Basic {BASIC} from {EMAIL} with {TOKEN}"

        problems = jira_problems(_answer(f"Basic {BASIC}", echoed))

        text = " ".join(problems)
        assert problems and "proxy saw" in text
        assert BASIC not in text and TOKEN not in text and EMAIL not in text
