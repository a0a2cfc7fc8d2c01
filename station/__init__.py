"""The inspection station's domain: models, checks, workflow, persistence and the CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("inbound-station")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
