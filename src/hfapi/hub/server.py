"""The local Hub server: :class:`LocalHub` and the socket <-> core translation.

Example:
    >>> from hfapi.hub import LocalHub
    >>> with LocalHub() as hub:
    ...     token = hub.add_user("alice")
    ...     # point any Hub client at hub.url with that token
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any, Dict, Iterable, Mapping, Optional, Set, Tuple, Union

from .app import HubApp, error_response, request_id_for
from .backend import DEFAULT_USER, Backend
from .backend.repos import split_repo_id
from .errors import HubError
from .faults import KINDS as FAULT_KINDS
from .faults import RESET_HEADER, FaultPlan
from .limits import MAX_CONTENT_LENGTH, parse_int
from .netem import Clock, NetworkEmulator, Sleep
from .request_body import BodyReader
from .settings import HubSettings
from .storage import BLOCK_SIZE, Storage
from .wire import Headers, Response

logger = logging.getLogger("hfapi.hub")

#: Unread request bytes we are willing to discard to keep a connection alive.
_DRAIN_LIMIT = 256 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    """Turns one HTTP exchange into a call of :meth:`HubApp.handle` and back."""

    protocol_version = "HTTP/1.1"
    # Without this, each keep-alive request waits ~40 ms for a delayed ACK.
    disable_nagle_algorithm = True
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 300
    server: _Server

    def setup(self) -> None:
        super().setup()
        # One connection per handler: its emulated link and whether it is still fresh.
        self._pacer = self.server.netem.pacer()
        self._fresh_connection = True

    def _serve(self) -> None:
        started = time.perf_counter()
        self.server.netem.before_request(self._fresh_connection)
        self._fresh_connection = False
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        try:
            length = parse_int(
                self.headers.get("Content-Length") or "0",
                "Content-Length",
                MAX_CONTENT_LENGTH,
                too_large_status=413,
            )
        except HubError as error:
            # The body cannot be skipped without knowing its length: answer, then hang up.
            self._refuse(error, self.headers.items(), started)
            return
        reader = BodyReader(self.rfile, length, chunked, self._pacer)
        body = io.BufferedReader(reader, BLOCK_SIZE)
        response = self.server.app.handle(self.command, self.path, self.headers.items(), body)
        self._respond(response, started)
        if response.header(RESET_HEADER) is not None:
            return  # the connection is being reset: nothing more to read
        try:
            self._drain(body)
        except HubError:
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve

    def _respond(self, response: Response, started: float) -> None:
        sent = 0
        try:
            if response.header(RESET_HEADER) is not None:
                self._reset(response)
            else:
                sent = self._send(response)
        finally:
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %s %d %d bytes %.1f ms request_id=%s",
                    getattr(self, "command", None) or "-",  # unset for a garbled request line
                    _loggable_path(getattr(self, "path", None) or "-"),
                    response.status,
                    sent,
                    (time.perf_counter() - started) * 1000,
                    response.header("X-Request-Id") or "-",
                )

    def _refuse(
        self,
        error: HubError,
        headers: Iterable[Tuple[str, str]] = (),
        started: Optional[float] = None,
    ) -> None:
        """Answer an error found before the core ran, and close the connection."""
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            # An unparsable request line leaves the 0.9 default, which means "no status
            # line": answer with one anyway, every client today speaks HTTP/1.x.
            self.request_version = self.protocol_version
        response = error_response(error)
        assert isinstance(response.body, bytes)
        request_id = request_id_for(Headers(headers))
        response.headers += [("X-Request-Id", request_id), ("Connection", "close")]
        if getattr(self, "command", None) == "HEAD":
            response.headers.append(("Content-Length", str(len(response.body))))
            response.body = b""
        self._respond(response, time.perf_counter() if started is None else started)

    def send_error(
        self, code: int, message: Optional[str] = None, explain: Optional[str] = None
    ) -> None:
        """Answer http.server's own refusals (bad request line, huge headers) as the Hub does."""
        self.log_error("code %d, message %s", code, message)
        # The request's headers were not (fully) parsed: the request id is a new one.
        reason = message or self.responses.get(code, ("Error",))[0]
        self._refuse(HubError(code, reason))

    def _send(self, response: Response) -> int:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.header("Content-Length") is None:
            assert isinstance(response.body, bytes), "streamed bodies must set Content-Length"
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if isinstance(response.body, bytes):
            self._pacer.transfer(len(response.body))
            self.wfile.write(response.body)
            return len(response.body)
        sent = 0
        for block in response.body:
            self._pacer.transfer(len(block))
            self.wfile.write(block)
            sent += len(block)
        return sent

    def _reset(self, response: Response) -> None:
        # An injected fault: drop the connection without a word. Linger 0 makes the close
        # a TCP reset, as a crashed proxy or a cut network would produce.
        close = getattr(response.body, "close", None)
        if close is not None:
            close()
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _drain(self, body: IO[bytes]) -> None:
        # Unread body bytes would be taken for the next request: read them, or give up
        # the connection when there are too many.
        drained = 0
        while drained <= _DRAIN_LIMIT:
            block = body.read(BLOCK_SIZE)
            if not block:
                return
            drained += len(block)
        self.close_connection = True

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        pass  # replaced by the access log of _respond, which leaves out query strings

    def log_message(self, format: str, *args: Any) -> None:
        # Protocol errors quote the raw request line: keep its credentials out.
        logger.debug("%s - %s", self.address_string(), _redact(format % args))


