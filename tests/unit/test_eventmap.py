"""The event-storming map (``eventmap``): every event of the catalog on it with its
producers and consumers, the committed map current, and the map following the code."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bff.kit.spec import BffSpec
from bff.restaurant.names import TICKETS
from bff.restaurant.profile import ProfileCommands
from eventmap import discover, render_page, render_svg, source, text
from eventmap.__main__ import main
from eventmap.commands import commands_of, published_by
from eventmap.discover import ONLY_THE_LAKE, bff_specs
from eventmap.files import assert_current
from eventmap.layout import DETAIL_SIZE, LABEL_SIZE, PAD_X, lay_out
from eventmap.model import LAKE, Arrow, EventMap, Flow, Kind, Lane, Note
from events import (
    EVENT_TYPES,
    DriverStatusChanged,
    MenuItem,
    MenuUpdated,
    OrderAccepted,
    OrderReady,
    OrderRejected,
    Restaurant,
    RestaurantUpdated,
)
from events.samples import sample_event
from listeners.rules import ViewWrite
from listeners.views import Views
from tests.support.fakes import FakeDatabase

SPECS = bff_specs()
MAP = discover(SPECS)
SVG = ET.fromstring(render_svg(MAP))


def drawn(**attributes: str) -> list[ET.Element]:
    """The SVG's note groups whose data attributes have these values."""
    return [
        g
        for g in SVG.iter("{http://www.w3.org/2000/svg}g")
        if all(g.get(f"data-{key}") == value for key, value in attributes.items())
    ]


# --- every event, with its producers and consumers -----------------------------------------


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_appears_with_its_producers_and_consumers(event_type: str) -> None:
    assert drawn(id=f"event:{event_type}"), "the event is not drawn"
    producers = MAP.producers(event_type)
    assert producers, f"nothing publishes {event_type}"
    for producer in producers:
        starters = {MAP.note(a.source).kind for a in MAP.arrows_to(producer.id)}
        expected = Kind.ACTOR if producer.kind is Kind.COMMAND else Kind.SYSTEM
        assert producer.kind in (Kind.COMMAND, Kind.POLICY)
        assert expected in starters, f"{producer.label} has no {expected.value}"
        assert drawn(id=producer.id)
    rules = [
        spec.listener.name
        for spec in SPECS
        if spec.listener is not None and EVENT_TYPES[event_type] in spec.listener.rules
    ]
    assert MAP.consumers(event_type) == [*rules, LAKE]
    for listener in rules:
        assert drawn(row=f"event:{event_type}", listener=listener), f"{listener} not in the row"


def test_every_listener_and_the_lake_are_on_the_map() -> None:
    listeners = [spec.listener.name for spec in SPECS if spec.listener is not None]
    assert (
        list(MAP.listeners)
        == listeners
        == [
            "bff-customer.listener",
            "bff-restaurant.listener",
            "bff-driver.listener",
        ]
    )
    assert drawn(id="system:lake")
    for spec in SPECS:
        assert spec.listener is not None
        for view in spec.listener.views:
            assert MAP.note(f"read-model:{spec.listener.name}:{view}").kind is Kind.READ_MODEL


def test_an_event_only_the_lake_consumes_is_shown_as_such() -> None:
    lake_only = [t for t in EVENT_TYPES if MAP.consumers(t) == [LAKE]]
    assert "fault" in lake_only
    for event_type in EVENT_TYPES:
        note = MAP.event(event_type)
        assert (ONLY_THE_LAKE in note.detail) == (event_type in lake_only)
        (group,) = drawn(id=note.id)
        said = ONLY_THE_LAKE in "".join(group.itertext())
        assert said == (event_type in lake_only)


def test_the_commands_are_read_from_the_code() -> None:
    published = {
        (spec.role, command.mutation): {cls.event_type() for cls in command.events}
        for spec in SPECS
        for command in commands_of(spec)
    }
    assert published[("customer", "placeOrder")] == {"order-placed"}
    assert published[("restaurant", "acceptOrder")] == {"order-accepted"}
    # through DispatchCommands._save_driver, which accept_delivery reaches
    assert published[("driver", "acceptDelivery")] == {"delivery-accepted", "driver-status-changed"}
    # declared: ProfileCommands._events picks the type at run time
    assert published[("restaurant", "openRestaurant")] == {"restaurant-opened"}
    assert MAP.note("command:driver:acceptDelivery").detail == (
        "DispatchCommands.accept_delivery",
        "reads offers",
    )
    informs = Arrow(
        "read-model:bff-driver.listener:offers", "command:driver:acceptDelivery", Flow.INFORMS
    )
    assert informs in MAP.arrows


