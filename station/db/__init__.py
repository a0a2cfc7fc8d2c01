"""Persistence: the declarative base, column types, the engine and session factory, migrations."""

from station.db.base import Base, Timestamped
from station.db.engine import Database

__all__ = ["Base", "Database", "Timestamped"]
