"""Managing Spaces: secrets, runtime, hardware, sleep time, pause and restart, duplication."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Dict, Optional

from .. import constants
from .._validators import check_str, validate_hub_args
from ..auth import require_write_token
from ..errors import HfHubHTTPError
from ._base import _ApiBase
from ._docs import with_shared_docs
from .repos import _check_bool, _split_repo_id

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from ..models import RepoUrl, SpaceHardware, SpaceRuntime

#: Said when a sleep time is asked for a Space on free hardware: the Hub accepts the
#: request but keeps its fixed sleep time there.
_FREE_HARDWARE_SLEEP_WARNING = (
    "Spaces on free hardware ('cpu-basic') always go to sleep after 48 hours of inactivity:"
    " their sleep time cannot be changed. Request upgraded hardware to choose it."
    " See https://huggingface.co/docs/hub/spaces-gpus#sleep-time."
)


def _check_name(name: str, value: Any) -> str:
    """Return ``value`` if it is a non-empty ``str`` (a secret key, a hardware name).

    Raises:
        TypeError: not a ``str``.
        ValueError: empty.
    """
    check_str(name, value)
    if not value:
        raise ValueError(f"`{name}` must not be empty.")
    # A str Enum member (``SpaceHardware.T4_SMALL``) is sent as its plain value.
    return str(getattr(value, "value", value))


def _check_sleep_time(value: Any, *, optional: bool = False) -> None:
    """Raise ``TypeError`` unless ``value`` is an ``int`` (not a ``bool``), or ``None``
    when optional: the Hub takes whole seconds, ``-1`` meaning "never sleep"."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"`sleep_time` must be an int, not {type(value).__name__}.")


def _duplicate_url(response: Any, fallback: str) -> str:
    """The new Space's URL from a duplication answer (or from a 409 for an existing
    target: a ``requests.Response``), else ``fallback``: a conflict answer need not
    carry it."""
    try:
        data = response.json()
    except ValueError:
        return fallback
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, str) else fallback


