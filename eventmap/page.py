"""The map as one HTML page: a legend, the SVG inline, and every event as a table row
(what publishes it, what consumes it). No scripts, no external files."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from eventmap import text
from eventmap.model import LAKE, EventMap, Flow, Kind
from eventmap.svg import COLOURS, SUBTITLE, TITLE, render_svg

MEANINGS: dict[Kind, str] = {
    Kind.ACTOR: "who acts: the role whose tokens a BFF accepts, and the app it uses",
    Kind.COMMAND: (
        "a GraphQL mutation of the actor's BFF and the command method it calls; "
        '"reads" names the read models it decides on'
    ),
    Kind.EVENT: "a fact in the catalog (events/), with its class; one row each",
    Kind.READ_MODEL: (
        "a view a listener's rule writes on the event in its row (the rule's name under it)"
    ),
    Kind.POLICY: "a reaction without an actor: a rule that fails publishes a fault event",
    Kind.SYSTEM: "the listener runtime, and the event lake, which stores every event",
}

_STYLE = f"""
body {{ font-family: {text.FONT_FAMILY}; color: #222; margin: 24px; line-height: 1.4; }}
h1 {{ font-size: 24px; margin: 0 0 4px; }}
p {{ max-width: 72em; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 8px 28px; list-style: none; padding: 0; }}
.legend li {{ display: flex; gap: 8px; align-items: flex-start; max-width: 420px; }}
.swatch {{ flex: none; width: 18px; height: 18px; border: 1px solid #0003; border-radius: 2px; }}
figure {{ margin: 16px 0 28px; overflow-x: auto; }}
table {{ border-collapse: collapse; }}
th, td {{ text-align: left; vertical-align: top; padding: 4px 12px 4px 0;
          border-bottom: 1px solid #ddd; }}
code {{ font-size: 90%; }}
"""


@dataclass(frozen=True, slots=True)
class EventRow:
    event: str
    cls: str
    producers: tuple[str, ...]
    consumers: tuple[str, ...]


def event_rows(event_map: EventMap) -> list[EventRow]:
    """Each event with who publishes it and who consumes it, in words."""
    rows = []
    for event in event_map.of_kind(Kind.EVENT):
        producers = []
        for note in event_map.producers(event.label):
            starters = [
                event_map.note(a.source).label
                for a in event_map.arrows_to(note.id)
                if a.flow in (Flow.ISSUES, Flow.TRIGGERS)
            ]
            producers.append(f"{', '.join(starters) or note.lane}: {note.label}")
        consumers: list[str] = []
        for name in event_map.consumers(event.label):
            if name == LAKE:
                consumers.append("the event lake" if consumers else "only the event lake")
                continue
            writes = event_map.updates(event.label, name)
            consumers.append(f"{name}: " + ", ".join(f"{n.label} ({rule})" for n, rule in writes))
        rows.append(EventRow(event.label, event.detail[0], tuple(producers), tuple(consumers)))
    return rows


def render_page(event_map: EventMap) -> str:
    legend = "\n".join(
        f'<li><span class="swatch" style="background:{COLOURS[kind]}"></span>'
        f"<span><b>{escape(kind.value)}</b>: {escape(MEANINGS[kind])}</span></li>"
        for kind in Kind
    )
    rows = "\n".join(
        f"<tr><td><code>{escape(row.event)}</code><br>{escape(row.cls)}</td>"
        f"<td>{'<br>'.join(escape(p) for p in row.producers) or 'nobody'}</td>"
        f"<td>{'<br>'.join(escape(c) for c in row.consumers)}</td></tr>"
        for row in event_rows(event_map)
    )
    counts = ", ".join(_counted(len(event_map.of_kind(kind)), kind.value) for kind in Kind)
    arrows = sum(1 for a in event_map.arrows if a.flow is Flow.UPDATES)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(TITLE)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{escape(TITLE)}</h1>
<p>{escape(SUBTITLE)} Regenerate it with <code>python -m eventmap</code>; the unit tests
fail while the committed map differs from the code (docs/event-map.md).</p>
<p>{escape(counts)}; {arrows} rule writes. Flow is left to right: an actor issues a
command, the command publishes events, each event's line runs on to the read models the
listeners' rules write and to the event lake.</p>
<ul class="legend">
{legend}
</ul>
<figure>
{render_svg(event_map, header=False).rstrip()}
</figure>
<h2>Every event</h2>
<table>
<thead><tr><th>event</th><th>published by</th><th>consumed by</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def _counted(n: int, noun: str) -> str:
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"
