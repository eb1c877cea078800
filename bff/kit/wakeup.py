"""How a command's write wakes the outbox relay, naming the document that has pending events.

In one process (api and trigger roles together) a ``RelaySignal`` is enough. Between
processes the write side also publishes on the Redis channel ``outbox:<service>``, which
the relay subscribes to. Either way the wake-up carries a *hint*, the written document's
collection and ``_id``, so that the relay reads just that document by ``_id`` (FerretDB
scans the whole collection for any other filter, so a sweep per wake-up grew with every
order ever placed). A wake-up without a hint (an old writer, a re-subscription, too many
hints queued) asks for a full sweep instead. All of it is best effort: the relay's timed
sweep catches up on any missed wake-up, so failing to send one never fails a command.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from bson import ObjectId
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bff.kit.backoff import Backoff

log = logging.getLogger(__name__)

#: (collection name, document ``_id``): a document that has pending events
Hint = tuple[str, Any]
#: hints kept at most between two relay passes; beyond that a full sweep is cheaper
MAX_HINTS = 10_000
#: the announcement of an old writer, or of a write whose document is unknown
SWEEP = b"pending"


class RelaySignal:
    """An in-process wake-up for the relay: ``notify`` after a write (with its hint), the
    relay takes the hints (``take_hints``) and the sweep requests (``take_sweep``)."""

    def __init__(self, *, max_hints: int = MAX_HINTS) -> None:
        self._hinted = asyncio.Event()
        self._sweep = asyncio.Event()
        self._hints: dict[Hint, None] = {}  # insertion-ordered set
        self._max_hints = max_hints

    def notify(self, collection: str | None = None, doc_id: Any = None) -> None:
        """Events are pending in ``collection``'s document ``doc_id``; without them (or
        with too many hints queued): somewhere, sweep."""
        if collection is None or doc_id is None or len(self._hints) >= self._max_hints:
            self._sweep.set()
            return
        self._hints[(collection, doc_id)] = None
        self._hinted.set()

    def is_set(self) -> bool:
        return self._hinted.is_set() or self._sweep.is_set()

    def take_hints(self) -> list[Hint]:
        """The hinted documents since the last call, oldest first."""
        hints = list(self._hints)
        self._hints.clear()
        self._hinted.clear()
        return hints

    def take_sweep(self) -> bool:
        """Whether a sweep was asked for since the last call."""
        wanted = self._sweep.is_set()
        self._sweep.clear()
        return wanted

    async def wait_hints(self) -> None:
        await self._hinted.wait()

    async def wait_sweep(self) -> None:
        await self._sweep.wait()


def outbox_channel(service: str) -> str:
    """The Redis channel on which writes of ``service`` announce pending events."""
    return f"outbox:{service}"


def encode_hint(collection: str, doc_id: Any) -> bytes:
    """The announcement of one document's pending events (``SWEEP`` for an id that is
    neither a string, an integer nor an ObjectId)."""
    if isinstance(doc_id, ObjectId):
        return json.dumps({"c": collection, "oid": str(doc_id)}).encode()
    if isinstance(doc_id, str | int) and not isinstance(doc_id, bool):
        return json.dumps({"c": collection, "id": doc_id}).encode()
    return SWEEP


def decode_hint(data: object) -> Hint | None:
    """The hint an announcement carries; None asks for a sweep (``SWEEP``, anything else)."""
    try:
        found = json.loads(data if isinstance(data, bytes | str) else b"")
    except ValueError:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("c"), str):
        return None
    if isinstance(found.get("oid"), str) and ObjectId.is_valid(found["oid"]):
        return found["c"], ObjectId(found["oid"])
    doc_id = found.get("id")
    if isinstance(doc_id, str | int) and not isinstance(doc_id, bool):
        return found["c"], doc_id
    return None


async def announce_pending(
    redis: Redis,
    service: str,
    hint: Hint | None = None,
    *,
    limit_seconds: float = 1.0,
) -> bool:
    """Tell a relay in another process that events are pending (in the ``hint``ed document);
    False when Redis failed.

    Best effort: a failure is logged and swallowed (the relay's sweep catches up).
    """
    message = SWEEP if hint is None else encode_hint(*hint)
    try:
        async with asyncio.timeout(limit_seconds):
            await redis.publish(outbox_channel(service), message)
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning("could not wake the %s outbox relay over Redis: %r", service, exc)
        return False
    return True


async def relay_wakeups(
    redis: Redis, service: str, signal: RelaySignal, *, backoff: Backoff | None = None
) -> None:
    """Notify ``signal`` for every announcement on the service's channel (with its hint),
    until cancelled.

    Reconnects with backoff when Redis fails, and asks for a sweep after each
    (re)subscription so that writes announced while not subscribed are picked up.
    """
    backoff = backoff or Backoff()
    channel = outbox_channel(service)
    while True:
        pubsub = redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(channel)
            signal.notify()
            backoff.reset()
            while True:
                item = await pubsub.get_message(timeout=1.0)
                if item is not None:
                    hint = decode_hint(item.get("data"))
                    if hint is None:
                        signal.notify()
                    else:
                        signal.notify(*hint)
        except (RedisError, OSError) as exc:
            delay = backoff.next_delay()
            log.warning("outbox wake-ups on %s failed (%r); retrying in %.1fs", channel, exc, delay)
            await asyncio.sleep(delay)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
