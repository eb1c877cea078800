"""One Kafka record as one lake line, and the hour folder it belongs in.

An event keeps its bytes as received, with ``"_partition"`` and ``"_offset"`` appended.
Anything else (not JSON, not an object, no integer ``timestamp``) is kept as text under
``date=unknown``: ``{"_raw": ..., "_partition": ..., "_offset": ...}``.
"""

from __future__ import annotations

import json
from typing import Any

from listeners.lake.layout import UNKNOWN, Hour, hour_of

_OWN_KEYS = ("_partition", "_offset")


def encode(value: bytes | None, partition: int, offset: int) -> tuple[Hour, bytes]:
    """The (date, hour) folder and the line (ending in a newline) for one record."""
    raw = value or b""
    event = _parse(raw)
    stamp = event.get("timestamp") if isinstance(event, dict) else None
    hour = _hour(stamp)
    if event is None or hour is None:
        text = raw.decode("utf-8", "replace")
        return UNKNOWN, _dump({"_raw": text, "_partition": partition, "_offset": offset})
    body = raw.strip()
    if _splicable(body) and not any(key in event for key in _OWN_KEYS):
        return hour, b'%s,"_partition":%d,"_offset":%d}\n' % (body[:-1], partition, offset)
    return hour, _dump({**event, "_partition": partition, "_offset": offset})


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(raw, parse_constant=_reject)
    except (ValueError, RecursionError):
        return None
    return event if isinstance(event, dict) else None


def _reject(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _hour(stamp: object) -> Hour | None:
    if type(stamp) is not int:
        return None
    try:
        return hour_of(stamp)
    except OverflowError:
        return None


def _splicable(body: bytes) -> bool:
    """Plain UTF-8 on one line: ``{...}`` can take two more fields before its last brace."""
    return body[:1] == b"{" and body[-1:] == b"}" and b"\n" not in body and b"\r" not in body


def _dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode() + b"\n"
