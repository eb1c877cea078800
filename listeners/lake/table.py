"""Query results as an aligned text table: numbers right-aligned, everything else left."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

_NUMBERS = (int, float, Decimal)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Header, a rule, one line per row, and a row count."""
    cells = [[_text(value) for value in row] for row in rows]
    right = [
        bool(rows) and all(isinstance(row[i], _NUMBERS) or row[i] is None for row in rows)
        for i in range(len(columns))
    ]
    widths = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        parts = (
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        )
        return "  ".join(parts).rstrip()

    body = [line(columns), "  ".join("-" * w for w in widths), *(line(c) for c in cells)]
    body.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(body)


def _text(value: Any) -> str:
    if value is None:
        return "NULL"
    return str(value).replace("\n", " ")
