"""Every query, mutation and subscription of every BFF, read from its schema, with a valid
operation for each, and who each field belongs to.

``root_fields(schema)`` lists the root fields; ``operation(field, known)`` writes a
syntactically valid operation for one of them, its arguments type-correct (required and
optional input fields filled) and as effective as the test can make them: an argument or
input field named in ``known`` takes that value (the test actor's real order id, a real
cart), so that a caller who should be refused would really change something if it were
not. ``selection`` picks the leaves of a result type (and of its nested objects), union
members by inline fragments.

``OWNERSHIP`` says, for every root field of every BFF, whether it addresses data an actor
owns (``Owned``: another actor of the same role is tried on it) or is shared by all actors
of the role (``Shared``, with the reason). A field missing here fails the coverage test,
so a new field is never left out of the matrix.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.settings import Settings
from adapters.store import Document
from bff.customer.names import OUTBOX_COLLECTIONS as CUSTOMER_OUTBOX
from bff.customer.schema import schema as customer_schema
from bff.driver.demo import DRIVERS
from bff.driver.names import OUTBOX_COLLECTIONS as DRIVER_OUTBOX
from bff.driver.schema import schema as driver_schema
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.names import OUTBOX_COLLECTIONS as RESTAURANT_OUTBOX
from bff.restaurant.schema import schema as restaurant_schema
from bff.restaurant.spec import SPEC as RESTAURANT_SPEC
from tests.integration.driving import HERE, open_driving
from tests.integration.kitchen_console import Console, register
from tests.integration.listening import wait_for
from tests.integration.shop import MARGHERITA, Shop, open_shop
from tests.support import refusals, upstream
from tests.support.served import ServedBff, serving

#: each BFF's schema by the role it serves
SCHEMAS: dict[str, strawberry.Schema] = {
    "customer": customer_schema,
    "restaurant": restaurant_schema,
    "driver": driver_schema,
}
OPERATIONS = ("query", "mutation", "subscription")
ROOT_TYPES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


def core(schema: strawberry.Schema) -> GraphQLSchema:
    """The graphql-core schema strawberry built (what the server validates against)."""
    return schema._schema


@dataclass(frozen=True)
class RootField:
    """One query, mutation or subscription field of a schema."""

    operation: str
    name: str
    field: GraphQLField

    @property
    def coordinate(self) -> str:
        """``Mutation.placeOrder``: how the matrix names it."""
        return f"{ROOT_TYPES[self.operation]}.{self.name}"


def root_fields(schema: strawberry.Schema) -> list[RootField]:
    """Every root field, queries first, then mutations, then subscriptions."""
    found: list[RootField] = []
    graphql_schema = core(schema)
    roots = {
        "query": graphql_schema.query_type,
        "mutation": graphql_schema.mutation_type,
        "subscription": graphql_schema.subscription_type,
    }
    for kind in OPERATIONS:
        root = roots[kind]
        if root is not None:
            found += [RootField(kind, name, field) for name, field in root.fields.items()]
    return found


def selection(type_: GraphQLOutputType, depth: int = 3) -> str:
    """A valid selection set of a result type (empty for a leaf): its leaf fields, its
    object fields ``depth`` levels down, each union member through an inline fragment;
    fields that need arguments are left out."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        members = " ".join(f"... on {m.name} {selection(m, depth)}" for m in named.types)
        return f"{{ __typename {members} }}"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    parts = ["__typename"]
    for name, child in named.fields.items():
        if any(is_required_argument(arg) for arg in child.args.values()):
            continue
        if is_leaf_type(get_named_type(child.type)):
            parts.append(name)
        elif depth > 1:
            parts.append(f"{name} {selection(child.type, depth - 1)}")
    return "{ " + " ".join(parts) + " }"


#: a type-correct value of each built-in and kit scalar
SCALAR_DUMMIES: dict[str, Any] = {
    "Int": 1,
    "Float": 1.0,
    "String": "Dummy",
    "ID": "dummy-id",
    "Boolean": True,
    "EpochMs": 1_700_000_000_000,
}


def dummy(type_: GraphQLInputType, name: str, known: Mapping[str, Any]) -> Any:
    """A type-correct JSON value for an argument or input field called ``name``:
    ``known[name]`` when given, else one built from the type (input objects with all
    their fields filled, lists of one)."""
    if name in known:
        return known[name]
    if isinstance(type_, GraphQLNonNull):
        return dummy(type_.of_type, name, known)
    if isinstance(type_, GraphQLList):
        return [dummy(type_.of_type, name, known)]
    if isinstance(type_, GraphQLInputObjectType):
        return {n: dummy(f.type, n, known) for n, f in type_.fields.items()}
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    assert isinstance(type_, GraphQLScalarType)
    return SCALAR_DUMMIES[type_.name]


