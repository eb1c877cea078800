"""The restaurant's own entity: its profile, its menu and whether it is open.

One document per restaurant in ``restaurants`` (``_id`` = restaurant id) holds the
``restaurant`` and ``menu`` snapshots as they travel on the wire, plus the outbox. Every
command reads the document by ``_id`` under the restaurant's command lock, computes the
new snapshots, and writes them with their events in one outbox write: a change of the
profile publishes ``restaurant-updated`` (or ``restaurant-opened``/``-closed`` when the
open flag changed), a change of the menu publishes ``menu-updated`` with the whole menu.
A command that changes nothing publishes nothing.

No listener of this BFF consumes its own profile events, so after a change the command
itself tells the restaurant's other open consoles (``restaurant:<id>``, view
``restaurants``), best effort: a lost notification only delays their refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ValidationError
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ulid import ULID

from adapters.notify import Notifications
from adapters.store import Document
from bff.kit import inputs
from bff.kit.clock import Clock, causal_now, system_clock
from bff.kit.commandlock import busy_as_failure, one_command_at_a_time
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import InvalidInput, InvalidState, NotFound
from bff.kit.outbox import Outbox
from bff.kit.tell import tell
from bff.restaurant.names import RESTAURANTS, SERVICE, actor, scope
from events import (
    Address,
    Event,
    Menu,
    MenuItem,
    MenuUpdated,
    Money,
    Restaurant,
    RestaurantClosed,
    RestaurantOpened,
    RestaurantUpdated,
)

#: a menu longer than this is a mistake (and would bloat every menu-updated event)
MENU_MAX_ITEMS = 200
DEFAULT_CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class RestaurantProfile:
    """What the restaurant owns: its details (with the open flag) and its menu."""

    restaurant: Restaurant
    menu: Menu
    #: the timestamp of the last event this entity recorded
    last_event_ms: int = 0

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> RestaurantProfile:
        return cls(
            restaurant=Restaurant.model_validate(doc["restaurant"]),
            menu=Menu.model_validate(doc["menu"]),
            last_event_ms=int(doc.get("lastEventMs", 0)),
        )

    def to_document(self) -> Document:
        return {
            "restaurant": self.restaurant.model_dump(mode="json", by_alias=True),
            "menu": self.menu.model_dump(mode="json", by_alias=True),
            "lastEventMs": self.last_event_ms,
        }

    def item(self, item_id: str) -> MenuItem:
        for item in self.menu.items:
            if item.id == item_id:
                return item
        raise NotFound(f"menu item {item_id!r} is not on your menu")


class ProfileCommands:
    """The restaurant's verbs on its own profile and menu."""

    #: what each command publishes when it changes something. ``_events`` picks the type
    #: at run time, so the event map (``python -m eventmap``) reads it here; the map's test
    #: (tests/unit/test_eventmap.py) runs every command and holds this to what it publishes
    PUBLISHES: ClassVar[Mapping[str, tuple[type[Event], ...]]] = {
        "register_restaurant": (RestaurantUpdated, MenuUpdated),
        "update_profile": (RestaurantUpdated,),
        "open": (RestaurantOpened,),
        "close": (RestaurantClosed,),
        "add_menu_item": (MenuUpdated,),
        "edit_menu_item": (MenuUpdated,),
        "set_item_availability": (MenuUpdated,),
        "remove_menu_item": (MenuUpdated,),
    }

    def __init__(
        self,
        db: AsyncDatabase[Document],
        outbox: Outbox,
        locks: DocumentLocks,
        *,
        clock: Clock = system_clock,
        region: str = "local",
        notifications: Notifications | None = None,
    ) -> None:
        self._restaurants = db[RESTAURANTS]
        self._outbox = outbox
        self._locks = locks
        self._clock = clock
        self._region = region
        self._notifications = notifications

    async def register_restaurant(
        self, restaurant: Restaurant, items: Sequence[MenuItem] = ()
    ) -> RestaurantProfile:
        """Create a restaurant with its menu (seeding); publishes restaurant-updated and
        menu-updated. ``InvalidState`` if it exists already."""
        if len({item.id for item in items}) != len(items):
            raise InvalidInput("items", "menu item ids must be unique")
        if len({item.price.currency for item in items}) > 1:
            raise InvalidInput("items", "a menu is priced in one currency")
        profile = RestaurantProfile(
            restaurant, Menu(restaurant_id=restaurant.id, items=list(items)), self._clock()
        )
        events = self._events(None, profile)
        try:
            with busy_as_failure():
                await self._outbox.insert(
                    self._restaurants, {"_id": restaurant.id, **profile.to_document()}, events
                )
        except DuplicateKeyError:
            raise InvalidState(f"restaurant {restaurant.id!r} is registered already") from None
        return profile

    async def update_profile(
        self,
        restaurant_id: str,
        *,
        name: str | None = None,
        cuisine: str | None = None,
        address: Address | Mapping[str, Any] | None = None,
        default_prep_minutes: int | None = None,
        phone: str | None = None,
        description: str | None = None,
    ) -> RestaurantProfile:
        """Change the given details (None: unchanged; an empty phone or description clears it)."""
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = inputs.text("name", name, max_length=inputs.NAME_MAX)
        if cuisine is not None:
            changes["cuisine"] = inputs.text("cuisine", cuisine, max_length=inputs.CUISINE_MAX)
        if address is not None:
            changes["address"] = inputs.address("address", address)
        if default_prep_minutes is not None:
            changes["default_prep_minutes"] = inputs.whole_number(
                "defaultPrepMinutes", default_prep_minutes, low=1, high=240
            )
        if phone is not None:
            changes["phone"] = inputs.optional_text("phone", phone, max_length=inputs.PHONE_MAX)
        if description is not None:
            changes["description"] = inputs.optional_text(
                "description", description, max_length=inputs.DESCRIPTION_MAX
            )
        return await self._change(restaurant_id, lambda p: _with_details(p, changes))

    async def open(self, restaurant_id: str) -> RestaurantProfile:
        """Start taking orders (restaurant-opened); nothing happens if already open."""
        return await self._change(restaurant_id, lambda p: _with_details(p, {"is_open": True}))

    async def close(self, restaurant_id: str) -> RestaurantProfile:
        """Stop taking orders (restaurant-closed); nothing happens if already closed."""
        return await self._change(restaurant_id, lambda p: _with_details(p, {"is_open": False}))

    async def add_menu_item(
        self,
        restaurant_id: str,
        *,
        name: str,
        price_cents: int,
        category: str,
        description: str = "",
        currency: str | None = None,
        available: bool = True,
    ) -> MenuItem:
        """Put a new item on the menu; returns it with its new id."""
        fields = _item_fields(
            name=name,
            description=description,
            category=category,
            available=available,
            price_cents=price_cents,
        )
        item_id = f"mi-{str(ULID()).lower()}"

        def add(profile: RestaurantProfile) -> RestaurantProfile:
            if len(profile.menu.items) >= MENU_MAX_ITEMS:
                raise InvalidState(f"a menu holds at most {MENU_MAX_ITEMS} items")
            price = _price(profile, fields["price_cents"], currency)
            details = {k: v for k, v in fields.items() if k != "price_cents"}
            item = MenuItem(id=item_id, price=price, **details)
            return _with_items(profile, [*profile.menu.items, item])

        return (await self._change(restaurant_id, add)).item(item_id)

    async def edit_menu_item(
        self,
        restaurant_id: str,
        item_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        category: str | None = None,
        price_cents: int | None = None,
        currency: str | None = None,
        available: bool | None = None,
    ) -> MenuItem:
        """Change the given fields of one item (None: unchanged); returns the item."""
        item_id = inputs.identifier("itemId", item_id)
        fields = _item_fields(
            name=name,
            description=description,
            category=category,
            available=available,
            price_cents=price_cents,
        )

        def edit(profile: RestaurantProfile) -> RestaurantProfile:
            item = profile.item(item_id)
            changes = {k: v for k, v in fields.items() if k != "price_cents"}
            if "price_cents" in fields or currency is not None:
                cents = fields.get("price_cents", item.price.amount)
                changes["price"] = _price(
                    profile, cents, currency or item.price.currency, item_id=item_id
                )
            edited = MenuItem.model_validate({**item.model_dump(by_alias=False), **changes})
            return _with_items(
                profile, [edited if i.id == item_id else i for i in profile.menu.items]
            )

        return (await self._change(restaurant_id, edit)).item(item_id)

    async def set_item_availability(
        self, restaurant_id: str, item_id: str, available: bool
    ) -> MenuItem:
        """Mark an item available or sold out; returns the item."""
        return await self.edit_menu_item(
            restaurant_id, item_id, available=inputs.flag("available", available)
        )

    async def remove_menu_item(self, restaurant_id: str, item_id: str) -> Menu:
        """Take an item off the menu; returns the menu."""
        item_id = inputs.identifier("itemId", item_id)

        def remove(profile: RestaurantProfile) -> RestaurantProfile:
            profile.item(item_id)  # NotFound when it is not there
            return _with_items(profile, [i for i in profile.menu.items if i.id != item_id])

        return (await self._change(restaurant_id, remove)).menu

    async def _change(
        self, restaurant_id: str, change: Callable[[RestaurantProfile], RestaurantProfile]
    ) -> RestaurantProfile:
        """Read, change in memory, write with the events: one command at a time."""
        async with one_command_at_a_time(self._locks, self._restaurants, restaurant_id):
            doc = await self._restaurants.find_one({"_id": restaurant_id})
            if doc is None:
                raise NotFound(f"restaurant {restaurant_id!r} is not registered")
            before = RestaurantProfile.from_document(doc)
            after = change(before)
            if after.restaurant == before.restaurant and after.menu == before.menu:
                return before
            after = RestaurantProfile(
                after.restaurant, after.menu, causal_now(self._clock, before.last_event_ms)
            )
            events = self._events(before, after)
            written = await self._outbox.update(
                self._restaurants, {"_id": restaurant_id}, {"$set": after.to_document()}, events
            )
            if written is None:  # deleted meanwhile (not something the BFF does)
                raise NotFound(f"restaurant {restaurant_id!r} is not registered")
        await self._notify(restaurant_id, events)
        return after

    async def _notify(self, restaurant_id: str, events: Sequence[Event]) -> None:
        last = events[-1]
        message = {"view": RESTAURANTS, "id": restaurant_id, "type": last.type, "eventId": last.id}
        await tell(self._notifications, scope(restaurant_id), message)

    def _events(self, before: RestaurantProfile | None, after: RestaurantProfile) -> list[Event]:
        tags: dict[str, Any] = {
            "source": SERVICE,
            "actor": actor(after.restaurant.id),
            "region": self._region,
            "now_ms": after.last_event_ms,
        }
        events: list[Event] = []
        if before is None or after.restaurant != before.restaurant:
            kind: type[RestaurantUpdated | RestaurantOpened | RestaurantClosed] = RestaurantUpdated
            if before is not None and after.restaurant.is_open != before.restaurant.is_open:
                kind = RestaurantOpened if after.restaurant.is_open else RestaurantClosed
            events.append(kind.record(restaurant=after.restaurant, **tags))
        if before is None or after.menu != before.menu:
            events.append(MenuUpdated.record(menu=after.menu, **tags))
        return events


