"""Running one bench in a server process: device events and screen input into the
workflow's bench shell, one at a time, with updates for the screens watching it."""

from station.benchrun.runner import BenchRunner, Update

__all__ = ["BenchRunner", "Update"]