def operation(field: RootField, known: Mapping[str, Any] = {}) -> tuple[str, dict[str, Any]]:
    """A valid operation calling ``field`` once, every argument passed as a variable of
    its declared type: (document, variables)."""
    args = field.field.args
    variables = {name: dummy(arg.type, name, known) for name, arg in args.items()}
    declared = ", ".join(f"${name}: {arg.type}" for name, arg in args.items())
    passed = ", ".join(f"{name}: ${name}" for name in args)
    head = f"{field.operation} Matrix({declared})" if args else f"{field.operation} Matrix"
    call = f"{field.name}({passed})" if args else field.name
    return f"{head} {{ {call} {selection(field.field.type)} }}", variables


@dataclass(frozen=True)
class Owned:
    """The field reads or changes data of one actor: another actor of the same role is
    refused, sees only their own, or changes only their own (``how``)."""

    how: str


@dataclass(frozen=True)
class Shared:
    """The field serves every actor of the role alike (``reason``): no owner to protect."""

    reason: str


Ownership = Owned | Shared

OWNERSHIP: dict[str, dict[str, Ownership]] = {
    "customer": {
        "Query.me": Owned("answers the caller's own profile (its id comes from the token)"),
        "Query.restaurants": Shared("the catalog: every customer browses every restaurant"),
        "Query.restaurant": Shared("the catalog: any customer may open any restaurant"),
        "Query.myOrders": Owned("lists the caller's orders only"),
        "Query.order": Owned("another customer's order is null"),
        "Mutation.placeOrder": Owned("places the caller's own order, even with A's requestKey"),
        "Mutation.cancelOrder": Owned("another customer's order is NotFound"),
        "Mutation.recordMenuView": Shared(
            "records the caller's own view of a public restaurant; nobody else's data"
        ),
        "Subscription.myOrders": Owned("pushes the caller's orders only"),
        "Subscription.catalog": Shared("the catalog's changes go to every customer"),
    },
    "restaurant": {
        "Query.me": Owned("answers the caller's own account"),
        "Query.board": Owned("shows the caller's tickets only"),
        "Query.history": Owned("lists the caller's finished tickets only"),
        "Query.ticket": Owned("another restaurant's ticket is null"),
        "Query.restaurant": Owned("answers the caller's own profile and menu"),
        "Query.popularity": Owned("counts the caller's menu views and orders only"),
        "Query.menuViewHistory": Owned("counts the caller's menu views in the lake only"),
        "Mutation.acceptOrder": Owned("another restaurant's order is NotAllowed"),
        "Mutation.rejectOrder": Owned("another restaurant's order is NotAllowed"),
        "Mutation.markOrderReady": Owned("another restaurant's order is NotAllowed"),
        "Mutation.updateProfile": Owned("changes the caller's own profile only"),
        "Mutation.openRestaurant": Owned("opens the caller's own restaurant only"),
        "Mutation.closeRestaurant": Owned("closes the caller's own restaurant only"),
        "Mutation.addMenuItem": Owned("adds to the caller's own menu only"),
        "Mutation.editMenuItem": Owned("an item only on another menu is NotFound"),
        "Mutation.setMenuItemAvailability": Owned("an item only on another menu is NotFound"),
        "Mutation.removeMenuItem": Owned("an item only on another menu is NotFound"),
        "Subscription.kitchen": Owned("pushes the caller's tickets and profile only"),
    },
    "driver": {
        "Query.me": Owned("answers the caller, with the caller's delivery only"),
        "Query.offers": Shared("open offers are offered to every available driver"),
        "Query.offer": Owned("an offer another driver took is null"),
        "Query.delivery": Owned("another driver's delivery is null"),
        "Query.today": Owned("lists the caller's deliveries only"),
        "Mutation.goOnline": Owned("changes the caller's own status only"),
        "Mutation.goOffline": Owned("changes the caller's own status only"),
        "Mutation.reportLocation": Owned("moves the caller only"),
        "Mutation.acceptDelivery": Owned("a delivery another driver took is TAKEN"),
        "Mutation.markPickedUp": Owned("another driver's delivery is NotAllowed"),
        "Mutation.markDelivered": Owned("another driver's delivery is NotAllowed"),
        "Subscription.offers": Shared("offer changes go to every available driver"),
        "Subscription.shift": Owned("pushes the caller's status and deliveries only"),
    },
}