def _with_details(profile: RestaurantProfile, changes: Mapping[str, Any]) -> RestaurantProfile:
    try:
        restaurant = Restaurant.model_validate(
            {**profile.restaurant.model_dump(by_alias=False), **changes}
        )
    except ValidationError as exc:
        raise inputs.first_error(exc, "") from None
    return RestaurantProfile(restaurant, profile.menu, profile.last_event_ms)


def _with_items(profile: RestaurantProfile, items: list[MenuItem]) -> RestaurantProfile:
    menu = Menu(restaurant_id=profile.restaurant.id, items=items)
    return RestaurantProfile(profile.restaurant, menu, profile.last_event_ms)


def _item_fields(
    *,
    name: str | None,
    description: str | None,
    category: str | None,
    available: bool | None,
    price_cents: int | None,
) -> dict[str, Any]:
    """The given item fields, checked; the price stays in cents until the currency is known."""
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = inputs.text("name", name, max_length=inputs.NAME_MAX)
    if description is not None:
        fields["description"] = (
            inputs.optional_text("description", description, max_length=inputs.DESCRIPTION_MAX)
            or ""
        )
    if category is not None:
        fields["category"] = inputs.text("category", category, max_length=inputs.CATEGORY_MAX)
    if available is not None:
        fields["available"] = inputs.flag("available", available)
    if price_cents is not None:
        fields["price_cents"] = inputs.whole_number(
            "priceCents", price_cents, low=0, high=1_000_000
        )
    return fields


def _price(
    profile: RestaurantProfile, cents: int, currency: str | None, *, item_id: str = ""
) -> Money:
    """The price in the menu's currency: one menu, one currency."""
    others = {i.price.currency for i in profile.menu.items if i.id != item_id}
    wanted = currency or (min(others) if others else DEFAULT_CURRENCY)
    if others and others != {wanted}:
        raise InvalidInput("currency", f"the menu is priced in {', '.join(sorted(others))}")
    return inputs.money("priceCents", cents, wanted)
