"""The MongoDB-compatible store (FerretDB locally, MongoDB in docker-compose).

One ``AsyncMongoClient`` per process, created in the app lifespan; each service uses its
own database.
"""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


def store_client(url: str, *, timeout_ms: int = 5000) -> AsyncMongoClient[Document]:
    """A client that fails fast (timeout_ms) when the store is unreachable."""
    return AsyncMongoClient(
        url,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        tz_aware=True,
        uuidRepresentation="standard",
    )


async def ping(db: AsyncDatabase[Document]) -> bool:
    """True when the store answers a ``ping``."""
    reply = await db.command("ping")
    return bool(reply.get("ok"))
