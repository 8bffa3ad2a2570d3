"""Helpers for the hub tests: an HTTP client bound to a hub, commit-line builders."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

from hfapi.hub import LocalHub

#: Small knobs so that pagination and multipart uploads happen with tiny data.
SMALL_LIMITS = {
    "lfs_multipart_threshold": 1000,
    "lfs_chunk_size": 400,
    "tree_page_size": 5,
    "tree_expand_page_size": 3,
    "commits_page_size": 3,
    "likes_page_size": 2,
}


class Http:
    """``requests`` bound to a hub: relative paths, optional bearer token."""

    def __init__(self, hub: LocalHub) -> None:
        self.hub = hub
        self.session = requests.Session()

    def __call__(
        self, method: str, path: str, token: Optional[str] = None, **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        return self.session.request(method, self.hub.url + path, headers=headers, **kwargs)

    def create_repo(self, token: str, name: str, **fields: Any) -> requests.Response:
        body = {"name": name, "organization": None, "private": False, **fields}
        return self("POST", "/api/repos/create", token, json=body)

    def commit(
        self,
        token: str,
        repo_id: str,
        operations: List[Dict[str, Any]],
        revision: str = "main",
        repo_type: str = "model",
        summary: str = "a commit",
        parent: Optional[str] = None,
        create_pr: bool = False,
    ) -> requests.Response:
        header: Dict[str, Any] = {"summary": summary, "description": ""}
        if parent is not None:
            header["parentCommit"] = parent
        lines = [{"key": "header", "value": header}, *operations]
        body = "".join(json.dumps(line) + "\n" for line in lines)
        query = "?create_pr=1" if create_pr else ""
        rev = quote(revision, safe="")
        return self(
            "POST",
            f"/api/{repo_type}s/{repo_id}/commit/{rev}{query}",
            token,
            data=body.encode(),
            headers={"Content-Type": "application/x-ndjson"},
        )

    def upload_lfs(self, token: str, repo_id: str, data: bytes, prefix: str = "") -> str:
        """Negotiate and upload one LFS object (single PUT or parts); return its sha256."""
        oid = hashlib.sha256(data).hexdigest()
        answer = self.batch(token, repo_id, [{"oid": oid, "size": len(data)}], prefix).json()
        actions = answer["objects"][0].get("actions")
        if actions is None:
            return oid
        upload = actions["upload"]
        header = upload.get("header") or {}
        if "chunk_size" in header:
            chunk = int(header["chunk_size"])
            keys = sorted(k for k in header if k.isdigit())
            parts = []
            for index, key in enumerate(keys):
                piece = data[index * chunk : (index + 1) * chunk]
                response = self.session.put(header[key], data=piece)
                assert response.status_code == 200, response.text
                parts.append({"partNumber": index + 1, "etag": response.headers["ETag"]})
            response = self.session.post(upload["href"], json={"oid": oid, "parts": parts})
        else:
            response = self.session.put(upload["href"], data=data)
        assert response.status_code == 200, response.text
        return oid

    def batch(
        self, token: str, repo_id: str, objects: List[Dict[str, Any]], prefix: str = ""
    ) -> requests.Response:
        basic = base64.b64encode(f"access_token:{token}".encode()).decode()
        body = {"operation": "upload", "transfers": ["basic", "multipart"], "objects": objects}
        return self.session.post(
            f"{self.hub.url}/{prefix}{repo_id}.git/info/lfs/objects/batch",
            json=body,
            headers={"Authorization": f"Basic {basic}", "Accept": "application/vnd.git-lfs+json"},
        )


def add_file(path: str, content: bytes) -> Dict[str, Any]:
    """A ``file`` commit line."""
    encoded = base64.b64encode(content).decode()
    return {"key": "file", "value": {"path": path, "content": encoded, "encoding": "base64"}}


def add_lfs(path: str, content: bytes, with_size: bool = True) -> Dict[str, Any]:
    """An ``lfsFile`` commit line for content already uploaded."""
    value: Dict[str, Any] = {"path": path, "algo": "sha256"}
    value["oid"] = hashlib.sha256(content).hexdigest()
    if with_size:
        value["size"] = len(content)
    return {"key": "lfsFile", "value": value}
