"""``python -m eventmap [--out docs/event-map.html] [--svg docs/event-map.svg] [--check]``:
write the event-storming map, generated from the code (``--check``: write nothing, exit 1
when a file is out of date)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from eventmap.files import HTML_PATH, SVG_PATH, rendered, stale, write


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eventmap",
        description="Write the event-storming map (SVG, and an HTML page around it), "
        "generated from the code.",
    )
    parser.add_argument("--out", type=Path, default=HTML_PATH, help="the HTML page")
    parser.add_argument("--svg", type=Path, default=SVG_PATH, help="the SVG")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a file is out of date"
    )
    args = parser.parse_args(argv)
    files = rendered(svg_path=args.svg, html_path=args.out)
    if args.check:
        messages = stale(files)
        for message in messages:
            print(message, file=sys.stderr)
        return 1 if messages else 0
    for path, content in files.items():
        print(f"{path}: {'updated' if write(path, content) else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
