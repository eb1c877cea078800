"""What goes wrong when reading an event off the wire."""

from __future__ import annotations


class InvalidEvent(ValueError):
    """The data is not a valid event; the message names the event type and field path."""


class UnknownEventType(InvalidEvent):
    """The data names an event type this catalog does not know.

    A subclass of InvalidEvent, so a listener can skip unknown types on purpose while
    still turning malformed known types into fault events.
    """

    def __init__(self, event_type: str) -> None:
        super().__init__(f"type: unknown event type {event_type!r}")
        self.event_type = event_type