#: One line per request at INFO: method, path (no query), status, bytes, ms, request id.
access_logger = logging.getLogger("hfapi.hub.access")

# LFS upload and download tickets are credentials carried in the path; tokens may be
# anywhere in a raw line.
_TICKET = re.compile(r"(/_hub/lfs/(?:upload|download)/)[^/\s?]+")
_SECRET = re.compile(r"\b(hf_|api_org_)\w+")


def _loggable_path(raw: str) -> str:
    """The request path without its query string and without LFS tickets."""
    return _TICKET.sub(r"\1<ticket>", raw.partition("?")[0])


def _redact(text: str) -> str:
    """``text`` with query strings, upload tickets and token-like words hidden."""
    text = re.sub(r"\?\S*", "?<query>", text)
    return _SECRET.sub(r"\1<redacted>", _TICKET.sub(r"\1<ticket>", text))


class _Server(ThreadingHTTPServer):
    """Threaded server that can cut its open keep-alive connections on shutdown."""

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default listen backlog of 5 resets connections when many clients
    # connect at once (parallel uploads); the kernel caps this at somaxconn anyway.
    request_queue_size = 1024

    def __init__(self, address: Tuple[str, int], app: HubApp, netem: NetworkEmulator) -> None:
        self.app = app
        self.netem = netem
        self._connections: Set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open connection so that handler threads exit."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("Connection error from %s", client_address, exc_info=True)


