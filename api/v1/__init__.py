"""The marketplace API, version 1: its own FastAPI application mounted at /v1."""
