"""Preupload decisions and the commit endpoint: NDJSON operations applied atomically.

A commit is handled in two phases. First the NDJSON lines are read one by one and every
file's content is stored as a blob (outside any lock: this is the slow part). Then, in
one transaction, the operations are applied to the *current* head of the target ref,
the trees and the commit are written and the ref moves. Any error - a bad line after
good ones, a missing LFS object, a file to delete that does not exist - aborts before
the transaction commits, so the repo is left exactly as it was.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from ..errors import HubError, bad_request, entry_not_found, forbidden, revision_not_found
from ..limits import check_path_limits, parse_json
from ..settings import HubSettings
from ..storage import Storage
from . import gitobj
from .gitstore import BlobBatch, GitStore
from .identity import Caller, Identity
from .lfs import OID_RE, Lfs
from .pulls import PullRequests
from .refs import UNSAFE_CHARS, Refs
from .repos import Repo, Repos, commit_author

_PARENT_RE = re.compile(r"^[0-9a-fA-F]{5,40}$")

#: Called as ``hook(db, repo, ref, commit id, {path: blob id})`` once a commit moved a
#: ref, inside the commit's transaction (an error there undoes the commit).
CommitHook = Callable[[Any, Repo, str, str, Dict[str, str]], None]


@dataclasses.dataclass(frozen=True)
class Operation:
    """One parsed commit line.

    Attributes:
        kind: ``file`` (regular or LFS pointer blob), ``deletedFile`` or ``deletedFolder``.
        path: path in the repo (no trailing slash).
        blob: blob id to store at ``path`` (for ``file``).
        lfs: whether the blob is an LFS pointer.
        pending: oid of the committer's pending LFS object it points to (linked to the
            repo when the commit is written), ``None`` otherwise.
    """

    kind: str
    path: str
    blob: Optional[str] = None
    lfs: bool = False
    pending: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class CommitResult:
    """What the commit endpoint reports: the new commit id and the PR number, if any."""

    oid: str
    pr_num: Optional[int]


#: Longest path in a repo and longest component, in UTF-8 bytes (Linux's PATH_MAX and
#: NAME_MAX: a longer name could not be checked out).
MAX_PATH_LENGTH = 4096
MAX_COMPONENT_LENGTH = 255
#: ``.git`` as file systems may also spell it: any case, trailing dots or spaces
#: (Windows drops them), or the NTFS short name.
_GIT_DIR_RE = re.compile(r"^(\.git[. ]*|git~1)$", re.IGNORECASE)


def check_path(path: Any) -> str:
    """Validate a path in the repo (git's and the Hub's rules).

    Refused: a non-string or empty path; an empty (leading, trailing or doubled ``/``),
    ``.`` or ``..`` component; a ``.git`` component in any spelling; control
    characters (CR, LF, NUL...) and bidi overrides; more than
    :data:`MAX_COMPONENT_LENGTH` bytes in a component or :data:`MAX_PATH_LENGTH` in all.

    Returns:
        The path, unchanged.

    Raises:
        HubError: 400 naming the rule that was broken.
    """
    if not isinstance(path, str) or not path:
        raise bad_request("Invalid path: it must be a non-empty string")
    check_path_limits(path)
    problem = _path_problem(path)
    if problem:
        shown = ascii(path if len(path) <= 100 else path[:100] + "...")
        raise bad_request(f"Invalid path {shown}: {problem}")
    return path


def _path_problem(path: str) -> Optional[str]:
    if UNSAFE_CHARS.search(path):
        return "control characters and bidi marks are not allowed"
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_LENGTH:
        return f"longer than {MAX_PATH_LENGTH} bytes"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return "empty, '.' and '..' components are not allowed"
        if _GIT_DIR_RE.match(part):
            return "'.git' components are not allowed"
        if len(part.encode("utf-8", "surrogatepass")) > MAX_COMPONENT_LENGTH:
            return f"a component is longer than {MAX_COMPONENT_LENGTH} bytes"
    return None


class Commits:
    """Preupload and commit creation."""

    def __init__(
        self,
        storage: Storage,
        settings: HubSettings,
        identity: Identity,
        repos: Repos,
        refs: Refs,
        git: GitStore,
        lfs: Lfs,
        pulls: PullRequests,
    ) -> None:
        self.storage = storage
        self.settings = settings
        self.identity = identity
        self.repos = repos
        self.refs = refs
        self.git = git
        self.lfs = lfs
        self.pulls = pulls
        #: Modules deriving state from a branch's files (card data, Space builds...)
        #: register here: ``hook(db, repo, ref, oid, files)`` inside the commit.
        self.hooks: List[CommitHook] = []
        self._rules_cache: Dict[str, List[Tuple[re.Pattern[str], bool]]] = {}

    def gitattributes_rules(self, files: Dict[str, str]) -> List[Tuple[re.Pattern[str], bool]]:
        """The LFS rules of the ``.gitattributes`` in a snapshot's files."""
        blob = files.get(".gitattributes")
        if blob is None:
            return []
        # Blobs never change, and most repos share a few attribute files: parsing their
        # globs was most of the cost of seeding many repos.
        rules = self._rules_cache.get(blob)
        if rules is None:
            with self.storage.open_content("git", blob) as handle:
                rules = gitobj.lfs_rules(handle.read().decode("utf-8", "replace"))
            if len(self._rules_cache) >= 256:
                self._rules_cache.clear()
            self._rules_cache[blob] = rules
        return rules

    # -- preupload --------------------------------------------------------------------------

    def preupload(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, revision: str, files: Any
    ) -> List[Dict[str, Any]]:
        """Say for each announced file whether it goes to LFS or inline.

        LFS when the size is not zero and: a ``.gitattributes`` LFS rule at the revision
        matches, or it exceeds ``regular_file_max_size``, or its sample holds a NUL byte
        and it exceeds ``binary_file_max_size``.

        Raises:
            HubError: 401/404 ``RepoNotFound``, 404 ``RevisionNotFound``, then 400
                (malformed list).
        """
        repo = self.repos.visible(caller, repo_type, repo_id)
        head = self.repos.resolve(repo, revision).commit
        if not isinstance(files, list):
            raise bad_request("'files' must be a list")
        rules = self.gitattributes_rules(self.git.snapshot(head).files)
        answers = []
        for item in files:
            if not isinstance(item, dict):
                raise bad_request("Each entry of 'files' must be an object")
            path, size = check_path(item.get("path")), item.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise bad_request(f"Invalid size for {path!r}")
            try:
                sample = base64.b64decode(str(item.get("sample", "")))
            except (binascii.Error, ValueError):
                raise bad_request(f"Invalid base64 sample for {path!r}") from None
            lfs = size > 0 and (
                gitobj.is_lfs_tracked(rules, path)
                or size > self.settings.regular_file_max_size
                or (b"\0" in sample and size > self.settings.binary_file_max_size)
            )
            answers.append(
                {"path": path, "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False}
            )
        return answers

    # -- commit -----------------------------------------------------------------------------

    def commit(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        revision: str,
        lines: Iterable[bytes],
        create_pr: bool,
    ) -> CommitResult:
        """Apply an NDJSON commit payload to ``revision`` (or open a PR against it).

        Checks run in the Hub's order: authentication, the repo (visible, then the
        rights to push there), the revision, the payload, and last whether the parent
        commit is still the head.

        Raises:
            HubError: 401/403, 404 (repo, revision), 400 (malformed payload, missing
                LFS object, oversized inline file), 404 (file to delete), 412 (stale
                parent).
        """
        repo, ref = self._target(caller, repo_type, repo_id, revision, create_pr)
        assert caller is not None
        # Objects a non-writer uploaded stay theirs, usable only in a pull request.
        to_pr = create_pr or ref.startswith("refs/pr/")
        # Small blobs and every blob row wait for the commit's transaction, so that a
        # 5,000-file commit is one transaction (one sync when durable), not 5,001.
        blobs = self.git.blob_batch()
        uploader = (caller.name or "") if to_pr else ""
        header, operations = self._read_payload(repo, lines, uploader, blobs)
        parent = header.get("parentCommit")
        if parent is not None and (not isinstance(parent, str) or not _PARENT_RE.match(parent)):
            raise bad_request("'parentCommit' must be a commit id")
        title = header.get("summary")
        description = header.get("description") or ""
        if not isinstance(title, str) or not title.strip() or not isinstance(description, str):
            raise bad_request("The header needs a non-empty 'summary'")
        message = (title.strip(), description.strip())
        author = caller.name or ""  # the admin token shows as a deleted user in threads
        with self.storage.transaction() as db:
            blobs.write(db)
            base, head = self._base(repo, ref, parent, create_pr)
            files = self._apply(dict(self.git.snapshot(base).files), operations)
            try:
                oid = self.git.write_commit(
                    db,
                    files,
                    (base,),
                    *commit_author(caller),
                    int(time.time()),
                    *message,
                    taken=lambda o: self.repos.has_commit(repo.pk, o),
                )
            except ValueError as error:
                raise bad_request(str(error)) from None
            self.repos.record_commit(db, repo.pk, oid)
            self.lfs.promote(db, repo.pk, [op.pending for op in operations if op.pending])
            if not create_pr:
                self.refs.move(db, repo.pk, ref, oid, head)
                for hook in self.hooks:
                    hook(db, repo, ref, oid, files)
                if ref.startswith("refs/pr/"):
                    num = int(ref[len("refs/pr/") :])
                    self.pulls.record_push(db, repo, num, author, title.strip(), oid)
                return CommitResult(oid, None)
            num = self.pulls.open_from_commit(db, repo, author, message[0], description, ref, oid)
            return CommitResult(oid, num)

    def _target(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        revision: str,
        create_pr: bool,
    ) -> Tuple[Repo, str]:
        """The repo and full ref a commit goes to, once the caller may push there.

        Pushing to a branch needs write rights in the repo, known before the revision
        is looked up; a PR ref also accepts the PR's author, known only after it.
        """
        if caller is None:
            raise HubError(401, "You must be authenticated to commit")
        repo = self.repos.visible(caller, repo_type, repo_id)
        if caller.role != "write":
            raise forbidden("This operation needs a token with the 'write' role")
        if not create_pr and not revision.startswith("refs/pr/"):
            self.repos.check_write(caller, repo.namespace)
        ref = self.repos.resolve(repo, revision).ref or ""
        if create_pr:
            if not ref.startswith("refs/heads/"):
                raise revision_not_found(revision)
        elif ref.startswith("refs/pr/"):
            self.pulls.check_push(caller, repo, int(ref[len("refs/pr/") :]))
        elif not ref.startswith("refs/heads/"):
            raise bad_request(f"Cannot commit to {revision!r}: it is not a branch")
        return repo, ref

    def _base(
        self, repo: Repo, ref: str, parent: Optional[str], create_pr: bool
    ) -> Tuple[str, str]:
        """``(commit the new one builds on, current head of ref)`` inside the transaction.

        Raises:
            HubError: 404 for an unknown parent of a PR, 412 when ``parent`` is not the head.
        """
        head = self.repos.resolve(repo, ref).commit
        if parent is None:
            return head, head
        if create_pr:
            found = self.repos.find_commit(repo, parent)
            if found is None:
                raise revision_not_found(parent)
            return found, head
        if not head.startswith(parent.lower()):
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        return head, head

    def _read_payload(
        self, repo: Repo, lines: Iterable[bytes], uploader: str, blobs: BlobBatch
    ) -> Tuple[Dict[str, Any], List[Operation]]:
        """The header and the operations of a payload.

        Args:
            uploader: the user whose pending LFS objects the commit may use (``""``: none).
            blobs: receives the blobs of the payload (see ``GitStore.put_blob``).
        """
        header: Optional[Dict[str, Any]] = None
        operations: List[Operation] = []
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                line = parse_json(raw)
                key, value = line["key"], line["value"]
                if not isinstance(value, dict):
                    raise TypeError("value must be an object")
            except (ValueError, KeyError, TypeError) as error:
                raise bad_request(f"Invalid NDJSON line {number}: {error}") from None
            if header is None:
                if key != "header":
                    raise bad_request("The first line of a commit payload must be the header")
                header = value
                continue
            operations.append(self._parse_operation(repo, key, value, uploader, blobs))
        if header is None:
            raise bad_request("Empty commit payload: a header line is required")
        return header, operations

    def _parse_operation(
        self, repo: Repo, key: str, value: Dict[str, Any], uploader: str, blobs: BlobBatch
    ) -> Operation:
        if key == "file":
            path = check_path(value.get("path"))
            encoding = value.get("encoding", "base64")
            content = value.get("content")
            if not isinstance(content, str):
                raise bad_request(f"Missing content for {path!r}")
            if encoding == "base64":
                try:
                    data = base64.b64decode(content, validate=True)
                except (binascii.Error, ValueError):
                    raise bad_request(f"Invalid base64 content for {path!r}") from None
            elif encoding in ("utf-8", "utf8"):
                data = content.encode()
            else:
                raise bad_request(f"Unknown encoding {encoding!r} for {path!r}")
            if len(data) > self.settings.regular_file_max_size:
                raise bad_request(
                    f"Your push was rejected because {path!r} is larger than"
                    f" {self.settings.regular_file_max_size} bytes; store it with LFS."
                )
            return Operation("file", path, self.git.put_blob(data, batch=blobs))
        if key == "lfsFile":
            return self._parse_lfs_file(repo, value, uploader, blobs)
        if key in ("deletedFile", "deletedFolder"):
            target = value.get("path")
            if key == "deletedFolder" and isinstance(target, str):
                target = target.rstrip("/")
            return Operation(key, check_path(target))
        raise bad_request(f"Unknown commit operation {key!r}")

    def _parse_lfs_file(
        self, repo: Repo, value: Dict[str, Any], uploader: str, blobs: BlobBatch
    ) -> Operation:
        path = check_path(value.get("path"))
        oid = value.get("oid")
        if value.get("algo", "sha256") != "sha256" or not isinstance(oid, str):
            raise bad_request(f"Invalid LFS reference for {path!r}")
        size = linked = self.lfs.linked_size(repo.pk, oid) if OID_RE.match(oid) else None
        if linked is None and uploader and OID_RE.match(oid):
            size = self.lfs.pending_size(repo.pk, oid, uploader)
        if size is None:
            raise bad_request(
                f"LFS object {oid} for {path!r} was not uploaded to this repo; upload it"
                " through the LFS batch endpoint first"
            )
        if "size" in value and value["size"] != size:
            raise bad_request(f"LFS object {oid} has {size} bytes, not {value['size']}")
        pointer = self.git.put_lfs_pointer(oid, size, blobs)
        return Operation("file", path, pointer, lfs=True, pending=None if linked else oid)

    def _apply(self, files: Dict[str, str], operations: List[Operation]) -> Dict[str, str]:
        lfs_paths = []
        for op in operations:
            if op.kind == "file":
                assert op.blob is not None
                files[op.path] = op.blob
                if op.lfs:
                    lfs_paths.append((op.path, op.blob))
            elif op.kind == "deletedFile":
                if op.path not in files:
                    raise entry_not_found(f'A file with the name "{op.path}" does not exist')
                del files[op.path]
            else:
                doomed = [p for p in files if p == op.path or p.startswith(op.path + "/")]
                if not doomed:
                    raise entry_not_found(f'A folder with the name "{op.path}" does not exist')
                for path in doomed:
                    del files[path]
        # LFS files not covered by a rule get their own line, as the Hub does.
        rules = self.gitattributes_rules(files)
        missing = [
            path
            for path, blob in lfs_paths
            if files.get(path) == blob and not gitobj.is_lfs_tracked(rules, path)
        ]
        if missing:
            current = b""
            if ".gitattributes" in files:
                with self.storage.open_content("git", files[".gitattributes"]) as handle:
                    current = handle.read()
            if current and not current.endswith(b"\n"):
                current += b"\n"
            added = "".join(
                f"{gitobj.escape_path_pattern(p)} {gitobj.LFS_RULE_SUFFIX}\n"
                for p in dict.fromkeys(missing)
            )
            files[".gitattributes"] = self.git.put_blob(current + added.encode())
        return files
