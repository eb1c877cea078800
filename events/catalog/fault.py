"""A listener failed on an event and moved on; keyed like the event it failed on."""

from __future__ import annotations

from typing import Literal

from events.envelope import Event
from events.snapshots import Fault


class FaultReported(Event):
    """A listener rule failed on an event (bad data or a bug); the event travels along.

    partitionKey is the original event's partitionKey when it has one, else any id.
    """

    key_path = "fault.event.partitionKey"
    type: Literal["fault"]
    fault: Fault