def test_the_failure_policy_publishes_the_fault_event() -> None:
    (producer,) = MAP.producers("fault")
    assert producer.kind is Kind.POLICY and producer.label == "RULE_FAILURE"
    (runtime,) = (MAP.note(a.source) for a in MAP.arrows_to(producer.id, Flow.TRIGGERS))
    assert runtime.detail == MAP.listeners


# --- reading the code ------------------------------------------------------------------------


class Kitchen:
    """Never run: read only."""

    def __init__(self, db: dict[str, Any]) -> None:
        self._tickets = db["tickets"]
        self._other = db[TICKETS]

    async def accept(self) -> None:
        self._decide(OrderAccepted.record())

    async def decide(self, accept: bool) -> None:
        kind: type[OrderAccepted | OrderRejected] = OrderAccepted if accept else OrderRejected
        kind.record()

    async def ready(self) -> None:
        await self._helper()

    async def _helper(self) -> None:
        _make_ready(self._tickets)

    def _decide(self, event: object) -> None:
        pass


def _make_ready(tickets: object) -> OrderReady:
    return OrderReady.record()


def recorded(method: Callable[..., Any]) -> set[str]:
    code = source.parsed(method, Kitchen)
    assert code is not None
    return {cls.event_type() for cls in source.recorded_events(code)}


def test_the_events_a_method_records_are_found_in_what_it_reaches() -> None:
    assert recorded(Kitchen.accept) == {"order-accepted"}
    assert recorded(Kitchen.decide) == {"order-accepted", "order-rejected"}
    assert recorded(Kitchen.ready) == {"order-ready"}  # through a method and a function
    assert source.collection_attributes(Kitchen) == {"_tickets": "tickets", "_other": TICKETS}


def test_a_declaration_naming_an_event_the_code_never_records_is_refused() -> None:
    class Wrong(Kitchen):
        PUBLISHES: ClassVar[dict[str, tuple[type, ...]]] = {"accept": (OrderReady,)}

    with pytest.raises(ValueError, match="never records"):
        published_by(Wrong, "accept")
    assert published_by(Kitchen, "accept") == ({OrderAccepted}, False)


# --- the map follows the rule tables ----------------------------------------------------------


async def on_driver_status_changed(event: DriverStatusChanged, views: Views) -> list[ViewWrite]:
    return [ViewWrite(TICKETS, event.driver.id, set={"driver": event.driver.status})]


def with_restaurant_rules(rules: dict[type, Any]) -> list[BffSpec]:
    changed = []
    for spec in SPECS:
        if spec.role == "restaurant" and spec.listener is not None:
            spec = dataclasses.replace(
                spec, listener=dataclasses.replace(spec.listener, rules=rules)
            )
        changed.append(spec)
    return changed


def test_a_new_rule_puts_its_listener_on_the_events_row() -> None:
    kitchen = next(s.listener for s in SPECS if s.role == "restaurant")
    assert kitchen is not None
    rules = {**kitchen.rules, DriverStatusChanged: on_driver_status_changed}
    changed = discover(with_restaurant_rules(rules))
    assert MAP.consumers("driver-status-changed") == [LAKE]
    assert changed.consumers("driver-status-changed") == ["bff-restaurant.listener", LAKE]
    ((tickets, rule),) = changed.updates("driver-status-changed", "bff-restaurant.listener")
    assert (tickets.label, rule) == ("tickets", "on_driver_status_changed")
    assert ONLY_THE_LAKE not in changed.event("driver-status-changed").detail
    assert render_svg(changed) != render_svg(MAP)


def test_a_removed_rule_takes_its_listener_off_the_events_row() -> None:
    kitchen = next(s.listener for s in SPECS if s.role == "restaurant")
    assert kitchen is not None
    rules = {cls: h for cls, h in kitchen.rules.items() if cls.event_type() != "menu-viewed"}
    changed = discover(with_restaurant_rules(rules))
    assert MAP.consumers("menu-viewed") == ["bff-restaurant.listener", LAKE]
    assert changed.consumers("menu-viewed") == [LAKE]
    assert ONLY_THE_LAKE in changed.event("menu-viewed").detail


def test_a_rule_whose_views_cannot_be_read_writes_all_its_listeners_views() -> None:
    kitchen = next(s.listener for s in SPECS if s.role == "restaurant")
    assert kitchen is not None
    opaque = dataclasses.replace(kitchen, rules={DriverStatusChanged: print})  # no source
    changed = discover(with_restaurant_rules(dict(opaque.rules)))
    writes = changed.updates("driver-status-changed", "bff-restaurant.listener")
    assert sorted(note.label for note, _ in writes) == sorted(kitchen.views)
    assert all(rule.endswith("(views not traced)") for _, rule in writes)


# --- the declarations hold: run every declared command ------------------------------------