class SpacesMixin(_ApiBase):
    """Space management methods of :class:`hfapi.HfApi`."""

    def _space_call(
        self,
        method: str,
        repo_id: str,
        resource: str,
        *,
        token: Optional[str],
        body: Optional[Dict[str, Any]] = None,
    ) -> Any:
        """``{method} {endpoint}/api/spaces/{repo_id}/{resource}``, with ``body`` as JSON
        or no body at all when ``None``; returns the ``requests.Response``."""
        url = self._repo_api_url(repo_id, constants.REPO_TYPE_SPACE, resource)
        return self._request(method, url, token=token, json=body)

    # -- secrets -------------------------------------------------------------------------

    @validate_hub_args
    @with_shared_docs
    def add_space_secret(
        self, repo_id: str, key: str, value: str, *, token: Optional[str] = None
    ) -> None:
        """Add a secret to a Space, or change the value of an existing one.

        The app sees secrets as environment variables; the Hub restarts it to apply
        the change. See https://huggingface.co/docs/hub/spaces-overview#managing-secrets.

        Args:
            {repo_id}
            key (`str`): the secret's name, e.g. ``"GITHUB_API_KEY"``.
            value (`str`): its value (never shown in errors or logs).
            {token}

        Raises:
            TypeError: ``key`` or ``value`` is not a ``str``.
            ValueError: ``key`` is empty.
            RepositoryNotFoundError: the Space does not exist or is not visible.

        Example:
            >>> add_space_secret("alice/demo", "GITHUB_API_KEY", "ghp_xxx")
        """
        secret = _check_name("key", key)
        check_str("value", value)
        self._space_call(
            "POST", repo_id, "secrets", token=token, body={"key": secret, "value": value}
        )

    @validate_hub_args
    @with_shared_docs
    def delete_space_secret(self, repo_id: str, key: str, *, token: Optional[str] = None) -> None:
        """Remove a secret from a Space (a key that does not exist is not an error).

        Args:
            {repo_id}
            key (`str`): the secret's name.
            {token}

        Raises:
            TypeError: ``key`` is not a ``str``.
            ValueError: ``key`` is empty.
            RepositoryNotFoundError: the Space does not exist or is not visible.

        Example:
            >>> delete_space_secret("alice/demo", "GITHUB_API_KEY")
        """
        secret = _check_name("key", key)
        self._space_call("DELETE", repo_id, "secrets", token=token, body={"key": secret})

    # -- runtime -------------------------------------------------------------------------

    @validate_hub_args
    @with_shared_docs
    def get_space_runtime(self, repo_id: str, *, token: Optional[str] = None) -> SpaceRuntime:
        """Read the runtime state of a Space: stage, hardware, sleep time.

        Args:
            {repo_id}
            {token}

        Returns:
            :class:`SpaceRuntime`.

        Raises:
            RepositoryNotFoundError: the Space does not exist or is not visible.

        Example:
            >>> get_space_runtime("alice/demo").stage
            'RUNNING'
        """
        from ..models import SpaceRuntime

        return SpaceRuntime(self._space_call("GET", repo_id, "runtime", token=token).json())

    @validate_hub_args
    @with_shared_docs
    def request_space_hardware(
        self,
        repo_id: str,
        hardware: SpaceHardware,
        *,
        token: Optional[str] = None,
        sleep_time: Optional[int] = None,
    ) -> SpaceRuntime:
        """Ask for other hardware for a Space (upgraded hardware is billed).

        The switch is not immediate: the answer's ``requested_hardware`` names the new
        hardware while ``hardware`` may still be the old one. Hardware can also be
        chosen at creation (``create_repo(..., space_hardware=...)``).

        Args:
            {repo_id}
            hardware (`str` or `SpaceHardware`): e.g. ``"t4-medium"``; names the client
                does not know are sent as given.
            {token}
            sleep_time (`int`, *optional*): seconds of inactivity before the Space
                sleeps; ``-1`` for never. Free hardware (``cpu-basic``) has a fixed
                sleep time of 48 hours: a value given for it only warns.

        Returns:
            :class:`SpaceRuntime` after the request.

        Raises:
            TypeError: ``hardware`` is not a ``str`` or ``sleep_time`` not an ``int``.
            ValueError: ``hardware`` is empty.
            RepositoryNotFoundError: the Space does not exist or is not visible.

        Example:
            >>> request_space_hardware("alice/demo", SpaceHardware.T4_SMALL).requested_hardware
            't4-small'
        """
        from ..models import SpaceHardware, SpaceRuntime

        flavor = _check_name("hardware", hardware)
        _check_sleep_time(sleep_time, optional=True)
        if sleep_time is not None and flavor == SpaceHardware.CPU_BASIC:
            warnings.warn(_FREE_HARDWARE_SLEEP_WARNING, UserWarning, stacklevel=3)
        body: Dict[str, Any] = {"flavor": flavor}
        if sleep_time is not None:
            body["sleepTimeSeconds"] = sleep_time
        response = self._space_call("POST", repo_id, "hardware", token=token, body=body)
        return SpaceRuntime(response.json())

    @validate_hub_args
    @with_shared_docs
    def set_space_sleep_time(
        self, repo_id: str, sleep_time: int, *, token: Optional[str] = None
    ) -> SpaceRuntime:
        """Choose how long a Space on upgraded hardware stays up without visitors.

        A sleeping Space is not billed and wakes up at the next visit. Free hardware
        (``cpu-basic``) keeps its fixed 48 hours: the call then warns.

        Args:
            {repo_id}
            sleep_time (`int`): seconds of inactivity before the Space sleeps; ``-1``
                for never.
            {token}

        Returns:
            :class:`SpaceRuntime` after the change.

        Raises:
            TypeError: ``sleep_time`` is not an ``int``.
            RepositoryNotFoundError: the Space does not exist or is not visible.

        Example:
            >>> set_space_sleep_time("alice/demo", 3600).sleep_time
            3600
        """
        from ..models import SpaceHardware, SpaceRuntime

        _check_sleep_time(sleep_time)
        body = {"seconds": sleep_time}
        response = self._space_call("POST", repo_id, "sleeptime", token=token, body=body)
        runtime = SpaceRuntime(response.json())
        # The hardware being switched to decides, else the current one.
        if (runtime.requested_hardware or runtime.hardware) == SpaceHardware.CPU_BASIC:
            warnings.warn(_FREE_HARDWARE_SLEEP_WARNING, UserWarning, stacklevel=3)
        return runtime

    @validate_hub_args
    @with_shared_docs
    def pause_space(self, repo_id: str, *, token: Optional[str] = None) -> SpaceRuntime:
        """Stop a Space until its owner restarts it (a paused Space is not billed).

        Unlike sleeping, a paused Space does not wake up for visitors; use
        :meth:`restart_space` to run it again.

        Args:
            {repo_id}
            {token}

        Returns:
            :class:`SpaceRuntime`, with stage ``PAUSED``.

        Raises:
            RepositoryNotFoundError: the Space does not exist or is not visible.
            HfHubHTTPError: 403, only the owner may pause it.
            BadRequestError: a static Space, which cannot be paused.

        Example:
            >>> pause_space("alice/demo").stage
            'PAUSED'
        """
        from ..models import SpaceRuntime

        return SpaceRuntime(self._space_call("POST", repo_id, "pause", token=token).json())

    @validate_hub_args
    @with_shared_docs
    def restart_space(self, repo_id: str, *, token: Optional[str] = None) -> SpaceRuntime:
        """Restart a Space, whatever its stage (the way to resume a paused one).

        On upgraded hardware, billing resumes at once.

        Args:
            {repo_id}
            {token}

        Returns:
            :class:`SpaceRuntime`, usually with stage ``BUILDING`` or ``RUNNING_BUILDING``.

        Raises:
            RepositoryNotFoundError: the Space does not exist or is not visible.
            HfHubHTTPError: 403, only the owner may restart it.
            BadRequestError: a static Space, which cannot be restarted.

        Example:
            >>> restart_space("alice/demo").stage
            'BUILDING'
        """
        from ..models import SpaceRuntime

        return SpaceRuntime(self._space_call("POST", repo_id, "restart", token=token).json())

    # -- duplication ---------------------------------------------------------------------

    @validate_hub_args
    @with_shared_docs
    def duplicate_space(
        self,
        from_id: str,
        to_id: Optional[str] = None,
        *,
        private: Optional[bool] = None,
        token: Optional[str] = None,
        exist_ok: bool = False,
    ) -> RepoUrl:
        """Copy a Space (files, settings, running or paused state) to a new Space.

        Args:
            from_id (`str`): the Space to copy, e.g. ``"pharma/CLIP-Interrogator"``.
            to_id (`str`, *optional*): the new Space's id. Without a namespace it goes to
                the token owner's; without ``to_id``, it has the source's name there.
            private (`bool`, *optional*): visibility of the copy; the source's by default.
            {token}
            exist_ok (`bool`, *optional*): return the URL of an existing target instead
                of failing.

        Returns:
            :class:`RepoUrl` of the new Space.

        Raises:
            ValueError: no personal (write) token.
            TypeError: ``private`` or ``exist_ok`` is not a ``bool``.
            RepositoryNotFoundError: the source does not exist or is not visible.
            HfHubHTTPError: the target exists (409) and ``exist_ok`` is false.

        Example:
            >>> duplicate_space("multimodalart/dreambooth-training", "my-dreambooth")
            RepoUrl('https://huggingface.co/spaces/alice/my-dreambooth', ...)
        """
        from ..models import RepoUrl

        if private is not None:
            _check_bool("private", private)
        _check_bool("exist_ok", exist_ok)
        resolved = require_write_token(self._resolve_token(token))
        target = self._duplicate_target(from_id, to_id, resolved)
        body: Dict[str, Any] = {"repository": target}
        if private is not None:
            body["private"] = private
        url = self._repo_api_url(from_id, constants.REPO_TYPE_SPACE, "duplicate")
        try:
            response = self._request("POST", url, token=resolved, write=True, json=body)
        except HfHubHTTPError as err:
            if not (exist_ok and err.response is not None and err.response.status_code == 409):
                raise
            response = err.response
        fallback = self._web_url(target, constants.REPO_TYPE_SPACE)
        return RepoUrl(_duplicate_url(response, fallback), endpoint=self.endpoint)

    def _duplicate_target(self, from_id: str, to_id: Optional[str], token: str) -> str:
        """``namespace/name`` of a copy: ``to_id``'s parts, else the token owner's
        namespace (asked with ``whoami``) and the source's name."""
        namespace, name = _split_repo_id(to_id) if to_id is not None else (None, "")
        if not name:
            name = _split_repo_id(from_id)[1]
        if namespace is None:
            namespace = str(self._whoami(token)["name"])
        return f"{namespace}/{name}"
