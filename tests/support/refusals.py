"""What authorization tests share: the tokens a BFF must refuse, and a snapshot of all it
has written (its database and the hub) to prove a refused caller changed nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jwt

from adapters.settings import Settings
from bff.kit.outbox import OUTBOX_FIELD
from tests.integration.listening import wait_for
from tests.integration.test_outbox_relay import read_topic
from tests.support.served import ServedBff
from tests.support.serving import token_for


def expired(settings: Settings, role: str, actor_id: str) -> str:
    """A token of the right role and actor that expired a minute ago."""
    return token_for(settings, role, actor_id, ttl=-60)


def forged(settings: Settings, role: str, actor_id: str) -> str:
    """The right claims, signed with another key."""
    claims = jwt.decode(token_for(settings, role, actor_id), options={"verify_signature": False})
    return jwt.encode(claims, "not-the-secret-" * 4, algorithm="HS256")


async def snapshot(bff: ServedBff, outbox_collections: Sequence[str]) -> dict[str, list[Any]]:
    """Every document of the BFF's database, and every event on the hub, once the relay
    has published every pending event (so that only a new write can change it)."""

    async def relayed() -> bool:
        pending = {OUTBOX_FIELD: {"$exists": True, "$ne": []}}
        counts = [await bff.db[name].count_documents(pending) for name in outbox_collections]
        return sum(counts) == 0

    await wait_for("the outbox relayed", relayed, 30)
    state: dict[str, list[Any]] = {}
    for name in sorted(await bff.db.list_collection_names()):
        state[name] = [doc async for doc in bff.db[name].find({}).sort("_id", 1)]
    records = await read_topic(bff.settings.kafka_bootstrap, bff.settings.kafka_topic)
    state["hub"] = [{"_id": r.key.decode(), "at": (r.partition, r.offset)} for r in records]
    return state
