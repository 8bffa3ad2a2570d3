"""Git objects as git itself computes them, LFS pointers and ``.gitattributes`` rules.

Pure functions over bytes: no storage, no HTTP. Object ids are SHA-1 over
``<type> <length>\\0<content>``, so ids produced here equal those ``git hash-object``
and the Hub report.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Dict, List, Optional, Tuple

FILE_MODE = "100644"
DIR_MODE = "40000"

LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1\n"
LFS_RULE_SUFFIX = "filter=lfs diff=lfs merge=lfs -text"

#: The ``.gitattributes`` of the Hub's ``initial commit`` (binary formats go to LFS).
DEFAULT_GITATTRIBUTES = "".join(
    f"{pattern} {LFS_RULE_SUFFIX}\n"
    for pattern in (
        "*.7z",
        "*.arrow",
        "*.bin",
        "*.bz2",
        "*.ckpt",
        "*.ftz",
        "*.gz",
        "*.h5",
        "*.joblib",
        "*.lfs.*",
        "*.mlmodel",
        "*.model",
        "*.msgpack",
        "*.npy",
        "*.npz",
        "*.onnx",
        "*.ot",
        "*.parquet",
        "*.pb",
        "*.pickle",
        "*.pkl",
        "*.pt",
        "*.pth",
        "*.rar",
        "*.safetensors",
        "saved_model/**/*",
        "*.tar.*",
        "*.tar",
        "*.tflite",
        "*.tgz",
        "*.wasm",
        "*.xz",
        "*.zip",
        "*.zst",
        "*tfevents*",
    )
)


def object_id(kind: str, content: bytes) -> str:
    """Return the git object id of ``content`` stored as ``kind`` (blob, tree, commit, tag).

    Example:
        >>> object_id("blob", b"hello\\n")
        'ce013625030ba8dba906f756967f9e9ca394464a'
    """
    header = f"{kind} {len(content)}\0".encode()
    return hashlib.sha1(header + content).hexdigest()


def blob_id(content: bytes) -> str:
    """Return the git blob id of ``content``."""
    return object_id("blob", content)


def lfs_pointer(sha256: str, size: int) -> bytes:
    """Return the pointer blob git stores in place of an LFS object (three lines)."""
    return LFS_POINTER_PREFIX + f"oid sha256:{sha256}\nsize {size}\n".encode()


# -- trees --------------------------------------------------------------------------------


def _sort_key(name: str, is_dir: bool) -> bytes:
    # Git orders tree entries by name, comparing a directory as if it ended with "/".
    return name.encode() + (b"/" if is_dir else b"")


def serialize_tree(entries: Dict[str, Tuple[str, str]]) -> bytes:
    """Encode ``{name: (mode, oid)}`` as the body of a git tree object."""
    ordered = sorted(entries.items(), key=lambda item: _sort_key(item[0], item[1][0] == DIR_MODE))
    return b"".join(
        f"{mode} {name}\0".encode() + bytes.fromhex(oid) for name, (mode, oid) in ordered
    )


def parse_tree(data: bytes) -> List[Tuple[str, str, str]]:
    """Decode a git tree body into ``(mode, name, oid)`` triples, in stored order."""
    entries = []
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode = data[pos:space].decode()
        name = data[space + 1 : nul].decode()
        oid = data[nul + 1 : nul + 21].hex()
        entries.append((mode, name, oid))
        pos = nul + 21
    return entries


def build_trees(files: Dict[str, str]) -> Tuple[str, Dict[str, bytes]]:
    """Build the tree objects of a snapshot given as ``{path: blob_id}``.

    Returns:
        ``(root_tree_id, {tree_id: tree_body})`` for every tree of the snapshot.

    Raises:
        ValueError: a path is used both as a file and as a folder.
    """
    root: Dict[str, object] = {}
    for path, oid in files.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"'{path}' needs '{part}' to be a folder, but it is a file")
            node = child
        if isinstance(node.get(parts[-1]), dict):
            raise ValueError(f"'{path}' is a folder and cannot also be a file")
        node[parts[-1]] = oid
    trees: Dict[str, bytes] = {}

    def write(node: Dict[str, object]) -> str:
        entries: Dict[str, Tuple[str, str]] = {}
        for name, child in node.items():
            if isinstance(child, dict):
                entries[name] = (DIR_MODE, write(child))
            else:
                entries[name] = (FILE_MODE, str(child))
        body = serialize_tree(entries)
        oid = object_id("tree", body)
        trees[oid] = body
        return oid

    return write(root), trees


# -- commits and tags ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Commit:
    """The fields of a git commit object that the Hub exposes.

    Attributes:
        tree: id of the root tree.
        parents: ids of the parent commits (first parent first).
        author: author name (the Hub user name; ``admin`` for the admin token).
        email: author email.
        timestamp: seconds since the epoch (UTC).
        title: first line of the message.
        message: the rest of the message (the commit description).
    """

    tree: str
    parents: Tuple[str, ...]
    author: str
    email: str
    timestamp: int
    title: str
    message: str

    def serialize(self) -> bytes:
        """Encode as the body of a git commit object."""
        person = f"{self.author} <{self.email}> {self.timestamp} +0000"
        lines = [f"tree {self.tree}"]
        lines += [f"parent {parent}" for parent in self.parents]
        lines += [f"author {person}", f"committer {person}", "", self.title]
        if self.message:
            lines += ["", self.message]
        return ("\n".join(lines) + "\n").encode()

    @classmethod
    def parse(cls, data: bytes) -> Commit:
        """Decode the body of a git commit object."""
        text = data.decode()
        head, _, body = text.partition("\n\n")
        tree, parents, author, email, timestamp = "", [], "", "", 0
        for line in head.split("\n"):
            key, _, value = line.partition(" ")
            if key == "tree":
                tree = value
            elif key == "parent":
                parents.append(value)
            elif key == "author":
                match = re.match(r"^(.*) <(.*)> (\d+) [+-]\d{4}$", value)
                if match:
                    author, email, timestamp = match[1], match[2], int(match[3])
        body = body[:-1] if body.endswith("\n") else body
        title, _, message = body.partition("\n")
        return cls(tree, tuple(parents), author, email, timestamp, title, message.lstrip("\n"))


def serialize_tag(target: str, name: str, tagger: str, timestamp: int, message: str) -> bytes:
    """Encode an annotated tag object pointing at commit ``target``."""
    text = (
        f"object {target}\ntype commit\ntag {name}\n"
        f"tagger {tagger} <{tagger}@users.noreply.huggingface.co> {timestamp} +0000\n\n"
        f"{message}\n"
    )
    return text.encode()


# -- .gitattributes -----------------------------------------------------------------------


def _glob_to_regex(pattern: str) -> str:
    # Gitattributes globs: "*" and "?" stay inside one path component, "**" crosses them,
    # "[...]" classes (including [[:space:]]) as in fnmatch, "\x" escapes x.
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif char == "[":
            end = pattern.find("]", i + 2)
            if pattern.startswith("[[:space:]]", i):
                out.append(r"\s")
                i += len("[[:space:]]")
            elif end == -1:
                out.append(re.escape(char))
                i += 1
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


def _split_rule(line: str) -> Tuple[str, List[str]]:
    # The pattern ends at the first unescaped whitespace; attributes follow.
    match = re.match(r"^((?:\\.|[^\s\\])+)\s*(.*)$", line)
    if not match:
        return "", []
    return match[1], match[2].split()


def lfs_rules(gitattributes: str) -> List[Tuple[re.Pattern[str], bool]]:
    """Parse a ``.gitattributes`` into ``(path regex, is_lfs)`` rules, last rule wins.

    Only lines that say something about ``filter`` are kept: ``filter=lfs`` turns LFS
    on, ``-filter``, ``!filter`` or another filter value turns it off.
    """
    rules = []
    for raw in gitattributes.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, attributes = _split_rule(line)
        verdict: Optional[bool] = None
        for attribute in attributes:
            if attribute == "filter=lfs":
                verdict = True
            elif attribute in ("-filter", "!filter") or attribute.startswith("filter="):
                verdict = False
        if verdict is None or not pattern:
            continue
        anchored = "/" in pattern.rstrip("/")
        regex = _glob_to_regex(pattern.lstrip("/"))
        full = f"^{regex}$" if anchored else f"^(?:.*/)?{regex}$"
        rules.append((re.compile(full), verdict))
    return rules


def is_lfs_tracked(rules: List[Tuple[re.Pattern[str], bool]], path: str) -> bool:
    """Tell whether the last rule matching ``path`` sends it to LFS."""
    verdict = False
    for regex, is_lfs in rules:
        if regex.match(path):
            verdict = is_lfs
    return verdict


def escape_path_pattern(path: str) -> str:
    """Turn a literal path into a ``.gitattributes`` pattern matching exactly that path."""
    escaped = re.sub(r"([*?\[\]\\!#])", r"\\\1", path)
    return "/".join(part.replace(" ", "[[:space:]]") for part in escaped.split("/"))
