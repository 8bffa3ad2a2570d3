"""The local Hub: a Hub-compatible HTTP server on loopback (standard library only).

It speaks the Hugging Face Hub's HTTP API well enough for the reference client
(``huggingface_hub`` 0.16) and hfapi to run against it end to end: accounts and
tokens, private repos, git-faithful commits, branches, tags and PR refs, LFS uploads
(single and multipart), downloads, likes. State lives in SQLite plus content files,
in a temporary directory or a persistent ``data_dir``.

Example:
    >>> from hfapi.hub import LocalHub
    >>> with LocalHub() as hub:
    ...     print(hub.url, hub.token)

Command line: ``python -m hfapi.hub --port 8000 --data-dir ./hub-data``.
pytest: the ``local_hub``, ``hub_user`` and ``hf_api`` fixtures (see
:mod:`hfapi.hub.pytest_plugin`).
"""

from .server import LocalHub
from .settings import HubSettings

__all__ = ["HubSettings", "LocalHub"]
