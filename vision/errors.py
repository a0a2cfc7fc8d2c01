"""The vision layer's one error type."""


class VisionError(ValueError):
    """An image the algorithms cannot work on; the message says what was wrong."""
