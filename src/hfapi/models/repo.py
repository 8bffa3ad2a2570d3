"""Repository data: info objects, file entries, and repo URLs."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from typing_extensions import TypedDict

from .. import constants
from ._fields import REQUIRED, Field, HubObject


class BlobLfsInfo(TypedDict, total=False):
    """LFS details of a file: content ``size``, ``sha256``, and git ``pointer_size``."""

    size: int
    sha256: str
    pointer_size: int


class RepoFile(HubObject):
    """One file of a repository.

    Attributes:
        rfilename: path of the file in the repo.
        size: size in bytes (of the content, for LFS files).
        blob_id: git blob id.
        lfs: LFS details, or ``None`` for a regular file.

    Example:
        >>> RepoFile("a.txt")
        RepoFile: {'blob_id': None, 'lfs': None, 'rfilename': 'a.txt', 'size': None}
    """

    rfilename: str
    size: Optional[int]
    blob_id: Optional[str]
    lfs: Optional[BlobLfsInfo]

    _positional = 4
    _fields = (
        Field("rfilename", "rfilename", REQUIRED, annotation="str"),
        Field("size", "size", None, annotation="Optional[int]"),
        Field("blobId", "blob_id", None, annotation="Optional[str]"),
        Field("lfs", "lfs", None, annotation="Optional[BlobLfsInfo]"),
    )


def repo_file_from_entry(entry: Dict[str, Any]) -> RepoFile:
    """Build a :class:`RepoFile` from a tree / paths-info entry.

    ``path``, ``size`` and ``oid`` are required; ``lfs`` becomes a
    :class:`BlobLfsInfo`; ``type`` is dropped; other keys become attributes.
    """
    extra = {k: v for k, v in entry.items() if k not in ("type", "path", "size", "oid", "lfs")}
    raw_lfs = entry.get("lfs")
    lfs: Optional[BlobLfsInfo] = None
    if raw_lfs is not None:
        lfs = BlobLfsInfo(
            size=raw_lfs["size"], sha256=raw_lfs["oid"], pointer_size=raw_lfs["pointerSize"]
        )
    return RepoFile(entry["path"], entry["size"], entry["oid"], lfs, **extra)


def _siblings(value: Optional[List[Dict[str, Any]]]) -> List[RepoFile]:
    return [RepoFile(**sibling) for sibling in value or []]


_SIBLINGS = Field("siblings", "siblings", None, _siblings, "Optional[List[Dict]]")


class ModelInfo(HubObject):
    """A model repository as the Hub describes it.

    Every key of the server's answer is an attribute; the ones below are always set.

    Attributes:
        modelId: the repo id.
        sha: commit id of the described revision.
        lastModified: date of the last commit (string, as sent).
        tags: tags of the model.
        pipeline_tag: the task, if known.
        siblings: the files, as :class:`RepoFile` objects.
        private: whether the repo is private.
        author: the owner.
        config: the model configuration summary.
        securityStatus: the security scan summary, when asked for.

    Example:
        >>> info = model_info("gpt2")
        >>> print(info)
        Model Name: gpt2, Tags: [...], Task: text-generation
    """

    modelId: Optional[str]
    sha: Optional[str]
    lastModified: Optional[str]
    tags: Optional[List[str]]
    pipeline_tag: Optional[str]
    siblings: List[RepoFile]
    private: bool
    author: Optional[str]
    config: Optional[Dict[str, Any]]
    securityStatus: Optional[Dict[str, Any]]

    _fields = (
        Field("modelId", "modelId", None, annotation="Optional[str]"),
        Field("sha", "sha", None, annotation="Optional[str]"),
        Field("lastModified", "lastModified", None, annotation="Optional[str]"),
        Field("tags", "tags", None, annotation="Optional[List[str]]"),
        Field("pipeline_tag", "pipeline_tag", None, annotation="Optional[str]"),
        _SIBLINGS,
        Field("private", "private", False, annotation="bool"),
        Field("author", "author", None, annotation="Optional[str]"),
        Field("config", "config", None, annotation="Optional[Dict]"),
        Field("securityStatus", "securityStatus", None, annotation="Optional[Dict]"),
    )

    def __str__(self) -> str:
        text = f"Model Name: {self.modelId}, Tags: {self.tags}"
        if self.pipeline_tag:
            text += f", Task: {self.pipeline_tag}"
        return text


class DatasetInfo(HubObject):
    """A dataset repository as the Hub describes it.

    Attributes:
        id: the repo id.
        sha: commit id of the described revision.
        lastModified: date of the last commit (string).
        tags: tags of the dataset.
        siblings: the files, as :class:`RepoFile` objects.
        private: whether the repo is private.
        author: the owner.
        description: the dataset's description.
        citation: how to cite it.
        cardData: metadata from the dataset card.

    Example:
        >>> print(dataset_info("squad"))
        Dataset Name: squad, Tags: [...]
    """

    id: Optional[str]
    sha: Optional[str]
    lastModified: Optional[str]
    tags: Optional[List[str]]
    siblings: List[RepoFile]
    private: bool
    author: Optional[str]
    description: Optional[str]
    citation: Optional[str]
    cardData: Optional[Dict[str, Any]]

    _dropped = ("key",)
    _fields = (
        Field("id", "id", None, annotation="Optional[str]"),
        Field("sha", "sha", None, annotation="Optional[str]"),
        Field("lastModified", "lastModified", None, annotation="Optional[str]"),
        Field("tags", "tags", None, annotation="Optional[List[str]]"),
        _SIBLINGS,
        Field("private", "private", False, annotation="bool"),
        Field("author", "author", None, annotation="Optional[str]"),
        Field("description", "description", None, annotation="Optional[str]"),
        Field("citation", "citation", None, annotation="Optional[str]"),
        Field("cardData", "cardData", None, annotation="Optional[dict]"),
    )

    def __str__(self) -> str:
        return f"Dataset Name: {self.id}, Tags: {self.tags}"


class SpaceInfo(HubObject):
    """A Space repository as the Hub describes it (``sdk``, ``runtime``... as attributes).

    Attributes:
        id: the repo id.
        sha: commit id of the described revision.
        lastModified: date of the last commit (string).
        siblings: the files, as :class:`RepoFile` objects.
        private: whether the repo is private.
        author: the owner.

    Example:
        >>> space_info("alice/demo").sdk
        'gradio'
    """

    id: Optional[str]
    sha: Optional[str]
    lastModified: Optional[str]
    siblings: List[RepoFile]
    private: bool
    author: Optional[str]

    _fields = (
        Field("id", "id", None, annotation="Optional[str]"),
        Field("sha", "sha", None, annotation="Optional[str]"),
        Field("lastModified", "lastModified", None, annotation="Optional[str]"),
        _SIBLINGS,
        Field("private", "private", False, annotation="bool"),
        Field("author", "author", None, annotation="Optional[str]"),
    )


# ---------------------------------------------------------------------------------------
# Repo references
# ---------------------------------------------------------------------------------------

_PLURAL_TYPES = {"datasets": "dataset", "spaces": "space", "models": "model"}


def repo_type_and_id_from_hf_id(
    hf_id: str, hub_url: Optional[str] = None
) -> Tuple[Optional[str], Optional[str], str]:
    """Split a repo URL or id into ``(repo_type, namespace, repo_name)``.

    Understands ``https://host/[datasets/|spaces/|models/]ns/name``, ``hf://...``
    and plain ids (``ns/name``, ``datasets/name``, ``dataset/ns/name``).

    Raises:
        ValueError: the string is not a repo reference.

    Example:
        >>> repo_type_and_id_from_hf_id("https://huggingface.co/datasets/alice/ds")
        ('dataset', 'alice', 'ds')
    """
    hub_url = hub_url or constants.ENDPOINT
    host = hub_url.replace("https://", "").replace("http://", "")
    is_url = host in hf_id and "@" not in hf_id
    original = hf_id
    if hf_id.startswith("hf://"):
        hf_id = hf_id[len("hf://") :]
    segments = hf_id.split("/")
    repo_type: Optional[str]
    if is_url:
        namespace: Optional[str]
        namespace, name = segments[-2], segments[-1]
        repo_type = None
        if namespace == host:
            namespace = None
        if len(segments) > 2 and host not in segments[-3]:
            repo_type = segments[-3]
        elif namespace in _PLURAL_TYPES:
            repo_type, namespace = namespace, None
    elif len(segments) == 3:
        repo_type, namespace, name = segments
    elif len(segments) == 2:
        if segments[0] in _PLURAL_TYPES:
            repo_type, namespace, name = segments[0], None, segments[1]
        else:
            repo_type, namespace, name = None, segments[0], segments[1]
    elif len(segments) == 1:
        repo_type, namespace, name = None, None, segments[0]
    else:
        raise ValueError(f"Unable to retrieve user and repo ID from the passed HF ID: {hf_id}")
    normalised = _PLURAL_TYPES.get(repo_type or "", repo_type) or None
    if normalised not in constants.REPO_TYPES:
        raise ValueError(f"Unknown `repo_type`: '{repo_type}' ('{original}')")
    return normalised, namespace, name


class RepoUrl(str):
    """The web URL of a repository: a ``str`` that also knows what it points to.

    Attributes:
        endpoint: the Hub the URL belongs to.
        namespace: owner (``None`` for canonical repos such as ``gpt2``).
        repo_name: name of the repo.
        repo_id: ``namespace/repo_name`` (or just the name).
        repo_type: ``"model"``, ``"dataset"`` or ``"space"``.
        url: the URL as a plain string.

    Example:
        >>> url = RepoUrl("https://huggingface.co/datasets/alice/ds")
        >>> url.repo_id, url.repo_type
        ('alice/ds', 'dataset')
    """

    endpoint: str
    namespace: Optional[str]
    repo_name: str
    repo_id: str
    repo_type: Optional[str]
    url: str

    def __new__(cls, url: Any, endpoint: Optional[str] = None) -> "RepoUrl":
        return super().__new__(cls, url)

    def __init__(self, url: Any, endpoint: Optional[str] = None) -> None:
        super().__init__()
        self.endpoint = endpoint or constants.ENDPOINT
        repo_type, namespace, repo_name = repo_type_and_id_from_hf_id(self, hub_url=self.endpoint)
        self.namespace = namespace
        self.repo_name = repo_name
        self.repo_id = repo_name if namespace is None else f"{namespace}/{repo_name}"
        self.repo_type = repo_type or constants.REPO_TYPE_MODEL
        self.url = str(self)

    def __repr__(self) -> str:
        return (
            f"RepoUrl('{self}', endpoint='{self.endpoint}', repo_type='{self.repo_type}',"
            f" repo_id='{self.repo_id}')"
        )
