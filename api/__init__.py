"""The web side: marketplace API, station ingest, bench screen and dashboard.

Kept free of imports so that importing a submodule does not start FastAPI.
"""
