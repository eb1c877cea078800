"""The whole system starts as ``python -m runner`` starts it: every process up, each app
and its dev sign-in served, and the demo data seeded through the BFFs' own commands
(so the customers' catalog, built from the restaurant BFF's events, lists them)."""

from __future__ import annotations

import httpx

from bff.restaurant.demo import RESTAURANTS
from runner.plan import plan
from tests.integration.listening import wait_for
from tests.system.whole import PORTS, System

CATALOG = "{ restaurants(first: 50) { items { id isOpen menu { items { id } } } } }"


async def test_every_process_runs_and_every_app_is_served(system: System) -> None:
    names = [p.name for p in plan(PORTS)]
    assert [n for n in names if not system.supervisor.alive(n)] == []
    assert len(names) == 10  # 3 BFFs x (api, listener, trigger) + the lake writer
    async with httpx.AsyncClient() as client:
        for bff in PORTS:
            app = await client.get(f"{system.url(bff)}/")
            assert app.status_code == 200 and "<script" in app.text, bff
            signin = await client.get(f"{system.url(bff)}/dev/signin")
            assert signin.status_code == 200 and "Sign in as a" in signin.text, bff


async def test_the_demo_restaurants_reach_the_customers_catalog(system: System) -> None:
    wanted = {d.restaurant.id: len(d.items) for d in RESTAURANTS}

    async def listed() -> bool:
        found = await system.gql("customer", "c-lena", CATALOG)
        items = found["restaurants"]["items"]
        menus = {r["id"]: sum(len(c["items"]) for c in r["menu"]) for r in items}
        return (
            all(r["isOpen"] for r in items)
            and {k: v for k, v in menus.items() if k in wanted} == wanted
        )

    await wait_for("the demo restaurants in the customers' catalog", listed, 60)
