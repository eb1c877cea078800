"""A Kafka record becomes one lake line in the folder of its event's hour, or in unknown."""

from __future__ import annotations

import json

import pytest

from listeners.lake.layout import UNKNOWN, hour_of
from listeners.lake.lines import encode

STAMP = 1749920531000  # 2025-06-14 17:02:11 UTC


def test_an_event_keeps_its_bytes_and_gains_partition_and_offset() -> None:
    value = b'{"id":"e1","type":"order-placed","timestamp":%d,"x":"\xc3\xa9"}' % STAMP
    hour, line = encode(value, 3, 41)
    assert hour == ("2025-06-14", "17")
    assert line == value[:-1] + b',"_partition":3,"_offset":41}\n'
    assert json.loads(line)["x"] == "é"


def test_a_multi_line_event_is_written_on_one_line() -> None:
    value = b'{\n  "id": "e1",\n  "timestamp": %d\n}\n' % STAMP
    _, line = encode(value, 0, 7)
    assert line.count(b"\n") == 1
    assert json.loads(line) == {"id": "e1", "timestamp": STAMP, "_partition": 0, "_offset": 7}


def test_fields_named_like_the_lake_fields_are_overwritten() -> None:
    value = b'{"timestamp":%d,"_offset":"mine"}' % STAMP
    assert json.loads(encode(value, 1, 2)[1]) == {"timestamp": STAMP, "_offset": 2, "_partition": 1}


@pytest.mark.parametrize(
    "value",
    [
        b"not json",
        b"\xff\xfe{",
        b"",
        None,
        b"[1, 2]",
        b"{}",
        b'{"timestamp": "1749920531000"}',
        b'{"timestamp": 1749920531000.0}',
        b'{"timestamp": true}',
        b'{"timestamp": NaN}',
        b'{"timestamp": 1, "x": Infinity}',
        b'{"timestamp": 99999999999999999999}',
    ],
)
def test_anything_else_is_kept_raw_under_unknown(value: bytes | None) -> None:
    hour, line = encode(value, 5, 9)
    assert hour == UNKNOWN
    assert json.loads(line) == {
        "_raw": (value or b"").decode("utf-8", "replace"),
        "_partition": 5,
        "_offset": 9,
    }


def test_hours_are_utc() -> None:
    assert hour_of(0) == ("1970-01-01", "00")
    assert hour_of(STAMP) == ("2025-06-14", "17")
    assert hour_of(-1) == ("1969-12-31", "23")
