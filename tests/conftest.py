"""Fixtures for tests against the real local stack (Kafka, FerretDB, Redis).

The test command starts the stack; these fixtures never start or skip. If a service does
not answer, every test that needs it fails with a message saying which one and where.
Each run gets its own topic and database names, so runs never see each other's data.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from ulid import ULID

from adapters.notify import redis_client
from adapters.settings import Settings
from adapters.store import Document, ping, store_client
from devstack.kafka import ensure_topic

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def run_id() -> str:
    return str(ULID()).lower()


def _unreachable(service: str, where: str, exc: BaseException) -> pytest.fail.Exception:
    return pytest.fail.Exception(
        f"{service} does not answer at {where} ({exc!r}). Integration tests need the local "
        "stack: run `make test`, or `.venv/bin/python -m devstack up` with the same FD_* ports."
    )


@pytest.fixture(scope="session")
async def kafka_bootstrap(settings: Settings) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(admin.start(), 15)
        await admin.describe_cluster()
    except Exception as exc:
        raise _unreachable("Kafka", settings.kafka_bootstrap, exc) from exc
    finally:
        with contextlib.suppress(Exception):
            await admin.close()
    return settings.kafka_bootstrap


@pytest.fixture
async def topic(kafka_bootstrap: str, run_id: str) -> AsyncIterator[str]:
    """A fresh 12-partition topic for one test, deleted afterwards."""
    name = f"test-{run_id}-{ULID()}".lower()
    await ensure_topic(kafka_bootstrap, name, 12)
    yield name
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([name])
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def mongo(settings: Settings) -> AsyncIterator[AsyncMongoClient[Document]]:
    client = store_client(settings.mongo_url, timeout_ms=3000)
    try:
        await ping(client.admin)
    except Exception as exc:
        await client.close()
        raise _unreachable("The store (FerretDB)", settings.mongo_url, exc) from exc
    yield client
    await client.close()


@pytest.fixture
async def db(
    mongo: AsyncMongoClient[Document], run_id: str
) -> AsyncIterator[AsyncDatabase[Document]]:
    """A fresh database for one test, dropped afterwards."""
    name = f"t_{run_id}_{str(ULID()).lower()[-8:]}"
    yield mongo[name]
    await mongo.drop_database(name)


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client = redis_client(settings.redis_url)
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        raise _unreachable("Redis", settings.redis_url, exc) from exc
    yield client
    await client.aclose()
