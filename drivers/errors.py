"""The drivers layer's one error type."""


class DriverError(Exception):
    """A device could not do what was asked; the message names the device and the reason."""
