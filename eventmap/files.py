"""The committed map (docs/event-map.svg and .html): writing it, and checking that it is
what the code gives now."""

from __future__ import annotations

import difflib
from pathlib import Path

from eventmap.discover import discover
from eventmap.model import EventMap
from eventmap.page import render_page
from eventmap.svg import render_svg

ROOT = Path(__file__).resolve().parents[1]
SVG_PATH = ROOT / "docs" / "event-map.svg"
HTML_PATH = ROOT / "docs" / "event-map.html"
REGENERATE = "python -m eventmap"
#: how many lines of a difference a failure shows
DIFF_LINES = 40


def rendered(
    event_map: EventMap | None = None, svg_path: Path = SVG_PATH, html_path: Path = HTML_PATH
) -> dict[Path, str]:
    """Each file's text as the code gives it now."""
    event_map = discover() if event_map is None else event_map
    return {svg_path: render_svg(event_map), html_path: render_page(event_map)}


def write(path: Path, content: str) -> bool:
    """Write ``content`` to ``path``; True when the file changed."""
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return True


def stale(files: dict[Path, str]) -> list[str]:
    """A message with a diff for each file whose text differs from ``files``."""
    messages = []
    for path, expected in files.items():
        actual = path.read_text(encoding="utf-8") if path.exists() else ""
        if actual == expected:
            continue
        diff = list(
            difflib.unified_diff(
                actual.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                fromfile=f"{_shown(path)} (committed)",
                tofile="the map (code)",
            )
        )
        more = f"... {len(diff) - DIFF_LINES} more lines\n" if len(diff) > DIFF_LINES else ""
        messages.append(
            f"{_shown(path)} is out of date; regenerate it with `{REGENERATE}`\n"
            + "".join(diff[:DIFF_LINES])
            + more
        )
    return messages


def assert_current(event_map: EventMap | None = None) -> None:
    """AssertionError with a diff when the committed map is not what the code gives."""
    messages = stale(rendered(event_map))
    if messages:
        raise AssertionError("\n".join(messages))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
