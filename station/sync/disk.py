"""Free space on the disk that holds the station's data (photos pile up while offline)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DiskSpace:
    path: str
    free_mb: int
    total_mb: int
    warn_below_mb: int

    @property
    def low(self) -> bool:
        return self.free_mb < self.warn_below_mb

    def warning(self) -> str | None:
        if not self.low:
            return None
        return (
            f"disk space low: {self.free_mb} MB free of {self.total_mb} MB at {self.path} "
            f"(warning below {self.warn_below_mb} MB); free space or connect to central"
        )


def disk_space(path: Path, warn_below_mb: int) -> DiskSpace:
    """Measured at the nearest existing folder of `path`."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    return DiskSpace(str(path), usage.free // 2**20, usage.total // 2**20, warn_below_mb)
