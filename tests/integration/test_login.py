"""``login()`` / ``logout()`` against the local Hub: they say what they did and where."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfapi import HfFolder, constants, login, logout
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser


@pytest.fixture(autouse=True)
def default_endpoint(local_hub: LocalHub, monkeypatch: pytest.MonkeyPatch) -> None:
    # login() checks the token with the default client, i.e. HF_ENDPOINT's Hub.
    monkeypatch.setattr(constants, "ENDPOINT", local_hub.url)


def test_login_says_where_the_token_was_saved(hub_user: HubUser, capsys):
    login(hub_user.token)
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Token is valid (permission: write).",
        f"Your token has been saved to {HfFolder.path_token}",
        "Login successful",
    ]
    assert Path(HfFolder.path_token).read_text() == hub_user.token
    assert hub_user.token not in out
    logout()
    assert capsys.readouterr().out == "Successfully logged out.\n"
    assert HfFolder.get_token() is None


def test_a_refused_token_is_not_saved(capsys):
    with pytest.raises(ValueError, match="Invalid token"):
        login("hf_NotAValidTokenAtAll")
    assert capsys.readouterr().out == ""
    assert HfFolder.get_token() is None