def restaurant(is_open: bool) -> Restaurant:
    event = sample_event("restaurant-updated")
    assert isinstance(event, RestaurantUpdated)
    return event.restaurant.model_copy(update={"is_open": is_open})


def items() -> list[MenuItem]:
    event = sample_event("menu-updated")
    assert isinstance(event, MenuUpdated)
    return list(event.menu.items)


Scenario = Callable[[ProfileCommands, str, str], Awaitable[object]]
#: one call of each declared command that changes something, on a registered restaurant
SCENARIOS: dict[str, Scenario] = {
    "register_restaurant": lambda c, rid, item: c.register_restaurant(restaurant(True), items()),
    "update_profile": lambda c, rid, item: c.update_profile(rid, name="Renamed", phone="123"),
    "open": lambda c, rid, item: c.open(rid),
    "close": lambda c, rid, item: c.close(rid),
    "add_menu_item": lambda c, rid, item: c.add_menu_item(
        rid, name="Soup", price_cents=450, category="Starters"
    ),
    "edit_menu_item": lambda c, rid, item: c.edit_menu_item(rid, item, price_cents=999),
    "set_item_availability": lambda c, rid, item: c.set_item_availability(rid, item, False),
    "remove_menu_item": lambda c, rid, item: c.remove_menu_item(rid, item),
}


def published(db: FakeDatabase) -> list[str]:
    return [
        entry["type"]
        for collection in db.collections.values()
        for document in collection.documents.values()
        for entry in document.get("_outbox", [])
    ]


def test_every_command_of_a_declaring_class_is_declared_and_run_below() -> None:
    commands = {
        name
        for name, member in vars(ProfileCommands).items()
        if inspect.iscoroutinefunction(member) and not name.startswith("_")
    }
    assert set(ProfileCommands.PUBLISHES) == commands == set(SCENARIOS)
    declaring = {
        method.split(".")[0]
        for spec in SPECS
        for command in commands_of(spec)
        if command.declared
        for method in command.methods
    }
    assert declaring == {ProfileCommands.__name__}, "a new declaration needs its scenarios here"


@pytest.mark.parametrize("method", sorted(SCENARIOS))
async def test_a_declared_command_publishes_what_it_declares(method: str) -> None:
    db = FakeDatabase()
    commands = ProfileCommands(db, db.outbox(), db.locks())  # type: ignore[arg-type]
    rid, item = restaurant(True).id, items()[0].id
    if method != "register_restaurant":
        await commands.register_restaurant(restaurant(is_open=method != "open"), items())
    before = len(published(db))
    await SCENARIOS[method](commands, rid, item)
    declared = [cls.event_type() for cls in ProfileCommands.PUBLISHES[method]]
    assert published(db)[before:] == declared


# --- drawing -------------------------------------------------------------------------------


def test_the_committed_map_is_current() -> None:
    assert_current(MAP)


def test_no_two_notes_overlap_and_every_label_fits() -> None:
    placed = lay_out(MAP)
    boxes = [p.box for p in placed.notes]
    for a, b in itertools.combinations(boxes, 2):
        apart = a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y
        assert apart, f"{a} overlaps {b}"
    for p in placed.notes:
        widest = max(
            [text.width(p.note.label, LABEL_SIZE, bold=True)]
            + [text.width(line, DETAIL_SIZE) for line in p.note.detail]
        )
        assert widest + 2 * PAD_X <= p.box.w, p.note
    lake = placed.lake
    assert lake is not None
    assert all(b.right < lake.box.x for b in boxes)


def test_text_is_escaped_and_the_svg_is_well_formed() -> None:
    note = Note("event:x", Kind.EVENT, "<script>&\"'", "lane", ("a < b",))
    tricky = EventMap((Lane("lane", "<lane> & co"),), (note,), (), ())
    svg = render_svg(tricky)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>&\"'" in texts and "a < b" in texts and "<lane> & co" in texts
    assert "<script>" not in render_page(tricky)


def test_the_page_has_the_map_a_legend_and_a_row_per_event() -> None:
    page = render_page(MAP)
    assert page.count("<svg") == 1 and "<script" not in page
    for kind in Kind:
        assert f"<b>{kind.value}</b>" in page
    for event_type in EVENT_TYPES:
        assert f"<tr><td><code>{event_type}</code>" in page


def test_the_command_line_writes_and_checks_the_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svg, html = tmp_path / "map.svg", tmp_path / "map.html"
    args = ["--svg", str(svg), "--out", str(html)]
    assert main(["--check", *args]) == 1
    assert main(args) == 0
    assert main(["--check", *args]) == 0
    assert svg.read_text(encoding="utf-8") == render_svg(MAP)
    html.write_text("edited by hand", encoding="utf-8")
    assert main(["--check", *args]) == 1
    assert "out of date; regenerate it with `python -m eventmap`" in capsys.readouterr().err
