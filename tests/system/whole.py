"""The running system as the whole-system tests see it: each BFF's GraphQL endpoint (as
its app calls it), tokens, its database, the hub's topic and the lake.

``whole_system(settings, name=..., ports=..., lake_dir=..., log=...)`` runs one: the
runner's processes on the stack of ``settings``, with their own topic, database prefix,
lake folder and API ports (and, with ``metrics_base``, metrics ports), seeded; the process
output goes to ``log``, each line prefixed by its process's name (``log_lines``). The session's
shared one is ``tests/system/conftest.py``'s ``system`` fixture; a test that kills or
starves processes runs its own (other ports, ``restart=True``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from websockets.asyncio.client import ClientConnection

from adapters.settings import Settings
from adapters.store import Document, store_client
from bff.restaurant.demo import RESTAURANTS
from devstack.kafka import ensure_topic
from runner.plan import Program
from runner.supervisor import Supervisor
from runner.system import running_system
from tests.integration.listening import wait_for
from tests.support.serving import subscribe, token_for

#: the APIs' ports in these tests (apart from a `make run` on 8001-8003)
PORTS: Mapping[str, int] = {"customer": 18001, "restaurant": 18002, "driver": 18003}
#: the first metrics port of the processes without HTTP in these tests (18101-18107)
METRICS_BASE = 18101
#: what a scraper sends to get the OpenMetrics format, with the exemplars
OPENMETRICS = "application/openmetrics-text; version=1.0.0"


@dataclass
class System:
    settings: Settings
    supervisor: Supervisor
    ports: Mapping[str, int] = field(default_factory=lambda: dict(PORTS))
    #: where the processes' output goes (``log_lines``)
    log: Path | None = None
    _mongo: AsyncMongoClient[Document] | None = field(default=None, init=False)
    _http: httpx.AsyncClient | None = field(default=None, init=False)

    async def __aenter__(self) -> System:
        self._mongo = store_client(self.settings.mongo_url)
        self._http = httpx.AsyncClient(timeout=30)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._mongo is not None:
            await self._mongo.close()

    def host(self, bff: str) -> str:
        return f"127.0.0.1:{self.ports[bff]}"

    def url(self, bff: str) -> str:
        return f"http://{self.host(bff)}"

    def token(self, bff: str, actor_id: str) -> str:
        """A token of ``bff``'s role (each BFF serves the role of its name)."""
        return token_for(self.settings, bff, actor_id)

    def db(self, bff: str) -> AsyncDatabase[Document]:
        """``bff``'s database (each BFF's database is named after it, plus the prefix)."""
        assert self._mongo is not None
        return self._mongo[self.settings.database(bff)]

    async def gql(self, bff: str, actor_id: str, query: str, **variables: Any) -> dict[str, Any]:
        """The answer's data (asserting no errors) of ``actor_id`` calling ``bff``."""
        return await self.gql_with(bff, actor_id, query, variables)

    async def gql_with(
        self,
        bff: str,
        actor_id: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """``gql`` with more request headers (a ``traceparent``, say)."""
        assert self._http is not None
        answer = await self._http.post(
            f"{self.url(bff)}/graphql",
            json={"query": query, "variables": dict(variables)},
            headers={**(headers or {}), "authorization": f"Bearer {self.token(bff, actor_id)}"},
        )
        body: dict[str, Any] = answer.json()
        assert answer.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def seeded(self) -> None:
        """Until the demo restaurants, registered through the restaurant BFF's commands,
        are open in the customers' catalog (their events went through the hub)."""
        wanted = {d.restaurant.id for d in RESTAURANTS}

        async def listed() -> bool:
            query = "{ restaurants(first: 50) { items { id } } }"
            found = await self.gql("customer", "c-lena", query)
            return wanted <= {r["id"] for r in found["restaurants"]["items"]}

        await wait_for("the demo restaurants in the customers' catalog", listed, 60)

    async def subscribe(self, bff: str, actor_id: str, query: str) -> ClientConnection:
        return await subscribe(self.host(bff), self.token(bff, actor_id), query)

    def program(self, name: str) -> Program:
        """The process called ``name`` (``customer-api``, ``driver-listener``, ``lake``)."""
        return next(p for p in self.supervisor.programs if p.name == name)

    async def scrape(self, name: str) -> str:
        """The metrics of process ``name`` in the OpenMetrics format (with exemplars)."""
        assert self._http is not None
        url = self.program(name).metrics_url
        assert url is not None, f"{name} serves no metrics (no metrics_base?)"
        answer = await self._http.get(url, headers={"accept": OPENMETRICS})
        assert answer.status_code == 200, (name, answer.status_code, answer.text[:200])
        assert answer.headers["content-type"].startswith("application/openmetrics-text")
        return answer.text

    def log_lines(self) -> list[tuple[str, str]]:
        """Every line the processes wrote so far, as (process name, line)."""
        assert self.log is not None, "this system keeps no log"
        lines: list[tuple[str, str]] = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            name, bar, text = line.partition(" | ")
            if bar:
                lines.append((name.strip(), text))
        return lines


@asynccontextmanager
async def whole_system(
    settings: Settings,
    *,
    name: str,
    lake_dir: Path,
    log: Path,
    ports: Mapping[str, int] = PORTS,
    restart: bool = False,
    metrics_base: int | None = None,
) -> AsyncIterator[System]:
    """Every process of the system on the stack of ``settings``: topic ``system-<name>``,
    database prefix ``s<name[-8:]>_``, the lake in ``lake_dir``, APIs on ``ports``; ready
    and seeded. ``restart``: the supervisor restarts a process that exits (as ``make run``
    does). ``metrics_base``: the processes without HTTP serve their metrics on loopback
    ports from it on (the APIs always do, on their own). Stopped on exit."""
    env = {
        **os.environ,
        "FD_KAFKA_TOPIC": f"system-{name}",
        "FD_PREFIX": f"s{name[-8:]}_",
        "FD_LAKE_DIR": str(lake_dir),
    }
    env.pop("FD_HTTP_PORT", None)  # each API gets its port from the plan
    system_settings = settings.model_copy(
        update={
            "kafka_topic": env["FD_KAFKA_TOPIC"],
            "prefix": env["FD_PREFIX"],
            "lake_dir": lake_dir,
        }
    )
    await ensure_topic(
        settings.kafka_bootstrap, system_settings.kafka_topic, settings.kafka_partitions
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:

        def say(line: str) -> None:
            out.write(line + "\n")
            out.flush()

        async with (
            running_system(
                ports=ports, env=env, say=say, restart=restart, metrics_base=metrics_base
            ) as supervisor,
            System(system_settings, supervisor, dict(ports), log) as whole,
        ):
            await whole.seeded()
            yield whole
