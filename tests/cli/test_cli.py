"""The ``hfapi`` command line, run as users run it (a subprocess) against the local Hub."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, Optional

import pytest

from hfapi import HfApi
from hfapi.cli import main
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

Run = Callable[..., "subprocess.CompletedProcess[str]"]
VERBS = [
    [],
    ["login"],
    ["logout"],
    ["whoami"],
    ["env"],
    ["repo"],
    ["repo", "create"],
    ["repo", "delete"],
    ["repo", "move"],
    ["upload"],
    ["download"],
    ["hub"],
]


@pytest.fixture
def cli_env(local_hub: LocalHub, tmp_path: Path) -> Dict[str, str]:
    """The environment of a user on a fresh machine whose HF_ENDPOINT is the local Hub."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("HF_", "HUGGING_FACE_", "HUGGINGFACE_"))
    }
    env.update(
        HF_ENDPOINT=local_hub.url,
        HF_HOME=str(tmp_path / "hf_home"),
        HF_HUB_DISABLE_PROGRESS_BARS="1",
    )
    return env


@pytest.fixture
def run(cli_env: Dict[str, str]) -> Run:
    """``run("repo", "create", ...)``: the completed ``python -m hfapi`` process."""

    def run_cli(*words: str, stdin: Optional[str] = None) -> "subprocess.CompletedProcess[str]":
        return subprocess.run(
            [sys.executable, "-m", "hfapi", *words],
            env=cli_env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run_cli


def _one_error_line(result: "subprocess.CompletedProcess[str]", kind: str) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hfapi: error: {kind}: "), result.stderr
    return lines[0]


def test_help_through_the_process(run: Run):
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: hfapi ")
    assert all(f"    {verb} " in result.stdout for verb in ("login", "repo", "upload", "hub"))


@pytest.mark.parametrize("words", VERBS, ids=lambda words: "-".join(words) or "top")
def test_help_on_every_verb(words, capsys):
    # In-process (a subprocess per verb costs ~0.6 s); the process path is tested above.
    assert main([*words, "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: ")


def test_login_whoami_env_logout(run: Run, hub_user: HubUser, cli_env):
    token_file = Path(cli_env["HF_HOME"]) / "token"
    login = run("login", stdin=hub_user.token + "\n")  # as piped from a secret store
    assert login.returncode == 0, login.stderr
    assert f"Your token has been saved to {token_file}" in login.stdout
    assert token_file.read_text() == hub_user.token
    whoami = run("whoami")
    assert (whoami.returncode, whoami.stdout.splitlines()[0]) == (0, hub_user.name)
    env = run("env")
    assert env.returncode == 0
    assert f"Token: token file {token_file}" in env.stdout
    assert f"Endpoint: {cli_env['HF_ENDPOINT']}" in env.stdout
    logout = run("logout")
    assert (logout.returncode, logout.stdout) == (0, "Successfully logged out.\n")
    assert not token_file.exists()
    for result in (login, whoami, env, logout):
        assert hub_user.token not in result.stdout + result.stderr
    _one_error_line(run("whoami"), "LocalTokenNotFoundError")


def test_login_refuses_a_bad_token(run: Run, cli_env):
    line = _one_error_line(run("login", "--token", "hf_NotAValidTokenAtAll"), "ValueError")
    assert "hf_NotAValidTokenAtAll" not in line
    assert not (Path(cli_env["HF_HOME"]) / "token").exists()


def test_repo_create_move_delete(run: Run, hub_user: HubUser, local_hub: LocalHub):
    auth = ("--token", hub_user.token)
    created = run("repo", "create", "cli-demo", "--repo-type", "dataset", "--private", *auth)
    assert created.returncode == 0, created.stderr
    assert created.stdout == f"{local_hub.url}/datasets/{hub_user.name}/cli-demo\n"
    api = HfApi(endpoint=local_hub.url, token=hub_user.token)
    assert api.repo_info(f"{hub_user.name}/cli-demo", repo_type="dataset").private
    moved = run(
        "repo", "move", f"{hub_user.name}/cli-demo", f"{hub_user.name}/renamed", "--type",
        "dataset", *auth,
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    deleted = run("repo", "delete", f"{hub_user.name}/renamed", "--type", "dataset", *auth)
    assert deleted.returncode == 0, deleted.stderr
    again = run("repo", "delete", f"{hub_user.name}/renamed", "--type", "dataset", *auth)
    _one_error_line(again, "RepositoryNotFoundError")


def test_upload_then_download(run: Run, hf_api: HfApi, hub_user: HubUser, tmp_path: Path):
    repo_id = f"{hub_user.name}/up"
    hf_api.create_repo(repo_id)
    auth = ("--token", hub_user.token)
    (tmp_path / "one.txt").write_text("one")
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "keep.json").write_text("{}")
    (folder / "skip.log").write_text("no")

    single = run("upload", repo_id, str(tmp_path / "one.txt"), *auth)
    assert single.stdout.strip().endswith(f"/{repo_id}/blob/main/one.txt"), single.stderr
    many = run("upload", repo_id, str(folder), "data", "--exclude", "*.log", *auth)
    assert many.returncode == 0, many.stderr
    pr = run("upload", repo_id, str(tmp_path / "one.txt"), "pr.txt", "--create-pr", *auth)
    assert "/blob/refs%2Fpr%2F1/pr.txt" in pr.stdout, pr.stderr
    hf_api.create_branch(repo_id, branch="dev")
    dev = run("upload", repo_id, str(tmp_path / "one.txt"), "dev.txt", "--revision", "dev", *auth)
    assert dev.stdout.strip().endswith("/blob/dev/dev.txt"), dev.stderr
    assert sorted(hf_api.list_repo_files(repo_id)) == [
        ".gitattributes",
        "data/sub/keep.json",
        "one.txt",
    ]

    cache = str(tmp_path / "cache")
    path = run("download", repo_id, "one.txt", "--cache-dir", cache, *auth)
    assert Path(path.stdout.strip()).read_text() == "one", path.stderr
    snap = run("download", repo_id, "--include", "data/*", "--cache-dir", cache, *auth)
    root = Path(snap.stdout.strip())
    assert (root / "data" / "sub" / "keep.json").read_text() == "{}", snap.stderr


def test_a_missing_repo_is_one_line_or_a_traceback_with_debug(
    run: Run, hub_user: HubUser, tmp_path: Path
):
    (tmp_path / "a.txt").write_text("a")
    words = ("upload", f"{hub_user.name}/nothing-here", str(tmp_path / "a.txt"))
    plain = run(*words, "--token", hub_user.token)
    _one_error_line(plain, "RepositoryNotFoundError")
    debug = run(*words, "--token", hub_user.token, "--debug")
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "DEBUG hfapi.http: POST " in debug.stderr  # --debug also logs the requests
    assert hub_user.token not in debug.stderr
    download = run("download", f"{hub_user.name}/nothing-here", "x.txt")
    _one_error_line(download, "RepositoryNotFoundError")


@pytest.mark.parametrize(
    "words",
    [
        ["repo", "create", "x", "--repo-type", "nonsense"],
        ["upload", "only-one-argument"],
        ["frobnicate"],
        [],
        ["upload", "me/repo", "/does/not/exist"],
        ["upload", "me/repo", __file__, "--include", "*.py"],
        ["download", "me/repo", "a.txt", "b.txt", "--include", "*.txt"],
    ],
    ids=[
        "bad-choice",
        "missing-argument",
        "unknown-verb",
        "no-verb",
        "no-such-path",
        "file-with-patterns",
        "names-and-include",
    ],
)
def test_bad_command_lines_exit_2(words, capsys):
    assert main(words) == 2
    assert capsys.readouterr().err.strip()


def test_a_bad_argument_through_the_process(run: Run):
    result = run("repo", "create", "x", "--repo-type", "nonsense")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice: 'nonsense'" in result.stderr


def test_hub_runs_a_local_hub_until_stopped(cli_env, tmp_path: Path):
    with subprocess.Popen(
        [sys.executable, "-m", "hfapi", "hub", "--data-dir", str(tmp_path / "data")],
        env=cli_env,
        stdout=subprocess.PIPE,
        text=True,
    ) as hub:
        assert hub.stdout is not None
        first = hub.stdout.readline()
        assert first.startswith("Local Hub running at http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1].strip()
        token = next(line for line in hub.stdout if "  token:" in line).split()[-1]
        try:
            assert HfApi(endpoint=url, token=token).whoami()["name"] == "hub-user"
        finally:
            hub.send_signal(signal.SIGTERM)
        assert hub.wait(timeout=60) == 0


def test_the_console_script_names_the_same_main():
    tomllib = pytest.importorskip("tomllib")
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["hfapi"] == "hfapi.cli:main"


def test_only_the_hub_verb_loads_the_local_hub(cli_env):
    code = (
        "import sys\nfrom hfapi.cli import main\nmain(['env'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('hfapi.hub')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"