def coordinates(role: str) -> list[str]:
    """Every root field of the role's BFF, as ``Type.field``."""
    return [field.coordinate for field in root_fields(SCHEMAS[role])]


# -- the BFFs served with an actor's data ----------------------------------------------


@dataclass
class World:
    """One BFF served for a test, its actor A owning real data: an order, a ticket, an
    offer. ``values`` are real argument values (A's ids, a valid cart) by argument or
    input field name, so that ``operation(field, world.values)`` would act on A's data."""

    role: str
    bff: ServedBff
    values: dict[str, Any]
    outbox_collections: Sequence[str]
    #: what else the test may need of A's data (the events behind an offer)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def schema(self) -> strawberry.Schema:
        return SCHEMAS[self.role]

    def operations(self, kind: str) -> list[tuple[RootField, str, dict[str, Any]]]:
        """A valid operation on A's data for every root field of ``kind``."""
        found = []
        for root in root_fields(self.schema):
            if root.operation == kind:
                document, variables = operation(root, self.values)
                found.append((root, document, variables))
        return found

    async def snapshot(self) -> dict[str, list[Any]]:
        return await refusals.snapshot(self.bff, self.outbox_collections)


@asynccontextmanager
async def world(
    role: str, settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[World]:
    """The ``role``'s BFF served on the test's topic and database, for actor A with data."""
    opening = {"customer": customer_world, "restaurant": restaurant_world, "driver": driver_world}
    async with opening[role](settings, topic, db, redis) as opened:
        yield opened


@asynccontextmanager
async def customer_world(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[World]:
    """A customer with a placed order, at a restaurant listed with its menu."""
    async with open_shop(settings, topic, db, upstream.unique("c"), "Lena Fischer") as shop:
        order_id = str((await shop.place((MARGHERITA, 1)))["id"])
        await shop_order_is(shop, order_id, "PLACED")
        values = {
            "id": order_id,
            "order": shop.cart((MARGHERITA, 1)),
            "restaurantId": shop.restaurant.id,
            "menuItemId": MARGHERITA,
        }
        yield World("customer", shop, values, CUSTOMER_OUTBOX)


async def shop_order_is(shop: Shop, order_id: str, status: str, token: str | None = "") -> None:
    """Waits until the customer's view holds the order in ``status`` (for ``token``'s
    customer, by default the shop's)."""
    document = "query($id: ID!) { order(id: $id) { status } }"

    async def there() -> bool:
        found = (await shop.data(document, token, id=order_id))["order"]
        return bool(found and found["status"] == status)

    await wait_for(f"order {order_id} {status} in the customer's view", there, 30)


@asynccontextmanager
async def restaurant_world(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[World]:
    """A registered restaurant (the demo menu) with a new order on its board."""
    restaurant_id = upstream.unique("r")
    await register(db, redis, restaurant_id)
    name = RESTAURANTS[0].restaurant.name
    async with serving(
        RESTAURANT_SPEC, settings, topic, db, actor_id=restaurant_id, actor_name=name
    ) as served:
        console = served.as_(Console)
        order = console.order()
        await console.publish(upstream.placed(order))
        await ticket_is_there(console, order.id)
        values = {
            "orderId": order.id,
            "itemId": RESTAURANTS[0].items[0].id,
            "prepMinutes": 15,
            "currency": "EUR",
            "utcOffsetMinutes": 60,
        }
        yield World("restaurant", console, values, RESTAURANT_OUTBOX)


async def ticket_is_there(console: Console, order_id: str, token: str | None = "") -> None:
    async def there() -> bool:
        found = await console.data(
            "query($id: ID!) { ticket(orderId: $id) { orderId } }", token, id=order_id
        )
        return found["ticket"] is not None

    await wait_for(f"ticket {order_id} on the board", there, 30)


@asynccontextmanager
async def driver_world(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[World]:
    """A driver online, with an open offer near them."""
    jonas = DRIVERS[0]
    async with open_driving(settings, topic, db, jonas.id, jonas.name) as driving:
        await driving.go_online()
        order, accepted = await driving.offer()
        values = {"orderId": order.id, "id": order.id, "location": HERE, "near": HERE}
        extra = {"order": order, "accepted": accepted}
        yield World("driver", driving, values, DRIVER_OUTBOX, extra)
