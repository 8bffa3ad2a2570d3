"""Reading repositories: repo/model/dataset/space info and file listings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Union

from .. import constants
from .._validators import validate_hub_args
from ._base import _ApiBase
from ._docs import with_shared_docs

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from ..models import DatasetInfo, ModelInfo, RepoFile, SpaceInfo


class FilesMixin(_ApiBase):
    """Repository reading methods of :class:`hfapi.HfApi`."""

    def _info(
        self,
        repo_type: str,
        repo_id: str,
        *,
        revision: Optional[str],
        timeout: Optional[float],
        files_metadata: bool,
        token: Optional[Union[bool, str]],
        security_status: Optional[bool] = None,
    ) -> Any:
        from ..models import DatasetInfo, ModelInfo, SpaceInfo

        info_classes = {"model": ModelInfo, "dataset": DatasetInfo, "space": SpaceInfo}
        segments = () if revision is None else ("revision", self._quote(revision))
        params: Dict[str, bool] = {}
        if security_status:
            params["securityStatus"] = True
        if files_metadata:
            params["blobs"] = True
        response = self._request(
            "GET",
            self._repo_api_url(repo_id, repo_type, *segments),
            token=token,
            params=params,
            timeout=self._call_timeout(timeout),
        )
        return info_classes[repo_type](**response.json())

    @validate_hub_args
    @with_shared_docs
    def model_info(
        self,
        repo_id: str,
        *,
        revision: Optional[str] = None,
        timeout: Optional[float] = None,
        securityStatus: Optional[bool] = None,
        files_metadata: bool = False,
        token: Optional[Union[bool, str]] = None,
    ) -> ModelInfo:
        """Describe a model repository.

        Args:
            {repo_id}
            {revision}
            {timeout}
            securityStatus (`bool`, *optional*): include the security scan summary.
            files_metadata (`bool`, *optional*): include size, blob id and LFS details
                of every file in ``siblings``.
            {token}

        Returns:
            :class:`ModelInfo`.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> model_info("gpt2").sha
        """
        info: ModelInfo = self._info(
            "model",
            repo_id,
            revision=revision,
            timeout=timeout,
            files_metadata=files_metadata,
            token=token,
            security_status=securityStatus,
        )
        return info

    @validate_hub_args
    @with_shared_docs
    def dataset_info(
        self,
        repo_id: str,
        *,
        revision: Optional[str] = None,
        timeout: Optional[float] = None,
        files_metadata: bool = False,
        token: Optional[Union[bool, str]] = None,
    ) -> DatasetInfo:
        """Describe a dataset repository.

        Args:
            {repo_id}
            {revision}
            {timeout}
            files_metadata (`bool`, *optional*): include file sizes, blob ids, LFS details.
            {token}

        Returns:
            :class:`DatasetInfo`.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> dataset_info("squad").id
            'squad'
        """
        info: DatasetInfo = self._info(
            "dataset",
            repo_id,
            revision=revision,
            timeout=timeout,
            files_metadata=files_metadata,
            token=token,
        )
        return info

    @validate_hub_args
    @with_shared_docs
    def space_info(
        self,
        repo_id: str,
        *,
        revision: Optional[str] = None,
        timeout: Optional[float] = None,
        files_metadata: bool = False,
        token: Optional[Union[bool, str]] = None,
    ) -> SpaceInfo:
        """Describe a Space repository.

        Args:
            {repo_id}
            {revision}
            {timeout}
            files_metadata (`bool`, *optional*): include file sizes, blob ids, LFS details.
            {token}

        Returns:
            :class:`SpaceInfo`.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> space_info("alice/demo").sdk
        """
        info: SpaceInfo = self._info(
            "space",
            repo_id,
            revision=revision,
            timeout=timeout,
            files_metadata=files_metadata,
            token=token,
        )
        return info

    @validate_hub_args
    @with_shared_docs
    def repo_info(
        self,
        repo_id: str,
        *,
        revision: Optional[str] = None,
        repo_type: Optional[str] = None,
        timeout: Optional[float] = None,
        files_metadata: bool = False,
        token: Optional[Union[bool, str]] = None,
    ) -> Union[ModelInfo, DatasetInfo, SpaceInfo]:
        """Describe a repository of any type.

        Args:
            {repo_id}
            {revision}
            {repo_type}
            {timeout}
            files_metadata (`bool`, *optional*): include file sizes, blob ids, LFS details.
            {token}

        Returns:
            :class:`ModelInfo`, :class:`DatasetInfo` or :class:`SpaceInfo`.

        Raises:
            ValueError: unknown ``repo_type``.
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> repo_info("squad", repo_type="dataset").id
            'squad'
        """
        kind = self._checked_repo_type(repo_type, "Unsupported repo type.")
        info: Union[ModelInfo, DatasetInfo, SpaceInfo] = self._info(
            kind,
            repo_id,
            revision=revision,
            timeout=timeout,
            files_metadata=files_metadata,
            token=token,
        )
        return info

    @validate_hub_args
    @with_shared_docs
    def list_files_info(
        self,
        repo_id: str,
        paths: Union[List[str], str, None] = None,
        *,
        expand: bool = False,
        revision: Optional[str] = None,
        repo_type: Optional[str] = None,
        token: Optional[Union[bool, str]] = None,
    ) -> Iterable[RepoFile]:
        """Iterate over files of a repository, with their size, blob id and LFS details.

        Lazy: nothing is sent before the first file is asked for. Folders among
        ``paths`` are listed recursively.

        Args:
            {repo_id}
            paths (`str` or `List[str]`, *optional*): files or folders to describe; the
                whole repository when ``None``. Unknown paths are skipped.
            expand (`bool`, *optional*): also fetch each file's last commit and security
                status (slower).
            {revision}
            {repo_type}
            {token}

        Returns:
            An iterator of :class:`RepoFile`.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> [f.rfilename for f in list_files_info("gpt2", paths=["config.json"])]
            ['config.json']
        """
        return self._iter_files(repo_id, paths, expand, revision, repo_type, token)

    def _iter_files(
        self,
        repo_id: str,
        paths: Union[List[str], str, None],
        expand: bool,
        revision: Optional[str],
        repo_type: Optional[str],
        token: Optional[Union[bool, str]],
    ) -> Iterator[RepoFile]:
        from ..models import repo_file_from_entry

        rev = self._quote(revision or constants.DEFAULT_REVISION)
        folders: List[str] = []
        if paths is None:
            folders.append("")
        else:
            wanted = [paths] if isinstance(paths, str) else list(paths)
            if wanted:
                form = [("paths", path) for path in wanted] + [("expand", True)]
                response = self._request(
                    "POST",
                    self._repo_api_url(repo_id, repo_type, "paths-info", rev),
                    token=token,
                    data=form,
                    retry=True,  # a read, despite the POST
                )
                for entry in response.json():
                    if entry["type"] == "file":
                        yield repo_file_from_entry(entry)
                    else:
                        folders.append(entry["path"])
        for folder in folders:
            segments = (rev, self._quote(folder)) if folder else (rev,)
            listing = self._paginate(
                self._repo_api_url(repo_id, repo_type, "tree", *segments),
                token=token,
                params={"recursive": True, "expand": expand},
            )
            for entry in listing:
                if entry["type"] == "file":
                    yield repo_file_from_entry(entry)

    @validate_hub_args
    @with_shared_docs
    def list_repo_files(
        self,
        repo_id: str,
        *,
        revision: Optional[str] = None,
        repo_type: Optional[str] = None,
        timeout: Optional[float] = None,
        token: Optional[Union[bool, str]] = None,
    ) -> List[str]:
        """List the paths of every file in a repository.

        Args:
            {repo_id}
            {revision}
            {repo_type}
            {timeout}
            {token}

        Returns:
            `List[str]`: file paths, folders excluded.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> list_repo_files("gpt2")
            ['.gitattributes', 'README.md', 'config.json', ...]
        """
        rev = self._quote(revision or constants.DEFAULT_REVISION)
        listing = self._paginate(
            self._repo_api_url(repo_id, repo_type, "tree", rev),
            token=token,
            params={"recursive": True, "expand": False},
            timeout=self._call_timeout(timeout),
        )
        return [entry["path"] for entry in listing if entry["type"] == "file"]
