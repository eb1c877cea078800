"""Per-actor rate limits on mutations, counted in Redis so every API process of a BFF
shares them (docs/bff-kit.md, "Rate limits").

- ``MutationLimiter`` counts an actor's mutations in a fixed window: one Lua call does
  ``INCRBY`` and starts the window's expiry on its first count (atomic, one round trip).
  The key is ``<FD_PREFIX>fd:rate:<service>:<role>:<actor id>``: one counter per actor of
  one BFF, whichever process serves it, apart from another system on the same Redis.
- ``MutationRateLimit``, a schema extension every kit schema runs (``make_schema``), asks
  it before a mutation operation executes. Each root field counts one (an operation with
  three aliased ``placeOrder`` fields costs three). Queries and subscriptions are not
  limited, nor are anonymous callers (every mutation needs an actor anyway).
- Over the limit nothing runs: the client gets the error ``RateLimited`` (code
  ``RATE_LIMITED``, ``retryAfterSeconds``), over HTTP with status 429 and a
  ``Retry-After`` header.
- Redis unreachable or slow: the mutation runs (fail open) and a warning is logged at
  most once a minute. The limit guards against abuse; it is no reason to refuse every
  actor's work while Redis, which only carries hints and leases here, is away.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
)
from graphql.utilities import get_operation_ast
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from bff.kit.auth import Actor
from bff.kit.context import Context
from bff.kit.problems import ExpectedError

log = logging.getLogger(__name__)

#: count one window: add the cost, start the expiry with the window's first count (or
#: when a key somehow lost it), answer the count and the milliseconds the window has left
COUNT = """
local count = redis.call("INCRBY", KEYS[1], ARGV[1])
local left = redis.call("PTTL", KEYS[1])
if left < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  left = tonumber(ARGV[2])
end
return {count, left}
"""

#: how long a mutation waits for the count before it runs uncounted
REDIS_SECONDS = 0.5
#: at most one "Redis unavailable" warning per this many seconds
WARN_EVERY_SECONDS = 60.0


class RateLimited(ExpectedError):
    """The actor made too many changes in a short time; nothing ran."""

    code = "RATE_LIMITED"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many changes in a short time: slow down and try again in {retry_after_seconds} s."
        )
        self.retry_after_seconds = retry_after_seconds
        self.extensions = {"code": self.code, "retryAfterSeconds": retry_after_seconds}


class MutationLimiter:
    """At most ``limit`` mutations per actor in each ``window_seconds`` (0: no limit)."""

    def __init__(
        self,
        redis: Redis,
        *,
        service: str,
        limit: int,
        window_seconds: float,
        prefix: str = "",
        timeout: float = REDIS_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 0 or window_seconds <= 0:
            raise ValueError("a rate limit needs limit >= 0 and window_seconds > 0")
        self._redis = redis
        self.service = service
        self.limit = limit
        self.window_ms = max(1, round(window_seconds * 1000))
        self.prefix = prefix
        self.timeout = timeout
        self._clock = clock
        self._warned_at: float | None = None

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def key(self, actor: Actor) -> str:
        return f"{self.prefix}fd:rate:{self.service}:{actor.role}:{actor.id}"

    async def admit(self, actor: Actor, cost: int = 1) -> int | None:
        """Count ``cost`` mutations of ``actor``: None when they may run, else the seconds
        until its window ends (at least 1). Without Redis they may run (logged)."""
        if not self.enabled or cost <= 0:
            return None
        try:
            async with asyncio.timeout(self.timeout):
                answer: Any = await self._redis.eval(  # type: ignore[misc]
                    COUNT, 1, self.key(actor), str(cost), str(self.window_ms)
                )
            count, left_ms = int(answer[0]), int(answer[1])
        except (RedisError, OSError, TimeoutError) as exc:
            self._warn(exc)
            return None
        if count <= self.limit:
            return None
        retry_after = max(1, math.ceil(left_ms / 1000))
        if count - cost <= self.limit:  # the first refusal of this window
            log.info(
                "%s is over its rate limit (%d mutations in %g s): refused for %d s",
                actor.scope,
                self.limit,
                self.window_ms / 1000,
                retry_after,
            )
        return retry_after

    def _warn(self, exc: BaseException) -> None:
        now = self._clock()
        if self._warned_at is not None and now - self._warned_at < WARN_EVERY_SECONDS:
            return
        self._warned_at = now
        log.warning("rate limits not applied: Redis unavailable (%r); mutations run", exc)


def root_field_count(document: DocumentNode, operation_name: str | None) -> int:
    """How many root fields the operation selects (``__typename`` aside), through its
    fragments: what one mutation operation costs."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def count(selections: Iterable[SelectionNode], seen: frozenset[str]) -> int:
        total = 0
        for selection in selections:
            if isinstance(selection, FieldNode):
                total += selection.name.value != "__typename"
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set.selections, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    total += count(fragment.selection_set.selections, seen | {name})
        return total

    return count(operation.selection_set.selections, frozenset())


class MutationRateLimit(SchemaExtension):
    """Refuses a mutation operation of an actor over its limit before anything runs.

    The limiter comes from the kit's context (``Services.limiter``); a schema executed
    with another context (a unit test's) is not limited."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if (
            execution.result is None
            and isinstance(context, Context)
            and context.actor is not None
            and context.services.limiter.enabled
            and execution.graphql_document is not None
            and execution.operation_type is OperationType.MUTATION
        ):
            cost = root_field_count(execution.graphql_document, execution.operation_name)
            retry_after = await context.services.limiter.admit(context.actor, cost)
            if retry_after is not None:
                execution.result = ExecutionResult(data=None, errors=[RateLimited(retry_after)])
                if isinstance(context.response, Response):
                    context.response.status_code = 429
                    context.response.headers["retry-after"] = str(retry_after)
        yield
