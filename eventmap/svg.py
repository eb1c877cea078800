"""The map as a self-contained SVG: sticky notes in the classic event-storming colours, in
lanes, with arrows left to right. No scripts, no external fonts or images; every text is
escaped. The same map gives the same bytes (the committed file is compared in the tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from eventmap import layout as geometry
from eventmap import text
from eventmap.layout import lay_out
from eventmap.model import EventMap, Flow, Kind
from eventmap.shapes import Band, Box, Curve, Layout, Placed, Rake

#: the classic sticky-note colours
COLOURS: dict[Kind, str] = {
    Kind.ACTOR: "#fef49c",
    Kind.COMMAND: "#a7c7e7",
    Kind.EVENT: "#ffb347",
    Kind.READ_MODEL: "#b5e7a0",
    Kind.POLICY: "#d7b4f3",
    Kind.SYSTEM: "#f7b6d2",
}
TITLE = "Event-storming map: food-delivery"
SUBTITLE = (
    "Generated from the code by python -m eventmap (the mutations' commands, the listeners' "
    "rule tables, the event catalog); do not edit by hand."
)
LANE_FILLS = ("#f5f6f8", "#eceff3")
INK = "#222"
LINE = "#5b6470"
MUTED = "#555"


def render_svg(event_map: EventMap, *, header: bool = True) -> str:
    """The SVG; ``header=False`` leaves out the title and the legend (for a page that
    has its own)."""
    placed = lay_out(event_map, geometry.TOP if header else geometry.BARE_TOP)
    width, height = _n(placed.width), _n(placed.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="event-map-title" '
        f'font-family="{escape(text.FONT_FAMILY)}">',
        f'<title id="event-map-title">{escape(TITLE)}</title>',
        _DEFS,
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        *(_header() if header else ()),
        *_headings(placed),
        *(_band(i, band) for i, band in enumerate(placed.bands)),
        *(_curve(curve) for curve in placed.curves),
        *(_rake(rake) for rake in placed.rakes),
        *([_lake(placed.lake, placed.bands)] if placed.lake is not None else []),
        *(_note(note) for note in placed.notes),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


_DEFS = (
    "<defs>"
    '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
    f'markerHeight="7" orient="auto"><path d="M0,1 L9,5 L0,9 z" fill="{LINE}"/></marker>'
    "</defs>"
)


def _header() -> Iterable[str]:
    x: float = geometry.MARGIN
    yield _text(x, 36, TITLE, 22, bold=True)
    yield _text(x, 58, SUBTITLE, 12, fill=MUTED)
    for kind in Kind:
        yield (
            f'<rect x="{_n(x)}" y="72" width="18" height="18" rx="2" fill="{COLOURS[kind]}" '
            'stroke="#0002"/>'
        )
        yield _text(x + 24, 86, kind.value, 12)
        x += 24 + text.width(kind.value, 12) + 22
    yield _arrow_legend(x + 8)


def _headings(placed: Layout) -> Iterable[str]:
    for heading in placed.headings:
        yield _text(heading.x, heading.y, heading.title, 12.5, bold=True)
        yield _text(heading.x, heading.y + 14, heading.subtitle, 10.5, fill=MUTED)


def _arrow_legend(x: float) -> str:
    label = "arrows: issues, publishes, updates (rule), stored in the lake"
    return (
        f'<path d="M{_n(x)},81 H{_n(x + 30)}" stroke="{LINE}" stroke-width="1.4" fill="none" '
        f'marker-end="url(#arrow)"/>' + _text(x + 38, 86, label, 12)
    )


def _band(index: int, band: Band) -> str:
    box = band.box
    fill = LANE_FILLS[index % len(LANE_FILLS)]
    return (
        f'<g class="lane" data-lane="{escape(band.lane.id)}">'
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}" '
        f'rx="8" fill="{fill}"/>'
        + _text(box.x + 12, box.y + 20, band.lane.title, 12.5, bold=True, fill=MUTED)
        + "</g>"
    )


def _curve(curve: Curve) -> str:
    a, b = curve.source, curve.target
    x1, y1, x2, y2 = a.right, a.cy, b.x, b.cy
    bend = max(24.0, (x2 - x1) / 2)
    dash = ' stroke-dasharray="5 3"' if curve.flow is Flow.TRIGGERS else ""
    return (
        f'<path class="{curve.flow.value}" d="M{_n(x1)},{_n(y1)} C{_n(x1 + bend)},{_n(y1)} '
        f'{_n(x2 - bend)},{_n(y2)} {_n(x2)},{_n(y2)}" stroke="{LINE}" stroke-width="1.4" '
        f'fill="none"{dash} marker-end="url(#arrow)"/>'
    )


def _rake(rake: Rake) -> str:
    event = rake.event
    out = event.right + 16
    paths = [
        f"M{_n(event.right)},{_n(event.cy)} H{_n(out)} V{_n(rake.bus_y)} H{_n(rake.end_x)}",
        *(
            f"M{_n(box.x - 14)},{_n(rake.bus_y)} V{_n(box.cy)} H{_n(box.x)}"
            for box in rake.branches
        ),
    ]
    return (
        '<g class="consumers">'
        + "".join(
            f'<path d="{d}" stroke="{LINE}" stroke-width="1.2" fill="none" '
            'marker-end="url(#arrow)"/>'
            for d in paths
        )
        + "</g>"
    )


def _lake(lake: Placed, bands: Sequence[Band]) -> str:
    """The lake's bar across every lane, named again at the top of each lane after the
    first (a long map is read scrolled)."""
    box = lake.box
    again = "".join(
        _text(box.x + geometry.PAD_X, band.box.y + 20, lake.note.label, 11, fill=MUTED)
        for band in bands[1:]
    )
    return (
        f'<g class="note system" data-id="{escape(lake.note.id)}">'
        + _sticky(box, COLOURS[Kind.SYSTEM])
        + _lines(box, lake.note.label, lake.note.detail)
        + again
        + "</g>"
    )


def _note(placed: Placed) -> str:
    note, box = placed.note, placed.box
    kind = note.kind.value.replace(" ", "-")
    row = f' data-row="{escape(placed.row)}"' if placed.row else ""
    listener = f' data-listener="{escape(note.listener)}"' if note.listener else ""
    tip = " · ".join([note.label, *note.detail])
    return (
        f'<g class="note {kind}" data-id="{escape(note.id)}"{row}{listener}>'
        f"<title>{escape(tip)}</title>"
        + _sticky(box, COLOURS[note.kind])
        + _lines(box, note.label, note.detail)
        + "</g>"
    )


def _sticky(box: Box, fill: str) -> str:
    x, y, w, h = _n(box.x), _n(box.y), _n(box.w), _n(box.h)
    return (
        f'<rect x="{_n(box.x + 2)}" y="{_n(box.y + 3)}" width="{w}" height="{h}" rx="3" '
        'fill="#0000001f"/>'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}" stroke="#0003"/>'
    )


def _lines(box: Box, label: str, detail: Iterable[str]) -> str:
    x = box.x + geometry.PAD_X
    y = box.y + geometry.PAD_Y + geometry.LABEL_SIZE
    out = _text(x, y, label, geometry.LABEL_SIZE, bold=True)
    y += geometry.LABEL_LINE - 1
    for line in detail:
        out += _text(x, y, line, geometry.DETAIL_SIZE, fill="#333")
        y += geometry.DETAIL_LINE
    return out


def _text(
    x: float, y: float, content: str, size: float, *, bold: bool = False, fill: str = INK
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"{weight} fill="{fill}">'
        f"{escape(content)}</text>"
    )


def _n(value: float) -> str:
    """A coordinate, short and the same on every machine."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
