"""The shapes a laid-out map is made of: boxes for notes and lanes, column headings, and
the lines between notes (curves from actor to command to event, and each event's rake to
its consumers)."""

from __future__ import annotations

from dataclasses import dataclass

from eventmap.model import Flow, Lane, Note


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True, slots=True)
class Placed:
    note: Note
    box: Box
    #: for a read model: the event whose row it stands in
    row: str = ""


@dataclass(frozen=True, slots=True)
class Band:
    lane: Lane
    box: Box


@dataclass(frozen=True, slots=True)
class Heading:
    title: str
    subtitle: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Rake:
    """An event's line to its consumers: out of the event, up to a bus above its row,
    along to the lake, with a branch down into each read model of the row."""

    event: Box
    bus_y: float
    branches: tuple[Box, ...]
    end_x: float


@dataclass(frozen=True, slots=True)
class Curve:
    source: Box
    target: Box
    flow: Flow


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    bands: tuple[Band, ...]
    headings: tuple[Heading, ...]
    notes: tuple[Placed, ...]
    curves: tuple[Curve, ...]
    rakes: tuple[Rake, ...]
    lake: Placed | None
