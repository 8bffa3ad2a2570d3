"""LFS batch, pre-signed uploads (single and multipart), verify (doc 02 §2.b-2.e)."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.backend.lfs import MAX_BATCH_OBJECTS, MAX_OBJECT_SIZE, MAX_PARTS
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

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
    assert download.history[0].headers["X-Linked-Etag"] == f'"{oid}"'


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


def _start_multipart(http: Http, token: str, repo: str, data: bytes) -> Dict[str, Any]:
    """Negotiate ``data`` and send all its parts; return the completion href and body."""
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(token, repo, [{"oid": oid, "size": len(data)}]).json()
    upload = answer["objects"][0]["actions"]["upload"]
    header = upload["header"]
    chunk = int(header["chunk_size"])
    parts = []
    for index, key in enumerate(sorted(k for k in header if k.isdigit())):
        sent = requests.put(header[key], data=data[index * chunk : (index + 1) * chunk])
        assert sent.status_code == 200, sent.text
        parts.append({"partNumber": index + 1, "etag": sent.headers["ETag"]})
    return {"href": upload["href"], "body": {"oid": oid, "parts": parts}}


def _verify(http: Http, token: str, repo: str, obj: Dict[str, Any]) -> requests.Response:
    basic = base64.b64encode(f"USER:{token}".encode()).decode()
    return requests.post(
        f"{http.hub.url}/{repo}.git/info/lfs/objects/verify",
        json=obj,
        headers={"Authorization": f"Basic {basic}"},
    )


def test_non_writers_upload_pending_objects(
    http: Http, hub: LocalHub, user: HubUser, repo: str
) -> None:
    contributor = new_hub_user(hub, "dotted.name")  # a dot: the ticket's field separator
    stored = b"already in the repo"
    http.upload_lfs(user.token, repo, stored)
    data = bytes(range(256)) * 5  # 1280 bytes: a multipart upload under SMALL_LIMITS
    new = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data)}
    known = {"oid": hashlib.sha256(stored).hexdigest(), "size": len(stored)}
    # As on the Hub, a contributor gets upload URLs for what the repo does not hold.
    answer = http.batch(contributor.token, repo, [known, new])
    assert answer.status_code == 200, answer.text
    assert answer.json()["objects"][0] == known and "actions" in answer.json()["objects"][1]
    http.upload_lfs(contributor.token, repo, data)
    # The object is the contributor's pending one: stored for them, not for the repo.
    assert http.batch(contributor.token, repo, [new]).json()["objects"] == [new]
    assert _verify(http, contributor.token, repo, new).status_code == 200
    assert "actions" in http.batch(user.token, repo, [new]).json()["objects"][0]
    assert _verify(http, user.token, repo, new).status_code == 404
    lfs = http("GET", "/_hub/state", hub.admin_token).json()["lfs"]
    assert next(o for o in lfs if o["oid"] == new["oid"])["repos"] == []
    # Nothing more: read tokens and hidden repos are refused as before.
    assert _verify(http, contributor.read_token, repo, new).status_code == 403
    http.create_repo(user.token, "secret", private=True)
    hidden = http.batch(contributor.token, f"{user.name}/secret", [new])
    assert (hidden.status_code, hidden.headers["X-Error-Code"]) == (404, "RepoNotFound")
    hidden = _verify(http, contributor.token, f"{user.name}/secret", new)
    assert (hidden.status_code, hidden.headers["X-Error-Code"]) == (404, "RepoNotFound")


def test_deleting_a_repo_forgets_its_pending_objects(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser, repo: str
) -> None:
    http.upload_lfs(other.token, repo, b"pending")
    pk = hub.backend.repos.visible(None, "model", repo).pk
    assert hub.backend.lfs.pending_size(pk, hashlib.sha256(b"pending").hexdigest(), other.name)
    delete = {"name": "repo", "organization": None}
    assert http("DELETE", "/api/repos/delete", user.token, json=delete).ok
    with hub.backend.storage.transaction() as db:
        left = db.execute("SELECT count(*) FROM lfs_pending WHERE repo = ?", (pk,)).fetchone()
    assert left == (0,)


def test_announced_size_is_capped(http: Http, user: HubUser, repo: str) -> None:
    oid = "1" * 64
    # A size no 64-bit integer holds is refused with the whole body, as any such JSON is.
    absurd = http.batch(user.token, repo, [{"oid": oid, "size": 10**30}])
    assert absurd.status_code == 400 and "out of range" in absurd.json()["error"]
    objects = [{"oid": oid, "size": MAX_OBJECT_SIZE + 1}, {"oid": oid, "size": 2**63 - 1}]
    answer = http.batch(user.token, repo, objects)
    assert answer.status_code == 200
    for item in answer.json()["objects"]:
        assert item["error"]["code"] == 422
        assert "exceeds the limit" in item["error"]["message"]
        assert "actions" not in item


def test_parts_grow_rather_than_exceed_the_part_limit(http: Http, user: HubUser, repo: str) -> None:
    answer = http.batch(user.token, repo, [{"oid": "2" * 64, "size": MAX_OBJECT_SIZE}])
    header = answer.json()["objects"][0]["actions"]["upload"]["header"]
    parts = [key for key in header if key.isdigit()]
    assert len(parts) == MAX_PARTS  # chunk 400 would need 125 million parts
    assert int(header["chunk_size"]) * MAX_PARTS >= MAX_OBJECT_SIZE
    href = answer.json()["objects"][0]["actions"]["upload"]["href"]
    assert requests.put(f"{href}/{MAX_PARTS + 1}", data=b"x").status_code == 400
    huge_number = requests.put(f"{href}/{'9' * 5000}", data=b"x")
    assert huge_number.status_code == 400
    assert huge_number.headers["X-Error-Message"].startswith("Part number")


def test_batch_requests_are_capped(http: Http, user: HubUser, repo: str) -> None:
    many = [{"oid": f"{i:064x}", "size": 1} for i in range(MAX_BATCH_OBJECTS + 1)]
    too_many = http.batch(user.token, repo, many)
    assert too_many.status_code == 413
    assert too_many.json() == {"error": too_many.headers["X-Error-Message"]}
    assert http.batch(user.token, repo, many[:MAX_BATCH_OBJECTS]).status_code == 200
    # Eleven objects of 10,000 parts each would be a 25 MB answer: refused whole.
    big = [{"oid": f"{i:064x}", "size": MAX_OBJECT_SIZE} for i in range(11)]
    too_big = http.batch(user.token, repo, big)
    assert too_big.status_code == 413 and "upload URLs" in too_big.json()["error"]


def test_repeated_completion_succeeds(http: Http, user: HubUser, repo: str) -> None:
    data = bytes(range(256)) * 5  # 1280 bytes: 4 parts
    upload = _start_multipart(http, user.token, repo, data)
    first = requests.post(upload["href"], json=upload["body"])
    assert first.status_code == 200, first.text
    again = requests.post(upload["href"], json=upload["body"])  # the first answer was lost
    assert again.status_code == 200, again.text
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    wrong_oid = requests.post(upload["href"], json={**upload["body"], "oid": "3" * 64})
    assert wrong_oid.status_code == 400
    assert http.commit(user.token, repo, [add_lfs("parts.bin", data)]).ok
    assert http("GET", f"/{repo}/resolve/main/parts.bin").content == data


def test_concurrent_completions_both_succeed(http: Http, user: HubUser, repo: str) -> None:
    data = bytes(range(256)) * 6
    upload = _start_multipart(http, user.token, repo, data)
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(lambda _: requests.post(upload["href"], json=upload["body"]), range(2))
        )
    assert [answer.status_code for answer in answers] == [200, 200]
    assert http.commit(user.token, repo, [add_lfs("twice.bin", data)]).ok


def test_stale_temp_files_and_uploads_are_swept(
    http: Http, hub: LocalHub, user: HubUser, repo: str
) -> None:
    lfs = hub.backend.lfs
    earlier = set(os.listdir(lfs.parts_dir)) if os.path.isdir(lfs.parts_dir) else set()
    data = bytes(range(200)) * 7  # 1400 bytes: 4 parts
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    upload = answer["objects"][0]["actions"]["upload"]
    assert requests.put(upload["header"]["00001"], data=data[:400]).status_code == 200
    left_over = os.path.join(hub.backend.storage.tmp_dir, "killed-request")
    with open(left_over, "wb") as handle:
        handle.write(b"half a blob")
    (folder,) = set(os.listdir(lfs.parts_dir)) - earlier
    age = max(hub.settings.lfs_stale_upload_age, hub.settings.upload_url_ttl)
    assert lfs.sweep(now=time.time() + age - 60) == 0  # not idle long enough
    assert os.path.exists(left_over) and folder in os.listdir(lfs.parts_dir)
    assert lfs.sweep(now=time.time() + age + 60) >= 2
    assert not os.path.exists(left_over) and not os.path.exists(lfs.parts_dir)


def test_batch_requests_sweep_now_and_then(
    http: Http, hub: LocalHub, user: HubUser, repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lfs = hub.backend.lfs
    lfs.sweep()
    left_over = os.path.join(hub.backend.storage.tmp_dir, "abandoned")
    open(left_over, "wb").close()
    objects = [{"oid": "4" * 64, "size": 4}]
    later = time.time() + 2 * max(hub.settings.lfs_stale_upload_age, hub.settings.upload_url_ttl)
    monkeypatch.setattr(lfs, "clock", lambda: later)
    assert http.batch(user.token, repo, objects).status_code == 200
    assert not os.path.exists(left_over)
    open(left_over, "wb").close()
    monkeypatch.setattr(lfs, "clock", lambda: later + 1)  # too soon for another sweep
    assert http.batch(user.token, repo, objects).status_code == 200
    assert os.path.exists(left_over)
    os.unlink(left_over)


def test_start_up_sweeps_what_a_previous_run_left(tmp_path: Any) -> None:
    with LocalHub(data_dir=tmp_path):
        pass
    stale = tmp_path / "tmp" / "from-a-crash"
    stale.write_bytes(b"partial")
    fresh = tmp_path / "tmp" / "just-now"
    fresh.write_bytes(b"partial")
    long_ago = time.time() - 3 * 24 * 3600
    os.utime(stale, (long_ago, long_ago))
    with LocalHub(data_dir=tmp_path):
        assert not stale.exists()
        assert fresh.exists()
