"""Regenerate the committed JSON Schemas, or with --check fail if they are stale."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from events.schemas import SCHEMAS_DIR, stale_files, write_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m events.schemas", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 and name the stale files, write nothing"
    )
    parser.add_argument("--dir", type=Path, default=SCHEMAS_DIR, help="schema folder")
    args = parser.parse_args(argv)
    where = os.path.relpath(args.dir)
    if args.check:
        stale = stale_files(args.dir)
        for name in stale:
            print(f"stale: {where}/{name}", file=sys.stderr)
        if stale:
            print("regenerate with: python -m events.schemas", file=sys.stderr)
        return 1 if stale else 0
    for name in write_schemas(args.dir):
        print(f"wrote {where}/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
