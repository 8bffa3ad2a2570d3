"""pytest fixtures for a local Hub (entry point ``pytest11``)."""
