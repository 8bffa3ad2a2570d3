"""HTTP <-> backend translation, one module per domain.

Handlers take ``(backend, request)`` and return a :class:`~hfapi.hub.wire.Response`;
they parse the request, call the backend and render the Hub's JSON shapes. They never
decide a rule themselves: permissions and validation live in :mod:`hfapi.hub.backend`.
"""
