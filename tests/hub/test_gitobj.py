"""Git object ids, LFS pointers and .gitattributes rules (doc 02 Appendix A)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from hfapi.hub.backend import gitobj


def test_blob_ids_match_appendix_a() -> None:
    assert gitobj.blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert gitobj.blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert hashlib.sha256(b"hello\n").hexdigest() == (
        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
    )
    assert base64.b64encode(b"hello\n") == b"aGVsbG8K"


def test_lfs_pointer_matches_appendix_a() -> None:
    sha = "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"
    assert hashlib.sha256(b"x" * 120).hexdigest() == sha
    pointer = gitobj.lfs_pointer(sha, 120)
    assert pointer == (
        b"version https://git-lfs.github.com/spec/v1\noid sha256:" + sha.encode() + b"\nsize 120\n"
    )
    assert len(pointer) == 128
    assert gitobj.blob_id(pointer) == "67b85403189d5334b2beea11e4ba1da52a821023"


def test_trees_and_commits_hash_like_git() -> None:
    # Reference ids produced once with `git write-tree` / `git commit-tree`.
    files = {
        "a/hello.txt": gitobj.blob_id(b"hello\n"),
        "b.bin": gitobj.blob_id(b"x"),
        "a.txt": gitobj.blob_id(b"top"),
    }
    root, trees = gitobj.build_trees(files)
    assert root == "9a87ff9d0244c33661c1cf73f5bed362a3fc6267"
    assert "aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7" in trees
    # "a.txt" sorts before the folder "a" in git's order ("a/" > "a.txt").
    assert [name for _, name, _ in gitobj.parse_tree(trees[root])] == ["a.txt", "a", "b.bin"]
    commit = gitobj.Commit(
        root, (), "alice", "alice@x", 1700000000, "Add files", "Some description"
    )
    assert gitobj.object_id("commit", commit.serialize()) == (
        "f3eeeb7acee1e86b6dda02ddc8bcaaeea3018792"
    )
    assert gitobj.Commit.parse(commit.serialize()) == commit
    assert gitobj.build_trees({})[0] == "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def test_file_and_folder_with_same_path_is_refused() -> None:
    with pytest.raises(ValueError, match="folder"):
        gitobj.build_trees({"a": "0" * 40, "a/b": "1" * 40})


def test_default_gitattributes_is_the_hubs() -> None:
    # Same blob id as the .gitattributes of repos created on huggingface.co.
    blob = gitobj.blob_id(gitobj.DEFAULT_GITATTRIBUTES.encode())
    assert blob == "a6344aac8c09253b3b630fb776ae94478aa0275b"


@pytest.mark.parametrize(
    ("path", "tracked"),
    [
        ("model.bin", True),
        ("deep/dir/model.safetensors", True),
        ("data.tar.gz", True),
        ("saved_model/variables/x", True),
        ("saved_model/x", True),
        ("saved_modelx/y", False),
        ("events.out.tfevents.123", True),
        ("README.md", False),
        ("model.binx", False),
    ],
)
def test_default_lfs_rules(path: str, tracked: bool) -> None:
    rules = gitobj.lfs_rules(gitobj.DEFAULT_GITATTRIBUTES)
    assert gitobj.is_lfs_tracked(rules, path) is tracked


def test_rules_last_match_wins_and_anchoring() -> None:
    text = "*.png filter=lfs diff=lfs merge=lfs -text\nkeep.png -filter\n/root.txt filter=lfs\n"
    rules = gitobj.lfs_rules(text)
    assert gitobj.is_lfs_tracked(rules, "img/a.png")
    assert not gitobj.is_lfs_tracked(rules, "img/keep.png")
    assert gitobj.is_lfs_tracked(rules, "root.txt")
    assert not gitobj.is_lfs_tracked(rules, "sub/root.txt")


def test_escaped_path_patterns_match_only_that_path() -> None:
    for path in ("dir/my file [1].txt", "a*b?.txt", "#hash.txt"):
        pattern = gitobj.escape_path_pattern(path)
        rules = gitobj.lfs_rules(f"{pattern} {gitobj.LFS_RULE_SUFFIX}\n")
        assert gitobj.is_lfs_tracked(rules, path), pattern
        assert not gitobj.is_lfs_tracked(rules, path.replace(".txt", ".md"))
