"""Constants and assertions shared by the client wire tests (fixtures are in conftest)."""

from __future__ import annotations

import json
import platform
import uuid
from typing import Any, List, Optional

import responses

import hfapi

ENDPOINT = "https://hub.test"
TOKEN = "hf_wire_test_token_123"
UA = (
    f"unknown/None; hf_hub/0.16.4; hfapi/{hfapi.__version__}; "
    f"python/{platform.python_version().split()[0].rstrip('+')}"
)

WHOAMI = {
    "type": "user",
    "id": "6273f303f6d63a28483fde12",
    "name": "alice",
    "fullname": "Alice Example",
    "email": "alice@example.com",
    "emailVerified": True,
    "isPro": False,
    "avatarUrl": "/avatars/alice.svg",
    "orgs": [{"type": "org", "name": "valid_org", "roleInOrg": "admin", "apiToken": "api_org_x"}],
    "auth": {"type": "access_token", "accessToken": {"displayName": "laptop", "role": "write"}},
}


class SleepRecorder(list):  # type: ignore[type-arg]
    """Stands in for ``time.sleep``: records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def check_request(
    call: Any,
    method: str,
    url: str,
    *,
    token: Optional[str] = TOKEN,
    body: Optional[bytes] = None,
    content_type: Optional[str] = None,
    user_agent: str = UA,
) -> None:
    """Assert everything that identifies a request on the wire."""
    request = call.request
    assert request.method == method
    assert request.url == url
    headers = request.headers
    assert headers["user-agent"] == user_agent
    if token is None:
        assert "authorization" not in headers
    else:
        assert headers["authorization"] == f"Bearer {token}"
    assert uuid.UUID(headers["X-Amzn-Trace-Id"]).version == 4
    raw = request.body
    if isinstance(raw, str):
        raw = raw.encode()
    assert raw == body
    assert headers.get("Content-Type") == content_type


def json_body(call: Any) -> Any:
    return json.loads(call.request.body)


def link(url: str) -> dict:
    return {"Link": f'<{url}>; rel="next"'}


def urls(mock: responses.RequestsMock) -> List[str]:
    return [call.request.url for call in mock.calls]
