"""The feature store: features of each reference image (listing image, brand
logo), computed once, kept on disk, and loaded on demand within a memory bound.

On disk: `<root>/<sha[:2]>/<sha>.v<format>.npz`, keyed by the SHA-256 of the
image's bytes (the evidence store's key), written to a temporary name and
renamed so a reader never sees half a file. A file from an older format, or a
damaged one, is recomputed and replaced. In memory: least recently used
features are dropped once their arrays pass `memory_bytes`, so a station with
50,000 listing images holds only the few hundred it is working with.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from vision.errors import VisionError
from vision.match import Features, from_bytes, to_bytes
from vision.match.features import FORMAT_VERSION

log = logging.getLogger(__name__)


class FeatureStore:
    def __init__(self, root: Path, memory_bytes: int) -> None:
        if memory_bytes <= 0:
            raise ValueError(f"memory bound must be positive, got {memory_bytes}")
        self.root = Path(root)
        self.memory_bytes = memory_bytes
        self._loaded: OrderedDict[str, Features] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()
        self.computed = 0  # features extracted by this store (for figures and tests)
        self.read = 0  # features read back from disk

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}.v{FORMAT_VERSION}.npz"

    @property
    def held_bytes(self) -> int:
        return self._held

    def __len__(self) -> int:
        return len(self._loaded)

    def get(self, sha256: str, compute: Callable[[], Features]) -> Features:
        """The features of the image with this hash; `compute` runs only if none are stored."""
        with self._lock:
            features = self._loaded.get(sha256)
            if features is not None:
                self._loaded.move_to_end(sha256)
                return features
        features = self._from_disk(sha256)
        if features is None:
            features = compute()
            self._to_disk(sha256, features)
            self.computed += 1
        self._hold(sha256, features)
        return features

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def file(self, sha256: str, compute: Callable[[], Features]) -> bytes:
        """The stored form of an image's features, computed first when missing: what
        central hands a station, so a bench never has to compute them itself."""
        if not self.has(sha256):
            self.get(sha256, compute)
        return self.path_for(sha256).read_bytes()

    def accept(self, sha256: str, data: bytes) -> None:
        """Features computed elsewhere (central), kept as if computed here. A damaged
        file, or one of another format, raises VisionError and nothing is written."""
        from_bytes(data)
        self._write(sha256, data)

    def forget(self) -> None:
        """Drop everything held in memory (the disk copies stay)."""
        with self._lock:
            self._loaded.clear()
            self._held = 0

    def _from_disk(self, sha256: str) -> Features | None:
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            features = from_bytes(data)
        except VisionError as err:
            log.warning("recomputing features %s: %s", path, err)
            return None
        self.read += 1
        return features

    def _to_disk(self, sha256: str, features: Features) -> None:
        self._write(sha256, to_bytes(features))

    def _write(self, sha256: str, data: bytes) -> None:
        target = self.path_for(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _hold(self, sha256: str, features: Features) -> None:
        with self._lock:
            if sha256 in self._loaded:
                return
            self._loaded[sha256] = features
            self._held += features.nbytes
            while self._held > self.memory_bytes and len(self._loaded) > 1:
                _, dropped = self._loaded.popitem(last=False)
                self._held -= dropped.nbytes