class LocalHub:
    """A Hub-compatible HTTP server on loopback, with real storage.

    Args:
        host: interface to bind (default loopback only).
        port: TCP port; ``0`` picks a free one.
        data_dir: directory keeping the state across restarts; ``None`` uses a
            temporary directory deleted by :meth:`stop`.
        config: users, organisations, tokens, settings and repos to create at start
            (a dict, or the path of a JSON file; see ``Backend.apply_config``).
        default_user: user created at start-up with a write token (:attr:`token`).
        admin_token: fixed admin token (default: stored in ``data_dir`` or random).
        fsync: force or skip fsync of written data (default: only with ``data_dir``).
        sleep: how the network emulation waits (default :func:`time.sleep`); tests pass
            a recorder so as not to wait (see :mod:`hfapi.hub.netem`).
        clock: the network emulation's time source (default :func:`time.monotonic`).
        **settings: knobs of :class:`~hfapi.hub.settings.HubSettings`, e.g.
            ``lfs_multipart_threshold=100, lfs_chunk_size=50, tree_page_size=10``.

    Raises:
        ValueError: an unknown or invalid setting.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
        config: Optional[Union[Mapping[str, Any], str, "os.PathLike[str]"]] = None,
        *,
        default_user: str = DEFAULT_USER,
        admin_token: Optional[str] = None,
        fsync: Optional[bool] = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        **settings: int,
    ) -> None:
        self.host = host
        self.port = port
        self.data_dir = None if data_dir is None else os.fspath(data_dir)
        if config is None or isinstance(config, Mapping):
            self._config = config
        else:
            with open(os.fspath(config), encoding="utf-8") as handle:
                self._config = json.load(handle)
        self.default_user = default_user
        self._admin_token = admin_token
        self._fsync = fsync
        self.settings = HubSettings()
        self.settings.update(settings)
        self._netem = NetworkEmulator(self.settings, sleep, clock)
        self._storage: Optional[Storage] = None
        self._backend: Optional[Backend] = None
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> LocalHub:
        """Open the storage, bind the socket and serve in a background thread.

        Returns:
            The hub itself (so ``hub = LocalHub().start()`` works).

        Raises:
            RuntimeError: already started.
            OSError: the address cannot be bound.
        """
        if self._server is not None:
            raise RuntimeError("This LocalHub is already running")
        self._storage = Storage(self.data_dir, fsync=self._fsync)
        try:
            self._backend = Backend(
                self._storage, self.settings, self.default_user, self._admin_token, self._config
            )
            app = HubApp(self._backend)
            self._server = _Server((self.host, self.port), app, self._netem)
        except BaseException:
            self._storage.close()
            self._storage = self._backend = None
            raise
        self.port = self._server.server_address[1]
        app.default_base_url = self.url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"LocalHub:{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("Local Hub serving on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the storage (idempotent)."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._storage is not None:
            self._storage.close()
            self._storage = self._backend = None

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is serving."""
        return self._server is not None

    @property
    def backend(self) -> Backend:
        """The state (for in-process inspection).

        Raises:
            RuntimeError: the hub is not running.
        """
        if self._backend is None:
            raise RuntimeError("The LocalHub is not running: call start() first")
        return self._backend

    # -- addresses and credentials ----------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL clients must use, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def token(self) -> str:
        """Write token of the default user."""
        return self.backend.default_token

    @property
    def admin_token(self) -> str:
        """Token for the admin routes (``/_hub/...``); may also do anything else."""
        return self.backend.admin_token

    # -- accounts ---------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        *,
        fullname: Optional[str] = None,
        email: Optional[str] = None,
        role: str = "write",
    ) -> str:
        """Create a user and return a new token for it with ``role`` (``read``/``write``)."""
        self.backend.identity.add_user(name, fullname, email)
        return self.backend.identity.add_token(name, role)

    def add_token(self, user: str, role: str = "read", display_name: Optional[str] = None) -> str:
        """Issue another token for an existing user."""
        return self.backend.identity.add_token(user, role, display_name)

    def add_org(
        self, name: str, members: Optional[Mapping[str, str]] = None, fullname: Optional[str] = None
    ) -> str:
        """Create an organisation with ``{user: role}`` members; return its ``api_org`` token."""
        return self.backend.identity.add_org(name, fullname, dict(members or {}))

    def add_member(self, org: str, user: str, role: str = "write") -> None:
        """Add a user to an organisation (``read``, ``write`` or ``admin``)."""
        self.backend.identity.set_member(org, user, role)

    # -- content and control ----------------------------------------------------------------

    def create_repo(
        self,
        repo_id: str,
        *,
        repo_type: str = "model",
        private: bool = False,
        files: Optional[Mapping[str, Union[str, bytes]]] = None,
    ) -> str:
        """Create a repo (as the admin) with optional files; return its web URL."""
        namespace, name = split_repo_id(repo_id)
        backend = self.backend
        repo = backend.repos.create(
            backend.admin,
            repo_type,
            namespace,
            name,
            private,
            "gradio" if repo_type == "space" else None,
        )
        if files:
            self.upload(repo_id, files, repo_type=repo_type)
        return f"{self.url}/{repo.web_path}"

    def upload(
        self,
        repo_id: str,
        files: Mapping[str, Union[str, bytes]],
        *,
        repo_type: str = "model",
        branch: str = "main",
        message: str = "Add files",
    ) -> str:
        """Commit whole files to a repo (as the admin); return the commit id."""
        repo = self.backend.repos.find(repo_type, repo_id)
        if repo is None:
            raise KeyError(f"No {repo_type} repo {repo_id!r}")
        contents = {p: v.encode() if isinstance(v, str) else v for p, v in files.items()}
        return self.backend.commit_contents(repo, contents, branch, message)

    def inject_faults(
        self,
        rate: float,
        *,
        kinds: Iterable[str] = FAULT_KINDS,
        routes: Iterable[str] = ("all",),
        seed: int = 0,
        retry_after: int = 1,
    ) -> None:
        """Make a seeded share of requests fail (see :mod:`hfapi.hub.faults`).

        Args:
            rate: share of eligible requests that fail (``0`` turns faults off).
            kinds: ``500``, ``503``, ``429``, ``reset-before``, ``reset-after``.
            routes: route classes (``"all"``, ``"lfs"``, ``"commits.commit"``...).
            seed: the same seed fails the same requests of the same sequence.
            retry_after: seconds announced by ``429`` answers.

        Raises:
            ValueError: an invalid plan.

        Example:
            >>> hub.inject_faults(0.2, kinds=("503", "reset-after"), seed=7)
        """
        plan = FaultPlan(rate, tuple(kinds), tuple(routes), seed, retry_after)
        self.backend.faults.set_plan(plan)

    @property
    def faults(self) -> Dict[str, Any]:
        """The fault plan in force and how many faults of each kind it injected so far."""
        return self.backend.faults.status()

    def grant_access(self, repo_id: str, user: str, repo_type: str = "model") -> None:
        """Let ``user`` download the gated repo ``repo_id`` (owners and members always may).

        Raises:
            KeyError: no such repo.
            HubError: 404 for an unknown user.
        """
        repo = self.backend.repos.find(repo_type, repo_id)
        if repo is None:
            raise KeyError(f"No {repo_type} repo {repo_id!r}")
        self.backend.repos.grant_access(repo, user)

    def set_counters(
        self,
        repo_id: str,
        *,
        repo_type: str = "model",
        downloads: Optional[int] = None,
        likes: Optional[int] = None,
    ) -> Tuple[int, int]:
        """Set the download and/or like count a repo shows; return ``(downloads, likes)``.

        Raises:
            KeyError: no such repo.
        """
        repo = self.backend.repos.find(repo_type, repo_id)
        if repo is None:
            raise KeyError(f"No {repo_type} repo {repo_id!r}")
        return self.backend.search.set_counters(repo, downloads, likes)

    def seed(self, config: Mapping[str, Any]) -> Dict[str, Any]:
        """Create users, orgs and repos in one transaction (``POST /_hub/seed``'s body).

        The fast way to fill a hub: 10,000 repos with a README take a few seconds.
        """
        return self.backend.apply_config(config)

    def configure(self, **settings: int) -> None:
        """Change knobs (see :class:`~hfapi.hub.settings.HubSettings`).

        Before :meth:`start` they count as start arguments (they win over stored values);
        while running they are also stored in the data directory for the next start.
        """
        self.settings.update(settings)

    def reset(self) -> None:
        """Forget everything but the start-up users, tokens and config."""
        self.backend.reset()

    def dump(self) -> Dict[str, Any]:
        """The whole state as JSON-ready data."""
        return self.backend.dump()

    def handle(
        self, method: str, path: str, headers: Iterable[Tuple[str, str]] = (), body: bytes = b""
    ) -> Response:
        """Answer a request in-process, without a socket (for adapters and quick checks)."""
        return HubApp(self.backend, self.url).handle(method, path, headers, io.BytesIO(body))
