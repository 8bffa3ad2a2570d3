"""Many clients at once: the final state is the sum of what each was told succeeded."""

from __future__ import annotations

import threading
from typing import List

import requests

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file


def test_twenty_threads(http: Http, hub: LocalHub, user: HubUser) -> None:
    assert http.create_repo(user.token, "shared").ok
    shared = f"{user.name}/shared"
    commits: List[str] = []
    errors: List[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        local = Http(hub)
        try:
            name = f"t{index}"
            assert local.create_repo(user.token, name).ok
            for step in range(3):
                ops = [add_file(f"{name}/{step}.txt", f"{index}-{step}".encode())]
                response = local.commit(user.token, shared, ops, summary=f"{name}-{step}")
                assert response.status_code == 200, response.text
                with lock:
                    commits.append(response.json()["commitOid"])
                own = local.commit(user.token, f"{user.name}/{name}", ops)
                assert own.status_code == 200, own.text
            if index % 2:
                body = {"name": name, "organization": user.name}
                assert local("DELETE", "/api/repos/delete", user.token, json=body).ok
        except (AssertionError, requests.RequestException) as error:
            with lock:
                errors.append(f"{index}: {error}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = []
    url = f"{hub.url}/api/models/{shared}/commits/main"
    while url:
        page = http.session.get(url)
        history += [c["id"] for c in page.json()]
        url = page.links.get("next", {}).get("url")
    assert sorted(history[:-1]) == sorted(commits)  # every commit kept, none lost
    files = http("GET", f"/api/models/{shared}/tree/main?recursive=True&limit=1000")
    paths = []
    url = files.url
    while url:
        page = http.session.get(url)
        paths += [e["path"] for e in page.json() if e["type"] == "file"]
        url = page.links.get("next", {}).get("url")
    assert len(paths) == 1 + 20 * 3
    for index in range(20):
        status = http("GET", f"/api/models/{user.name}/t{index}").status_code
        assert status == (401 if index % 2 else 200)
