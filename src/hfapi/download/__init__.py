"""Downloads into the shared cache (the layout the reference client uses).

Modules: ``cache`` (where files live on disk, refs, links, locks), ``transfer`` (the
file's metadata and its streamed, resumable, checked transfer), ``fetch`` (one file,
from cache or Hub), ``snapshot`` (a whole revision in parallel), ``_mixin`` (the
``HfApi`` methods) and ``functions`` (the root functions of the reference).

This package's ``__init__`` imports nothing, so that ``hfapi.hf_api`` can import the
mixin while ``functions`` imports ``HfApi``.
"""
