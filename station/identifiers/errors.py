from station.errors import StationError


class InvalidIdentifier(StationError, ValueError):
    """A scanned or typed identifier that is malformed; the message says why."""
