"""Where the installed config/ data lives."""

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def config_dir() -> Path:
    """The config/ data folder: inside the wheel, or next to the source tree."""
    for candidate in (_PACKAGE / "_config", _PACKAGE.parent / "config"):
        if (candidate / "defaults.toml").is_file():
            return candidate
    raise FileNotFoundError(
        f"config data not found next to {_PACKAGE} (looked for _config/ and ../config/); "
        "reinstall the package"
    )
