"""An unavailable service (the store, Redis or Kafka not answering) is no bug: GraphQL
answers it as the retryable ``UNAVAILABLE`` error instead of the masked "Unexpected
error.", and a live update that cannot be read becomes a resync instead of ending the
subscription."""

from __future__ import annotations

import asyncio
import logging

import pytest
import redis.exceptions
import strawberry
from aiokafka.errors import KafkaConnectionError, NotEnoughReplicasError, UnsupportedVersionError
from pymongo.errors import (
    AutoReconnect,
    DuplicateKeyError,
    NetworkTimeout,
    OperationFailure,
    ServerSelectionTimeoutError,
)

from adapters.notify import Notifications
from bff.kit.doclock import DocumentBusy
from bff.kit.fanout import Message
from bff.kit.hygiene import MASKED_MESSAGE
from bff.kit.live import LiveHub
from bff.kit.schema import make_schema
from bff.kit.unavailable import is_unavailable
from tests.unit.test_kit_live import FakeRedis

RAISED: dict[str, Exception] = {}


@strawberry.type
class Query:
    @strawberry.field
    def read(self) -> str:
        raise RAISED["read"]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def place(self) -> str:
        await asyncio.sleep(0)
        raise RAISED["place"]


SCHEMA = make_schema(query=Query, mutation=Mutation, cache_size=0)


@pytest.mark.parametrize(
    "error",
    [
        ServerSelectionTimeoutError("127.0.0.1:37017: [Errno 111] Connection refused"),
        AutoReconnect("connection closed"),
        NetworkTimeout("timed out"),
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:16379"),
        redis.exceptions.TimeoutError("Timeout reading from socket"),
        KafkaConnectionError("Unable to bootstrap"),
        NotEnoughReplicasError(),
        DocumentBusy("document 'o-1' is locked"),
        ConnectionRefusedError(111, "Connection refused"),
        ExceptionGroup("both", [AutoReconnect("a"), redis.exceptions.ConnectionError("b")]),
    ],
)
def test_service_failures_are_unavailable(error: Exception) -> None:
    assert is_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("a bug"),
        KeyError("order"),
        DuplicateKeyError("E11000"),
        OperationFailure("bad query"),
        UnsupportedVersionError(),
        ExceptionGroup("mixed", [AutoReconnect("a"), ValueError("b")]),
        None,
    ],
)
def test_bugs_and_refusals_are_not_unavailable(error: Exception | None) -> None:
    assert not is_unavailable(error)


async def test_an_unavailable_store_answers_a_clear_retryable_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    RAISED["place"] = ServerSelectionTimeoutError("127.0.0.1:37017: Connection refused")
    with caplog.at_level(logging.WARNING, logger="bff.kit.hygiene"):
        result = await SCHEMA.execute("mutation { place }")
    assert result.errors is not None and len(result.errors) == 1
    error = result.errors[0]
    assert error.message == "The service is temporarily unavailable; please try again in a moment."
    assert error.extensions == {"code": "UNAVAILABLE", "retryable": True}
    assert error.formatted["path"] == ["place"]
    assert "37017" not in str(error.formatted)  # nothing about the infrastructure leaks
    assert "a service is unavailable in place" in caplog.text
    assert "Traceback" not in caplog.text  # a warning line, not a bug report


async def test_redis_down_in_a_query_is_unavailable_too() -> None:
    RAISED["read"] = redis.exceptions.ConnectionError("Connection refused")
    result = await SCHEMA.execute("{ read }")
    assert result.errors
    assert result.errors[0].extensions == {"code": "UNAVAILABLE", "retryable": True}


async def test_a_bug_is_still_masked() -> None:
    RAISED["read"] = RuntimeError("secret=1")
    result = await SCHEMA.execute("{ read }")
    assert result.errors and [e.message for e in result.errors] == [MASKED_MESSAGE]
    assert result.errors[0].extensions is None or "code" not in result.errors[0].extensions


async def test_an_update_unreadable_while_the_store_is_down_becomes_a_resync(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = LiveHub(FakeRedis(), Notifications(FakeRedis()))  # type: ignore[arg-type]
    store_up = False

    async def convert(message: Message) -> str:
        if message.get("type") == "resync":
            return "resync"
        if not store_up:
            raise AutoReconnect("127.0.0.1:37017: connection closed")
        return f"order {message['id']}"

    stream = hub.updates("customer:c-1", convert)
    first = asyncio.ensure_future(anext(stream))
    while hub.subscribers("customer:c-1") < 1:  # noqa: ASYNC110 (the generator registers)
        await asyncio.sleep(0.001)
    with caplog.at_level(logging.WARNING, logger="bff.kit.live"):
        hub.deliver("customer:c-1", {"id": "o-1"})
        async with asyncio.timeout(5):
            assert await first == "resync"
    assert "customer:c-1" in caplog.text
    store_up = True
    hub.deliver("customer:c-1", {"id": "o-2"})
    async with asyncio.timeout(5):
        assert await anext(stream) == "order o-2"  # the subscription goes on
    await stream.aclose()  # type: ignore[attr-defined]


async def test_a_bug_in_an_update_still_ends_the_subscription() -> None:
    hub = LiveHub(FakeRedis(), Notifications(FakeRedis()))  # type: ignore[arg-type]

    async def convert(message: Message) -> str:
        raise KeyError("id")

    stream = hub.updates("customer:c-1", convert)
    first = asyncio.ensure_future(anext(stream))
    while hub.subscribers("customer:c-1") < 1:  # noqa: ASYNC110 (the generator registers)
        await asyncio.sleep(0.001)
    hub.deliver("customer:c-1", {"id": "o-1"})
    with pytest.raises(KeyError):
        await first
