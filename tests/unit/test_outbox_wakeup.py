"""Wake-ups name the written document: the relay reads just that one instead of scanning
(FerretDB scans a collection for any filter but an exact ``_id``)."""

from __future__ import annotations

from typing import Any

import pytest
from bson import ObjectId

from bff.kit.wakeup import SWEEP, RelaySignal, decode_hint, encode_hint


@pytest.mark.parametrize("doc_id", ["o-1", 42, ObjectId()])
def test_a_hint_survives_the_trip_through_redis(doc_id: Any) -> None:
    assert decode_hint(encode_hint("orders", doc_id)) == ("orders", doc_id)
    assert decode_hint(encode_hint("orders", doc_id).decode()) == ("orders", doc_id)


@pytest.mark.parametrize("doc_id", [None, True, 1.5, {"a": 1}])
def test_an_id_a_hint_cannot_carry_asks_for_a_sweep(doc_id: Any) -> None:
    assert encode_hint("orders", doc_id) == SWEEP


@pytest.mark.parametrize(
    "data",
    [
        SWEEP,
        b"",
        b"not json",
        b"[1]",
        b'{"id": "o-1"}',
        b'{"c": 1, "id": "o-1"}',
        b'{"c": "o"}',
        None,
    ],
)
def test_anything_else_asks_for_a_sweep(data: Any) -> None:
    assert decode_hint(data) is None


def test_the_signal_keeps_each_hinted_document_once_oldest_first() -> None:
    signal = RelaySignal()
    assert not signal.is_set()
    signal.notify("orders", "o-2")
    signal.notify("orders", "o-1")
    signal.notify("orders", "o-2")
    assert signal.is_set()
    assert not signal.take_sweep()

    assert signal.take_hints() == [("orders", "o-2"), ("orders", "o-1")]
    assert signal.take_hints() == []
    assert not signal.is_set()


def test_a_wake_up_without_a_hint_or_beyond_the_cap_asks_for_a_sweep() -> None:
    signal = RelaySignal(max_hints=2)
    signal.notify()
    assert signal.is_set() and signal.take_sweep()
    assert not signal.take_sweep()

    for n in range(3):
        signal.notify("orders", f"o-{n}")
    assert signal.take_hints() == [("orders", "o-0"), ("orders", "o-1")]
    assert signal.take_sweep()  # the third one is found by the sweep
