"""The local Hub's HTML pages, apart from HTTP: data gathering, renderers, Markdown, escaping.

:mod:`hfapi.hub.routes.web` answers the requests; see ``docs/local-hub.md`` (Web pages).
"""
