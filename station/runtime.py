"""What a running process is made of: its settings, its database, its evidence store.

Built once per process (the CLI command, the web server) and passed down; nothing
else opens databases or reads settings on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.db.engine import Database
from station.evidence import EvidenceStore
from station.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    db: Database
    evidence: EvidenceStore

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        return cls(
            settings=settings,
            db=Database(settings.database_url, sync_outbox=settings.role == "station"),
            evidence=EvidenceStore(settings.evidence_dir),
        )

    def close(self) -> None:
        self.db.dispose()
