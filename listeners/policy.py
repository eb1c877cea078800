"""The listener's failure policy, named in code.

- ``RULE_FAILURE``: a rule raised on an event, or its write was refused. The event is bad
  data or hit a bug: it is recorded and published as a ``fault`` event, and the listener
  moves on, so one bad event never blocks its partition. ``python -m listeners resubmit``
  applies it again after a fix.
- ``INFRASTRUCTURE_FAILURE``: the store, Redis or Kafka did not answer. Nothing is
  committed; the step is retried with capped exponential backoff until the service is
  back, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TypeVar

import redis.exceptions
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from pymongo.errors import ConnectionFailure, NetworkTimeout, WaitQueueTimeoutError

log = logging.getLogger(__name__)
T = TypeVar("T")


class FailurePolicy(Enum):
    RULE_FAILURE = "publish a fault event and move on"
    INFRASTRUCTURE_FAILURE = "retry with capped backoff, commit nothing"


_INFRASTRUCTURE = (
    ConnectionFailure,  # includes AutoReconnect and ServerSelectionTimeoutError
    NetworkTimeout,
    WaitQueueTimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    KafkaConnectionError,
    KafkaTimeoutError,
    ConnectionError,
    TimeoutError,
)


def policy_for(exc: BaseException) -> FailurePolicy:
    if isinstance(exc, _INFRASTRUCTURE):
        return FailurePolicy.INFRASTRUCTURE_FAILURE
    if isinstance(exc, KafkaError) and exc.retriable:
        return FailurePolicy.INFRASTRUCTURE_FAILURE
    return FailurePolicy.RULE_FAILURE


async def retry_infrastructure(
    what: str, step: Callable[[], Awaitable[T]], *, first: float = 0.1, cap: float = 5.0
) -> T:
    """Run step until it succeeds or fails for a reason other than infrastructure."""
    delay = first
    while True:
        try:
            return await step()
        except Exception as exc:
            if policy_for(exc) is not FailurePolicy.INFRASTRUCTURE_FAILURE:
                raise
            log.warning("%s: %s: %s; retrying in %.1fs", what, type(exc).__name__, exc, delay)
        await asyncio.sleep(delay)
        delay = min(cap, delay * 2)
