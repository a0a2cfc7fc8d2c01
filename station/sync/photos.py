"""Central receiving evidence photos by content hash, resumably.

An upload names the photo's SHA-256. The bytes gather in a partial file until the
declared total has arrived; then the hash is checked and the file moves into the
evidence store in one rename. A broken upload resumes at the partial file's size
(asked with `offset`). Several server processes may receive the same photo at
once: a file lock per photo keeps their pieces apart.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from station.errors import StationError
from station.evidence import EvidenceStore


class UploadRefused(StationError):
    """A piece of a photo that does not fit: wrong place, wrong size or wrong hash."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class PhotoReceiver:
    def __init__(self, store: EvidenceStore) -> None:
        self.store = store
        self.partial_dir = store.root / ".partial"

    def has(self, sha256: str) -> bool:
        return self.store.has(sha256)

    def missing(self, hashes: list[str]) -> list[str]:
        return [h for h in dict.fromkeys(hashes) if not self.store.has(h)]

    def offset(self, sha256: str) -> int:
        """Bytes already received of an unfinished upload (0: none)."""
        self.store.path_for(sha256)  # refuses what is not a SHA-256
        partial = self.partial_dir / sha256
        return partial.stat().st_size if partial.exists() else 0

    def receive(self, sha256: str, start: int, total: int, data: bytes) -> int:
        """Add a piece at `start` of a `total`-byte photo; the bytes received so far."""
        target = self.store.path_for(sha256)
        if target.exists():
            return total
        if start + len(data) > total:
            raise UploadRefused(f"piece ends at {start + len(data)}, past the total {total}", 0)
        with self._locked(sha256) as partial:
            if target.exists():  # finished by another process meanwhile
                return total
            have = partial.stat().st_size if partial.exists() else 0
            if start != have:
                raise UploadRefused(f"piece starts at {start}; received so far {have}", have)
            with partial.open("ab") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            have += len(data)
            if have == total:
                self._finish(sha256, partial, target)
        return have

    def _finish(self, sha256: str, partial: Path, target: Path) -> None:
        digest = hashlib.sha256()
        with partial.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            partial.unlink()
            raise UploadRefused(f"the bytes received hash to {digest.hexdigest()}, not {sha256}", 0)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, target)
        (self.partial_dir / f"{sha256}.lock").unlink(missing_ok=True)
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    @contextmanager
    def _locked(self, sha256: str) -> Iterator[Path]:
        self.partial_dir.mkdir(parents=True, exist_ok=True)
        with (self.partial_dir / f"{sha256}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self.partial_dir / sha256
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
