"""Evidence files (photos, reference images, logos), stored by content hash."""

from station.evidence.store import EvidenceStore, StoredFile

__all__ = ["EvidenceStore", "StoredFile"]
