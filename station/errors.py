"""The station layer's one error type, with a few kinds callers tell apart."""


class StationError(Exception):
    """Something the user can act on; the message says what was wrong and where."""


class SettingsError(StationError):
    """A setting is missing or malformed."""


class DatabaseOutOfDate(StationError):
    """The database schema is older (or newer) than this version of the code."""


class ImportFailed(StationError):
    """A reference-data file had errors; nothing was written."""

    def __init__(self, message: str, problems: list) -> None:
        super().__init__(message)
        # The problems as found (text, or station.reference.problems.Problem objects
        # that also know the field), and as the text the command line prints.
        self.details = list(problems)
        self.problems = [str(p) for p in problems]

    def __str__(self) -> str:
        lines = [self.args[0], *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


class NotFound(StationError):
    """A record that was asked for does not exist."""
