"""One Kafka record as one lake line, the hour folder it belongs in, and its key.

An event keeps its bytes as received, with ``"_partition"`` and ``"_offset"`` appended.
Anything else (not JSON, not an object, no integer ``timestamp``) is kept as text under
``date=unknown``: ``{"_raw": ..., "_partition": ..., "_offset": ...}``.

A line's key is what the lake holds once (``listeners.lake.stored``): the event's id, or
``@<partition>:<offset>`` for a line without a string id (poison).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from listeners.lake.layout import UNKNOWN, Hour, hour_of

_OWN_KEYS = ("_partition", "_offset")


class Line(NamedTuple):
    """One record as the lake stores it."""

    hour: Hour
    #: the line, ending in a newline
    data: bytes
    #: the event id, or ``@<partition>:<offset>`` (``key_of`` gives the same for the line)
    key: str


def encode(value: bytes | None, partition: int, offset: int) -> tuple[Hour, bytes]:
    """The (date, hour) folder and the line (ending in a newline) for one record."""
    line = encode_line(value, partition, offset)
    return line.hour, line.data


def encode_line(value: bytes | None, partition: int, offset: int) -> Line:
    """One record as a lake ``Line``: its folder, its bytes and its key."""
    raw = value or b""
    event = _parse(raw)
    stamp = event.get("timestamp") if isinstance(event, dict) else None
    hour = _hour(stamp)
    where = position_key(partition, offset)
    if event is None or hour is None:
        text = raw.decode("utf-8", "replace")
        data = _dump({"_raw": text, "_partition": partition, "_offset": offset})
        return Line(UNKNOWN, data, where)
    key = event.get("id")
    key = key if isinstance(key, str) else where
    body = raw.strip()
    if _splicable(body) and not any(own in event for own in _OWN_KEYS):
        data = b'%s,"_partition":%d,"_offset":%d}\n' % (body[:-1], partition, offset)
        return Line(hour, data, key)
    return Line(hour, _dump({**event, "_partition": partition, "_offset": offset}), key)


def key_of(stored: dict[str, Any]) -> str:
    """The key of a line read back from the lake (the same ``encode_line`` gave it)."""
    key = stored.get("id")  # a line kept raw (date=unknown) has no "id"
    return key if isinstance(key, str) else position_key(stored["_partition"], stored["_offset"])


def position_key(partition: object, offset: object) -> str:
    """The key of a record without a string id: where it was on the hub."""
    return f"@{partition}:{offset}"


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
