"""The local Hub: a Hub-compatible HTTP server on loopback (standard library only)."""
