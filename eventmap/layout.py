"""Where every sticky note goes: columns left to right, one lane per BFF, one row per event.

Columns: actor (or system) -> command (or policy) -> event -> one column of read models
per consuming listener -> the event lake. In each lane the commands stack in the schema's
order; each event sits level with the middle of the commands that publish it (pushed down
so that nothing overlaps), and its consumers stand in its row: the read model each
listener's rule writes, repeated per event as on a real board, then the lake, whose bar
spans every lane.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from eventmap import text
from eventmap.model import EventMap, Flow, Kind, Lane, Note
from eventmap.shapes import Band, Box, Curve, Heading, Layout, Placed, Rake

MARGIN = 24
TOP = 150  # below the title, the legend and the column headings
BARE_TOP = 50  # below the column headings alone (the map inside a page with its own title)
HEADING_ABOVE = 22  # the column headings' baseline, above the first lane
LABEL_SIZE = 13
DETAIL_SIZE = 10.5
PAD_X = 10
PAD_Y = 8
LABEL_LINE = 17
DETAIL_LINE = 13
MIN_WIDTH = 110
ROW_GAP = 26  # between notes in a column: room for an event's consumer line above its row
STACK_GAP = 8  # between read models one rule writes in one row
LANE_TITLE = 30
LANE_PAD = 14
LANE_GAP = 8
GAP_TO_COMMAND = 56
GAP_TO_EVENT = 64
GAP_TO_CONSUMERS = 56
GAP_BETWEEN_CONSUMERS = 40
GAP_TO_LAKE = 40
LAKE_WIDTH = 150


def note_height(note: Note) -> float:
    return PAD_Y * 2 + LABEL_LINE + DETAIL_LINE * len(note.detail)


def note_width(note: Note) -> float:
    widths = [text.width(note.label, LABEL_SIZE, bold=True)]
    widths += [text.width(line, DETAIL_SIZE) for line in note.detail]
    return max(MIN_WIDTH, math.ceil(max(widths) + PAD_X * 2))


def _column_width(notes: Sequence[Note]) -> float:
    return max((note_width(n) for n in notes), default=MIN_WIDTH)


def row_copy(event_map: EventMap, event: Note, listener: str) -> list[Note]:
    """The read models a listener writes on an event, as drawn in the event's row: the
    view's name over the rule's."""
    return [
        Note(note.id, note.kind, note.label, note.lane, (rule,), note.listener)
        for note, rule in event_map.updates(event.label, listener)
    ]


@dataclass(frozen=True, slots=True)
class Column:
    x: float
    w: float


class _Board:
    """Lays the lanes out one below the other, collecting what ``Layout`` holds."""

    def __init__(self, event_map: EventMap) -> None:
        self.map = event_map
        self.events = event_map.of_kind(Kind.EVENT)
        self.lake_note = next((n for n in event_map.of_kind(Kind.SYSTEM) if not n.lane), None)
        self.starters = [n for n in event_map.notes if n.lane and n.kind in _STARTERS]
        self.doers = [n for n in event_map.notes if n.kind in _DOERS]
        self.boxes: dict[str, Box] = {}
        self.placed: list[Placed] = []
        self.rakes: list[Rake] = []
        self.bands: list[Band] = []
        self._columns()

    def _columns(self) -> None:
        copies = {
            name: [c for e in self.events for c in row_copy(self.map, e, name)]
            for name in self.map.listeners
        }
        self.starter = Column(MARGIN, _column_width(self.starters))
        x = self.starter.x + self.starter.w + GAP_TO_COMMAND
        self.doer = Column(x, _column_width(self.doers))
        self.event = Column(self.doer.x + self.doer.w + GAP_TO_EVENT, _column_width(self.events))
        x = self.event.x + self.event.w + GAP_TO_CONSUMERS
        self.consumers: dict[str, Column] = {}
        for name in self.map.listeners:
            self.consumers[name] = Column(x, _column_width(copies[name]))
            x += self.consumers[name].w + GAP_BETWEEN_CONSUMERS
        lake_w = max(LAKE_WIDTH, note_width(self.lake_note)) if self.lake_note else 0
        self.lake = Column(x - GAP_BETWEEN_CONSUMERS + GAP_TO_LAKE, lake_w)
        self.width = self.lake.x + self.lake.w + MARGIN

    def headings(self, top: float) -> list[Heading]:
        y = top - HEADING_ABOVE
        found = [
            Heading("actor", "who acts", self.starter.x, y),
            Heading("command", "GraphQL mutation · method", self.doer.x, y),
            Heading("event", "type · class", self.event.x, y),
            *(Heading(name, "read model · rule", c.x, y) for name, c in self.consumers.items()),
        ]
        if self.lake_note is not None:
            found.append(Heading(self.lake_note.label, "system", self.lake.x, y))
        return found

    def put(self, note: Note, column: Column, y: float, row: str = "") -> Box:
        box = Box(column.x, y, column.w, note_height(note))
        self.boxes.setdefault(note.id, box)
        self.placed.append(Placed(note, box, row))
        return box

    def lane(self, lane: Lane, top: float) -> float:
        """Lays out one lane from ``top``; returns its bottom."""
        y = top + LANE_TITLE
        bottom = y
        doers: list[Box] = []
        for note in (n for n in self.doers if n.lane == lane.id):
            doers.append(self.put(note, self.doer, y))
            y = doers[-1].bottom + ROW_GAP
            bottom = doers[-1].bottom
        cursor = top + LANE_TITLE
        lane_events = [n for n in self.events if n.lane == lane.id]
        for note in sorted(
            lane_events, key=lambda n: (self._wanted(lane, n), self.events.index(n))
        ):
            cursor = self.event_row(note, cursor, self._wanted(lane, note))
            bottom = max(bottom, cursor - ROW_GAP)
        for note in (n for n in self.starters if n.lane == lane.id):
            h = note_height(note)
            middle = (doers[0].y + doers[-1].bottom) / 2 if doers else top + LANE_TITLE + h / 2
            bottom = max(bottom, self.put(note, self.starter, middle - h / 2).bottom)
        band = Box(MARGIN / 2, top, self.width - MARGIN, bottom + LANE_PAD - top)
        self.bands.append(Band(lane, band))
        return bottom + LANE_PAD

    def event_row(self, event: Note, cursor: float, wanted: float) -> float:
        """Places an event and its consumers no higher than ``cursor``, centred on
        ``wanted`` if it can; returns where the next row may start."""
        cells = {name: row_copy(self.map, event, name) for name in self.map.listeners}
        heights = {name: _stack_height(cell) for name, cell in cells.items()}
        row_h = max([note_height(event), *heights.values()])
        top = cursor if wanted == float("inf") else max(cursor, wanted - row_h / 2)
        box = self.put(event, self.event, top + (row_h - note_height(event)) / 2)
        branches = []
        for name, cell in cells.items():
            y = top + (row_h - heights[name]) / 2
            for copy in cell:
                branches.append(self.put(copy, self.consumers[name], y, row=event.id))
                y = branches[-1].bottom + STACK_GAP
        self.rakes.append(Rake(box, top - ROW_GAP / 2, tuple(branches), self.lake.x))
        return top + row_h + ROW_GAP

    def _wanted(self, lane: Lane, event: Note) -> float:
        """Where an event's row is best centred: level with the middle of the commands in
        its lane that publish it; infinity when none does (it goes last)."""
        ys = [
            self.boxes[a.source].cy
            for a in self.map.arrows_to(event.id, Flow.PUBLISHES)
            if self.map.note(a.source).lane == lane.id and a.source in self.boxes
        ]
        return sum(ys) / len(ys) if ys else float("inf")

    def curves(self) -> list[Curve]:
        return [
            Curve(self.boxes[a.source], self.boxes[a.target], a.flow)
            for a in self.map.arrows
            if a.flow in _CURVED and a.source in self.boxes and a.target in self.boxes
        ]

    def lake_bar(self) -> Placed | None:
        if self.lake_note is None or not self.bands:
            return None
        top = self.bands[0].box.y + LANE_TITLE - ROW_GAP
        bottom = self.bands[-1].box.bottom - LANE_PAD
        return Placed(self.lake_note, Box(self.lake.x, top, self.lake.w, bottom - top))


_STARTERS = (Kind.ACTOR, Kind.SYSTEM)
_DOERS = (Kind.COMMAND, Kind.POLICY)
_CURVED = (Flow.ISSUES, Flow.PUBLISHES, Flow.TRIGGERS)


def _stack_height(cell: Sequence[Note]) -> float:
    return sum(note_height(c) for c in cell) + STACK_GAP * max(0, len(cell) - 1)


def lay_out(event_map: EventMap, top: float = TOP) -> Layout:
    """The map's geometry, its lanes starting at ``top`` (the column headings above)."""
    board = _Board(event_map)
    y = top
    for lane in event_map.lanes:
        if any(n.lane == lane.id for n in event_map.notes):
            y = board.lane(lane, y) + LANE_GAP
    return Layout(
        width=board.width,
        height=y - LANE_GAP + MARGIN,
        bands=tuple(board.bands),
        headings=tuple(board.headings(top)),
        notes=tuple(board.placed),
        curves=tuple(board.curves()),
        rakes=tuple(board.rakes),
        lake=board.lake_bar(),
    )
