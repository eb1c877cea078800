"""The listener's pure parts: document updates and conditions, version order, policy."""

from __future__ import annotations

import pytest
from aiokafka.errors import KafkaConnectionError
from pymongo.errors import AutoReconnect, DuplicateKeyError

from events import OrderAccepted, OrderPlaced
from events.samples import sample_event
from listeners import policy
from listeners.documents import apply_update, matches
from listeners.faults import as_original
from listeners.policy import FailurePolicy, policy_for, retry_infrastructure
from listeners.rules import Listener, version_of


def test_updates_set_nested_fields_increment_and_seed_new_documents() -> None:
    doc = apply_update(
        None, "o-1", set_fields={"a.b": 1, "s": "x"}, set_on_insert={"c": 0}, inc={"n": 2}
    )
    assert doc == {"_id": "o-1", "a": {"b": 1}, "s": "x", "c": 0, "n": 2}
    doc = apply_update(doc, "o-1", set_fields={"a.d": 3}, set_on_insert={"c": 9}, inc={"n": 1})
    assert doc == {"_id": "o-1", "a": {"b": 1, "d": 3}, "s": "x", "c": 0, "n": 3}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"status": "placed"}, True),
        ({"status": "accepted"}, False),
        ({"status": {"$in": ["placed", "accepted"]}}, True),
        ({"status": {"$nin": ["placed"]}}, False),
        ({"status": {"$ne": "cancelled"}}, True),
        ({"driver": {"$exists": False}}, True),
        ({"driver": {"$exists": True}}, False),
        ({"order.total": 12}, True),
        ({"order.total": {"$eq": 13}}, False),
        ({"missing": None}, False),
    ],
)
def test_conditions_follow_mongodb_semantics(condition: dict[str, object], expected: bool) -> None:
    doc = {"_id": "o-1", "status": "placed", "order": {"total": 12}}
    assert matches(doc, condition) is expected


def test_an_unsupported_condition_is_a_rule_error() -> None:
    with pytest.raises(ValueError, match=r"\$regex"):
        matches({"a": "b"}, {"a": {"$regex": "b"}})


def test_newer_events_have_greater_versions() -> None:
    placed = sample_event("order-placed")
    later = OrderAccepted.record(
        order=placed.order.model_copy(update={"status": "accepted"}),  # type: ignore[attr-defined]
        estimated_ready_at=placed.timestamp + 1000,
        prep_minutes=10,
        pickup_address=placed.order.delivery_address,  # type: ignore[attr-defined]
        source="test",
        actor="restaurant:r-1",
        now_ms=placed.timestamp + 1,
    )
    assert version_of(later) > version_of(placed)
    assert version_of(placed) == version_of(placed)


async def test_the_rule_table_finds_handlers_by_type_and_skips_others() -> None:
    async def handler(event: object, views: object) -> list[object]:
        return []

    listener = Listener("l", "g", "d", rules={OrderPlaced: handler})  # type: ignore[dict-item]
    assert listener.handler_for("order-placed") is handler
    assert listener.handler_for("order-ready") is None


def test_infrastructure_errors_are_retried_and_rule_errors_are_faults() -> None:
    assert policy_for(AutoReconnect("down")) is FailurePolicy.INFRASTRUCTURE_FAILURE
    assert policy_for(KafkaConnectionError()) is FailurePolicy.INFRASTRUCTURE_FAILURE
    assert policy_for(ConnectionRefusedError()) is FailurePolicy.INFRASTRUCTURE_FAILURE
    assert policy_for(ValueError("bad")) is FailurePolicy.RULE_FAILURE
    assert policy_for(DuplicateKeyError("dup")) is FailurePolicy.RULE_FAILURE


async def test_retry_waits_out_infrastructure_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    monkeypatch.setattr(policy.asyncio, "sleep", no_sleep)
    attempts = iter([AutoReconnect("a"), AutoReconnect("b"), AutoReconnect("c"), None])

    async def step() -> str:
        error = next(attempts)
        if error is not None:
            raise error
        return "done"

    assert await retry_infrastructure("test", step, first=1, cap=3) == "done"
    assert sleeps == [1, 2, 3]

    async def broken() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        await retry_infrastructure("test", broken)


def test_a_malformed_record_is_kept_as_text_for_its_fault() -> None:
    assert as_original(b'{"id": "x"}') == {"id": "x"}
    assert as_original(b"{nope") == {"raw": "{nope"}
    assert as_original(b"[1]") == {"raw": "[1]"}
    assert as_original(None) == {"raw": ""}
