"""LFS batch, pre-signed uploads (single and multipart), verify (doc 02 §2.b-2.e)."""

from __future__ import annotations

import base64
import hashlib
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_lfs


def test_batch_auth(http: Http, user: HubUser, other: HubUser, repo: str) -> None:
    objects = [{"oid": "0" * 64, "size": 1}]
    url = f"{http.hub.url}/{repo}.git/info/lfs/objects/batch"
    assert requests.post(url, json={"operation": "upload", "objects": objects}).status_code == 401
    assert http.batch(user.read_token, repo, objects).status_code == 403
    http.create_repo(user.token, "hidden", private=True)
    hidden = http.batch(other.token, f"{user.name}/hidden", objects)
    assert (hidden.status_code, hidden.headers["X-Error-Code"]) == (404, "RepoNotFound")
    assert http.batch(user.token, repo, objects).status_code == 200


def test_single_put_without_authorization(http: Http, user: HubUser, repo: str) -> None:
    data = b"some weights"
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    actions = answer["objects"][0]["actions"]
    assert "header" not in actions["upload"]
    put = requests.put(actions["upload"]["href"], data=data)  # no Authorization at all
    assert "authorization" not in {k.lower() for k in put.request.headers}
    assert put.status_code == 200, put.text
    basic = base64.b64encode(f"USER:{user.token}".encode()).decode()
    verify = requests.post(
        actions["verify"]["href"],
        json={"oid": oid, "size": len(data)},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert verify.status_code == 200
    again = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    assert again["objects"] == [{"oid": oid, "size": len(data)}]  # stored: no "actions"


def test_mismatching_content_is_refused(
    http: Http, hub: LocalHub, user: HubUser, repo: str
) -> None:
    data = b"announced"
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    href = answer["objects"][0]["actions"]["upload"]["href"]
    for wrong in (b"announceD", b"short"):
        refused = requests.put(href, data=wrong)
        assert refused.status_code == 400
        assert "does not match" in refused.json()["error"]
        assert not hub.backend.storage.has_content("lfs", hashlib.sha256(wrong).hexdigest())
    assert not hub.backend.storage.has_content("lfs", oid)
    still_needed = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    assert "actions" in still_needed["objects"][0]
    assert http.commit(user.token, repo, [add_lfs("a.bin", data)]).status_code == 400


def test_forged_and_expired_urls(
    http: Http, user: HubUser, repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"x"
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": 1}]).json()
    href = answer["objects"][0]["actions"]["upload"]["href"]
    payload, _, signature = href.rpartition(".")
    tampered = payload.replace(f".{oid}.1.", f".{oid}.2.") + "." + signature
    assert requests.put(tampered, data=data).status_code == 403
    assert requests.put(href[:-4] + "0000", data=data).status_code == 403
    later = time.time() + 10 * 3600
    monkeypatch.setattr("hfapi.hub.backend.lfs.time.time", lambda: later)
    expired = requests.put(href, data=data)
    assert expired.status_code == 403 and "expired" in expired.json()["error"]


def test_multipart_parts_out_of_order_and_concurrent(http: Http, user: HubUser, repo: str) -> None:
    data = bytes(range(256)) * 8  # 2048 bytes; threshold 1000, chunk 400 -> 6 parts
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    upload = answer["objects"][0]["actions"]["upload"]
    header = upload["header"]
    assert header["chunk_size"] == "400"
    keys = sorted(k for k in header if k.isdigit())
    assert keys == ["00001", "00002", "00003", "00004", "00005", "00006"]

    def send(index: int) -> str:
        piece = data[index * 400 : (index + 1) * 400]
        response = requests.put(header[keys[index]], data=piece)
        assert response.status_code == 200, response.text
        assert response.headers["ETag"]
        return response.headers["ETag"]

    with ThreadPoolExecutor(6) as pool:
        etags = dict(zip(reversed(range(6)), pool.map(send, reversed(range(6)))))
    parts = [{"partNumber": i + 1, "etag": etags[i]} for i in range(6)]
    wrong = [*parts[:-1], {"partNumber": 6, "etag": '"nope"'}]
    assert requests.post(upload["href"], json={"oid": oid, "parts": wrong}).status_code == 400
    assert requests.post(upload["href"], json={"oid": oid, "parts": parts[:5]}).status_code == 400
    done = requests.post(upload["href"], json={"oid": oid, "parts": parts})
    assert done.status_code == 200, done.text
    assert http.commit(user.token, repo, [add_lfs("big.bin", data)]).ok
    download = http("GET", f"/{repo}/resolve/main/big.bin")
    assert download.content == data
    assert download.headers["X-Linked-Etag"] == f'"{oid}"'


def test_multipart_part_checks(http: Http, user: HubUser, repo: str) -> None:
    data = b"y" * 1500
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    upload = answer["objects"][0]["actions"]["upload"]
    header = upload["header"]
    assert requests.put(header["00001"], data=b"y" * 399).status_code == 400
    assert requests.put(header["00004"], data=b"y" * 300).status_code == 200  # last part
    assert requests.put(upload["href"] + "/9", data=b"y").status_code == 400
    assert requests.put(upload["href"], data=data).status_code == 400  # must use parts


def test_batch_object_errors(http: Http, user: HubUser, repo: str) -> None:
    objects = [{"oid": "not-hex", "size": 1}, {"oid": "a" * 64}]
    answer = http.batch(user.token, repo, objects).json()["objects"]
    assert [item["error"]["code"] for item in answer] == [422, 422]
    download = http.session.post(
        f"{http.hub.url}/{repo}.git/info/lfs/objects/batch",
        json={"operation": "download", "objects": []},
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert download.status_code == 400


def test_per_repo_multipart_threshold(http: Http, user: HubUser) -> None:
    assert http.create_repo(user.token, "tiny-parts", lfsmultipartthresh=5).ok
    repo = f"{user.name}/tiny-parts"
    oid = http.upload_lfs(user.token, repo, b"0123456789")
    assert http.commit(user.token, repo, [add_lfs("x.bin", b"0123456789")]).ok
    assert oid == hashlib.sha256(b"0123456789").hexdigest()
