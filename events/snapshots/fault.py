"""Snapshot of a listener failing on one event."""

from __future__ import annotations

from typing import Any

from events.wire import Text, WireModel


class Fault(WireModel):
    """A listener rule failed on an event; the event is kept exactly as it was received."""

    listener: Text
    error: Text
    #: the original event as received; it may itself be malformed
    event: dict[str, Any]
