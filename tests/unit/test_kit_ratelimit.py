"""Per-actor rate limits on mutations, with a fake Redis: the limit per actor and window,
one count per root field, the error the client gets (nothing ran), queries and anonymous
callers not limited, and Redis down or slow: the mutation runs (fail open), logged once."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import cast

import pytest
import strawberry
from graphql import parse
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from adapters.settings import Settings
from bff.kit.auth import Actor
from bff.kit.context import Context
from bff.kit.ratelimit import MutationLimiter, RateLimited, root_field_count
from bff.kit.schema import make_schema
from bff.kit.services import Services
from tests.support.fakes import RateRedis

ANNA = Actor("c-anna", "customer", "Anna")
BEN = Actor("c-ben", "customer", "Ben")


def limiter(redis: RateRedis, limit: int = 3, window: float = 10.0) -> MutationLimiter:
    return MutationLimiter(
        redis,  # type: ignore[arg-type]
        service="customer",
        limit=limit,
        window_seconds=window,
        prefix="sys1_",
        timeout=0.05,
    )


async def test_an_actor_gets_the_limit_per_window_then_waits_for_the_next_one() -> None:
    redis = RateRedis()
    limits = limiter(redis, limit=3, window=10)

    assert [await limits.admit(ANNA) for _ in range(3)] == [None, None, None]
    redis.advance(2.5)
    assert await limits.admit(ANNA) == 8  # the window opened 2.5 s ago: 7.5 s left, rounded up
    assert await limits.admit(BEN) is None  # another actor has his own count
    redis.advance(7.4)
    assert await limits.admit(ANNA) == 1  # 0.1 s left: at least a second
    redis.advance(0.1)
    assert await limits.admit(ANNA) is None  # a new window
    assert set(redis.counts) == {"sys1_fd:rate:customer:customer:c-anna", limits.key(BEN)}


async def test_an_operation_costs_its_root_fields() -> None:
    redis = RateRedis()
    limits = limiter(redis, limit=3)

    assert await limits.admit(ANNA, cost=3) is None
    assert await limits.admit(ANNA, cost=1) == 10
    assert await limits.admit(BEN, cost=4) == 10  # one operation over the limit by itself

    def cost(document: str, name: str | None = None) -> int:
        return root_field_count(parse(document), name)

    assert cost("mutation { a: placeOrder b: placeOrder c: placeOrder }") == 3
    assert cost("mutation { __typename goOnline }") == 1
    assert cost("mutation { ...Both } fragment Both on Mutation { a b ...Both }") == 2
    assert cost("mutation { ... on Mutation { a b } c }") == 3
    assert cost("mutation One { a } mutation Two { a b }", "Two") == 2
    assert cost("mutation One { a } mutation Two { a b }", "Three") == 0


async def test_a_limit_of_zero_is_no_limit_and_asks_nothing() -> None:
    redis = RateRedis()
    limits = limiter(redis, limit=0)
    assert not limits.enabled
    assert [await limits.admit(ANNA) for _ in range(100)] == [None] * 100
    assert redis.calls == 0


@pytest.mark.parametrize("failure", ["down", "hang"])
async def test_without_redis_mutations_run_and_a_warning_says_so_once(
    failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    redis = RateRedis()
    setattr(redis, failure, True)
    limits = limiter(redis, limit=1)

    with caplog.at_level(logging.WARNING, logger="bff.kit.ratelimit"):
        assert [await limits.admit(ANNA) for _ in range(5)] == [None] * 5  # fail open
    assert redis.calls == 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "rate limits not applied: Redis unavailable" in warnings[0]

    setattr(redis, failure, False)
    assert await limits.admit(ANNA) is None
    assert await limits.admit(ANNA) == 10  # counting again once Redis answers


def test_the_error_tells_the_client_to_slow_down_and_when_to_try_again() -> None:
    error = RateLimited(7).formatted
    assert error["message"] == "Too many changes in a short time: slow down and try again in 7 s."
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfterSeconds": 7}


def test_the_limit_is_configured_by_fd_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    assert (defaults.rate_limit, defaults.rate_limit_window_seconds) == (200, 10.0)
    monkeypatch.setenv("FD_RATE_LIMIT", "5")
    monkeypatch.setenv("FD_RATE_LIMIT_WINDOW_SECONDS", "1.5")
    configured = Settings()
    assert (configured.rate_limit, configured.rate_limit_window_seconds) == (5, 1.5)
    monkeypatch.setenv("FD_RATE_LIMIT", "-1")
    with pytest.raises(ValidationError, match="rate_limit"):
        Settings()
    monkeypatch.setenv("FD_RATE_LIMIT", "5")
    monkeypatch.setenv("FD_RATE_LIMIT_WINDOW_SECONDS", "0")
    with pytest.raises(ValidationError, match="rate_limit_window_seconds"):
        Settings()


# --- through a kit schema ------------------------------------------------------------

WRITES: list[str] = []


@strawberry.type
class Query:
    @strawberry.field
    def orders(self) -> int:
        return len(WRITES)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def place_order(self, note: str) -> str:
        WRITES.append(note)
        return note


SCHEMA = make_schema(query=Query, mutation=Mutation)
PLACE = 'mutation { placeOrder(note: "x") }'


def context(limits: MutationLimiter, actor: Actor | None = ANNA) -> Context:
    services = SimpleNamespace(limiter=limits, spec=SimpleNamespace(role="customer"))
    return Context(
        request=Request({"type": "http", "headers": []}),
        response=Response(),
        services=cast(Services, services),
        actor=actor,
    )


@pytest.fixture(autouse=True)
def no_writes() -> None:
    WRITES.clear()


async def test_a_mutation_over_the_limit_does_not_run_and_answers_rate_limited() -> None:
    redis = RateRedis()
    limits = limiter(redis, limit=2)

    for _ in range(2):
        result = await SCHEMA.execute(PLACE, context_value=context(limits))
        assert result.errors is None and result.data == {"placeOrder": "x"}
    refused = context(limits)
    result = await SCHEMA.execute(PLACE, context_value=refused)

    assert WRITES == ["x", "x"]  # the third did not run
    assert result.data is None and result.errors is not None and len(result.errors) == 1
    error = result.errors[0].formatted
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfterSeconds": 10}
    assert "slow down" in error["message"]
    assert isinstance(refused.response, Response)
    assert refused.response.status_code == 429
    assert refused.response.headers["retry-after"] == "10"

    other = await SCHEMA.execute(PLACE, context_value=context(limits, BEN))
    assert other.errors is None  # Ben is not limited by Anna's count
    query = await SCHEMA.execute("{ orders }", context_value=context(limits))
    assert query.errors is None and query.data == {"orders": 3}  # queries are not limited


async def test_aliases_count_each_and_anonymous_callers_are_not_counted() -> None:
    redis = RateRedis()
    limits = limiter(redis, limit=3)

    aliased = 'mutation { a: placeOrder(note: "a") b: placeOrder(note: "b") }'
    assert (await SCHEMA.execute(aliased, context_value=context(limits))).errors is None
    again = await SCHEMA.execute(aliased, context_value=context(limits))
    assert again.errors is not None and again.errors[0].extensions
    assert again.errors[0].extensions["code"] == "RATE_LIMITED"
    assert WRITES == ["a", "b"]

    calls = redis.calls
    anonymous = await SCHEMA.execute(PLACE, context_value=context(limits, actor=None))
    assert anonymous.errors is None and redis.calls == calls


async def test_a_mutation_runs_when_redis_is_down() -> None:
    redis = RateRedis()
    redis.down = True
    limits = limiter(redis, limit=1)

    for _ in range(3):
        result = await SCHEMA.execute(PLACE, context_value=context(limits))
        assert result.errors is None
    assert WRITES == ["x", "x", "x"]


async def test_a_schema_run_without_the_kits_context_is_not_limited() -> None:
    result = await SCHEMA.execute(PLACE)
    assert result.errors is None and WRITES == ["x"]
