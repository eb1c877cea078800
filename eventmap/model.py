"""The event-storming map as data: sticky notes in lanes, and the arrows between them.

A lane is one BFF (its actor, the commands the actor issues, the events they publish) or
the listener runtime (its failure policy and the ``fault`` event). Read models belong to
the listener that writes them; the event lake is a system outside every lane.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

#: the consumer name that stands for the event lake in ``EventMap.consumers``
LAKE = "lake"


class Kind(StrEnum):
    """A sticky note's kind; its colour is the classic event-storming one (``svg.COLOURS``)."""

    ACTOR = "actor"
    COMMAND = "command"
    EVENT = "event"
    READ_MODEL = "read model"
    POLICY = "policy"
    SYSTEM = "system"


class Flow(StrEnum):
    """What an arrow means."""

    ISSUES = "issues"  # actor -> command
    PUBLISHES = "publishes"  # command or policy -> event
    TRIGGERS = "triggers"  # system -> policy
    UPDATES = "updates"  # event -> read model, through a listener's rule (the label)
    STORES = "stores"  # event -> the event lake
    INFORMS = "informs"  # read model -> a command that reads it before deciding


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    kind: Kind
    label: str
    #: the lane it stands in; "" for notes outside the lanes (the lake)
    lane: str
    #: smaller lines under the label
    detail: tuple[str, ...] = ()
    #: for a read model: the listener that writes it (its column)
    listener: str = ""


@dataclass(frozen=True, slots=True)
class Arrow:
    source: str
    target: str
    flow: Flow
    label: str = ""


@dataclass(frozen=True, slots=True)
class Lane:
    id: str
    title: str


@dataclass(frozen=True)
class EventMap:
    lanes: tuple[Lane, ...]
    notes: tuple[Note, ...]
    arrows: tuple[Arrow, ...]
    #: the consuming listeners, in column order
    listeners: tuple[str, ...]
    _by_id: dict[str, Note] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {note.id: note for note in self.notes}
        if len(by_id) != len(self.notes):
            raise ValueError("two notes share an id")
        dangling = [a for a in self.arrows if a.source not in by_id or a.target not in by_id]
        if dangling:
            raise ValueError(f"arrows to notes the map does not hold: {dangling}")
        object.__setattr__(self, "_by_id", by_id)

    def note(self, note_id: str) -> Note:
        return self._by_id[note_id]

    def of_kind(self, kind: Kind, lane: str | None = None) -> list[Note]:
        """Notes of one kind (in one lane), in the map's order."""
        return [n for n in self.notes if n.kind is kind and (lane is None or n.lane == lane)]

    def arrows_from(self, note_id: str, flow: Flow | None = None) -> Iterator[Arrow]:
        return (a for a in self.arrows if a.source == note_id and flow in (None, a.flow))

    def arrows_to(self, note_id: str, flow: Flow | None = None) -> Iterator[Arrow]:
        return (a for a in self.arrows if a.target == note_id and flow in (None, a.flow))

    def event(self, event_type: str) -> Note:
        return self.note(event_id(event_type))

    def producers(self, event_type: str) -> list[Note]:
        """The commands and policies that publish the event."""
        return [self.note(a.source) for a in self.arrows_to(event_id(event_type), Flow.PUBLISHES)]

    def consumers(self, event_type: str) -> list[str]:
        """The listeners with a rule for the event, then ``LAKE`` if the lake stores it."""
        listeners: list[str] = []
        lake = False
        for arrow in self.arrows_from(event_id(event_type)):
            if arrow.flow is Flow.UPDATES:
                name = self.note(arrow.target).listener
                if name not in listeners:
                    listeners.append(name)
            elif arrow.flow is Flow.STORES:
                lake = True
        return listeners + ([LAKE] if lake else [])

    def updates(self, event_type: str, listener: str) -> list[tuple[Note, str]]:
        """The read models one listener writes on the event, each with its rule's name."""
        return [
            (self.note(a.target), a.label)
            for a in self.arrows_from(event_id(event_type), Flow.UPDATES)
            if self.note(a.target).listener == listener
        ]


def event_id(event_type: str) -> str:
    return f"event:{event_type}"
