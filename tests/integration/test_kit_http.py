"""The kit's app over HTTP against the real stack: sign-in, auth per role, a mutation
through the outbox to Kafka and back through the listener, limits and masking,
readiness, static files."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pymongo.asynchronous.database import AsyncDatabase

from adapters.settings import Settings
from adapters.store import Document
from bff.kit.app import create_app
from bff.kit.spec import BffSpec
from tests.integration.listening import wait_for
from tests.integration.test_kit_example import (
    example_spec,
    new_driver_id,
)
from tests.support.serving import asgi_client, graphql, token_for


@pytest.fixture
def driver_id() -> str:
    return new_driver_id()


@pytest.fixture
def spec(db: AsyncDatabase[Document], topic: str, driver_id: str) -> BffSpec:
    return example_spec(db.name, topic, driver_id)


@pytest.fixture
def app_settings(settings: Settings, topic: str) -> Settings:
    return settings.model_copy(update={"kafka_topic": topic})


async def test_a_signed_in_driver_moves_and_reads_the_view_its_listener_wrote(
    spec: BffSpec, app_settings: Settings, driver_id: str, db: AsyncDatabase[Document]
) -> None:
    async with asgi_client(create_app(spec, app_settings)) as client:  # api+listener+trigger
        signin = await client.post("/dev/token", json={"id": driver_id})
        assert signin.status_code == 200
        token = signin.json()["token"]
        assert signin.json()["actor"] == {"id": driver_id, "role": "driver", "name": "Dora"}

        me = await graphql(client, "{ me }", token)
        assert me.json() == {"data": {"me": "Dora"}}

        moved = await graphql(
            client,
            "mutation($lat: Float!) { move(lat: $lat) { ... on Position { lat } "
            "... on Problem { code } } }",
            token,
            lat=52.5,
        )
        assert moved.json() == {"data": {"move": {"lat": 52.5}}}

        # trigger: the outbox is published and cleared; listener: the view is written
        drivers = db["drivers"]

        async def published_and_applied() -> bool:
            driver = await drivers.find_one({"_id": driver_id})
            view = await db["positions"].find_one({"_id": driver_id})
            return bool(driver and not driver["_outbox"] and view and view["lat"] == 52.5)

        await wait_for("the outbox relay and the listener", published_and_applied, 60)
        position = await graphql(client, "{ position { driverId lat } }", token)
        assert position.json() == {"data": {"position": {"driverId": driver_id, "lat": 52.5}}}

        bad = await graphql(
            client, "mutation { move(lat: 123) { ... on Problem { code message } } }", token
        )
        problem = bad.json()["data"]["move"]
        assert problem["code"] == "INVALID_INPUT" and "latitude" in problem["message"]


async def test_each_refused_caller_changes_nothing(
    spec: BffSpec, app_settings: Settings, driver_id: str, db: AsyncDatabase[Document]
) -> None:
    move = "mutation { move(lat: 1) { __typename } }"
    forged = token_for(app_settings.model_copy(update={"auth_secret": "f" * 48}), "driver", "d")
    async with asgi_client(create_app(spec, app_settings, roles={"api"})) as client:
        anonymous = await graphql(client, move)
        assert anonymous.status_code == 200
        assert anonymous.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}

        customer = await graphql(client, move, token_for(app_settings, "customer", driver_id))
        assert customer.status_code == 403
        assert customer.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN"}

        for token in (token_for(app_settings, "driver", driver_id, ttl=-5), forged):
            refused = await graphql(client, move, token)
            assert refused.status_code == 401
            assert refused.headers["www-authenticate"] == "Bearer"
    assert await db["drivers"].count_documents({}) == 0


async def test_limits_and_unexpected_errors_answer_graphql_errors_not_500(
    spec: BffSpec, app_settings: Settings
) -> None:
    deep = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    aliases = "{ " + " ".join(f"a{n}: __typename" for n in range(20)) + " }"
    async with asgi_client(create_app(spec, app_settings, roles={"api"})) as client:
        for query, expected in [
            (deep, "depth"),  # graphql-core guards introspection itself
            (aliases, "aliases found"),
            ("{ boom }", "Unexpected error."),
        ]:
            answer = await graphql(client, query)
            assert answer.status_code == 200
            assert expected in answer.json()["errors"][0]["message"]
            assert "internal detail" not in answer.text


async def test_ready_when_kafka_the_store_and_redis_answer(
    spec: BffSpec, app_settings: Settings
) -> None:
    async with asgi_client(create_app(spec, app_settings)) as client:
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "kafka": "ok",
        "store": "ok",
        "redis": "ok",
        "live": "ok",
        "listener": "ok",
        "trigger": "ok",
    }


async def test_not_ready_names_the_service_that_does_not_answer(
    spec: BffSpec, app_settings: Settings
) -> None:
    with socket_closed_port() as port:
        broken = app_settings.model_copy(update={"kafka_bootstrap": f"127.0.0.1:{port}"})
        async with asgi_client(create_app(spec, broken, roles={"api"})) as client:
            started = time.monotonic()
            ready = await client.get("/readyz")
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["kafka"].startswith("error:") and checks["store"] == checks["redis"] == "ok"
    assert time.monotonic() - started < 10


async def test_the_dev_signin_page_and_the_frontend_are_served(
    db: AsyncDatabase[Document], topic: str, driver_id: str, app_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<title>driver app</title>")
    spec = example_spec(db.name, topic, driver_id, static_dir=tmp_path)
    async with asgi_client(create_app(spec, app_settings, roles={"api"})) as client:
        page = await client.get("/dev/signin")
        assert page.status_code == 200
        assert f'data-testid="signin-{driver_id}"' in page.text and "Dora" in page.text
        assert "localStorage.setItem" in page.text
        assert (await client.post("/dev/token", json={"id": "nobody"})).status_code == 404
        assert "driver app" in (await client.get("/")).text


async def test_issuer_mode_has_no_dev_signin(spec: BffSpec, app_settings: Settings) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    issuer = app_settings.model_copy(update={"auth_mode": "issuer", "auth_public_key": pem})
    async with asgi_client(create_app(spec, issuer, roles={"api"})) as client:
        assert (await client.get("/dev/signin")).status_code == 404
        assert (await client.post("/dev/token", json={"id": "d-2"})).status_code == 404
        assert (await client.get("/graphql", headers={"accept": "text/html"})).status_code == 404


@contextmanager
def socket_closed_port() -> Iterator[int]:
    """A loopback port nothing listens on while the block runs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        yield sock.getsockname()[1]
