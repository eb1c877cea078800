"""Builds the map from the code: the BFFs' specs (actor, mutations, listener), the event
catalog, the listeners' failure policy and the event lake.

Lanes follow the BFFs in port order (customer, restaurant, driver: how the runner lists
them), then the listener runtime. An event stands in the lane of its first producer;
one nobody produces stands in a last lane of its own, so the map shows the gap.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import bff
from bff.kit.spec import BffSpec
from eventmap.commands import commands_of
from eventmap.consumers import lake_group, rules_of
from eventmap.model import Arrow, EventMap, Flow, Kind, Lane, Note, event_id
from eventmap.policies import failure_policy
from events import EVENT_TYPES, Event

LISTENERS_LANE = "listeners"
UNPRODUCED_LANE = "unproduced"
LAKE_ID = "system:lake"
ONLY_THE_LAKE = "only the lake consumes it"


def bff_specs() -> list[BffSpec]:
    """Every ``bff.<name>.spec.SPEC``, in port order."""
    specs = []
    for found in pkgutil.iter_modules(bff.__path__):
        if not found.ispkg:
            continue
        name = f"bff.{found.name}.spec"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        spec = getattr(module, "SPEC", None)
        if isinstance(spec, BffSpec):
            specs.append(spec)
    return sorted(specs, key=lambda spec: (spec.port, spec.service))


def discover(
    specs: Sequence[BffSpec] | None = None,
    catalog: Mapping[str, type[Event]] = EVENT_TYPES,
) -> EventMap:
    """The map of ``specs`` (default: every BFF) over the ``catalog`` (default: Catalog v1)."""
    specs = bff_specs() if specs is None else specs
    build = _Builder()
    for spec in specs:
        _producers(build, spec)
    listeners = tuple(spec.listener.name for spec in specs if spec.listener is not None)
    _failure_policy(build, listeners)
    _events(build, catalog)
    for spec in specs:
        _consumers(build, spec)
    _lake(build, catalog)
    _captions(build, catalog)
    return EventMap(tuple(build.lanes), tuple(build.notes.values()), tuple(build.arrows), listeners)


class _Builder:
    def __init__(self) -> None:
        self.lanes: list[Lane] = []
        self.notes: dict[str, Note] = {}
        self.arrows: list[Arrow] = []

    def add(self, note: Note) -> str:
        self.notes.setdefault(note.id, note)
        return note.id

    def link(self, source: str, target: str, flow: Flow, label: str = "") -> None:
        arrow = Arrow(source, target, flow, label)
        if arrow not in self.arrows:
            self.arrows.append(arrow)


def _producers(build: _Builder, spec: BffSpec) -> None:
    lane = spec.service
    build.lanes.append(Lane(lane, f"{spec.role} · bff/{spec.service} · the actor's mutations"))
    actor = build.add(Note(f"actor:{spec.role}", Kind.ACTOR, spec.role, lane, _app(spec)))
    views = tuple(spec.listener.views) if spec.listener is not None else ()
    for command in commands_of(spec):
        reads = [c for c in command.collections if c in views]
        detail = [*command.methods]
        if reads:
            detail.append(f"reads {', '.join(reads)}")
        if not command.events:
            detail.append("publishes nothing")
        note_id = f"command:{lane}:{command.mutation}"
        note = build.add(Note(note_id, Kind.COMMAND, command.mutation, lane, tuple(detail)))
        build.link(actor, note, Flow.ISSUES)
        for event in command.events:
            build.link(note, event_id(event.event_type()), Flow.PUBLISHES)
        for view in reads:
            build.link(_read_model_id(spec, view), note, Flow.INFORMS)


def _failure_policy(build: _Builder, listeners: tuple[str, ...]) -> None:
    policy = failure_policy()
    lane = LISTENERS_LANE
    build.lanes.append(Lane(lane, "listeners · the runtime every BFF's listener runs on"))
    runtime = build.add(
        Note("system:listener-runtime", Kind.SYSTEM, "listener runtime", lane, listeners)
    )
    detail = ("when a rule fails:", policy.does, " · ".join(policy.modules))
    note = build.add(Note(f"policy:{policy.name}", Kind.POLICY, policy.name, lane, detail))
    build.link(runtime, note, Flow.TRIGGERS)
    for event in policy.events:
        build.link(note, event_id(event.event_type()), Flow.PUBLISHES)


def _events(build: _Builder, catalog: Mapping[str, type[Event]]) -> None:
    lane_of = {
        arrow.target: build.notes[arrow.source].lane
        for arrow in reversed(build.arrows)
        if arrow.flow is Flow.PUBLISHES
    }
    for event_type, cls in catalog.items():
        note_id = event_id(event_type)
        if note_id not in lane_of and UNPRODUCED_LANE not in {x.id for x in build.lanes}:
            build.lanes.append(Lane(UNPRODUCED_LANE, "no producer found in the code"))
        lane = lane_of.get(note_id, UNPRODUCED_LANE)
        build.add(Note(note_id, Kind.EVENT, event_type, lane, (cls.__name__,)))
    unknown = [a.target for a in build.arrows if a.target not in build.notes]
    if unknown:
        raise ValueError(f"events published but not in the catalog: {sorted(set(unknown))}")


def _consumers(build: _Builder, spec: BffSpec) -> None:
    listener = spec.listener
    if listener is None:
        return
    for view in listener.views:
        build.add(_read_model(spec, view, f"database {listener.database}"))
    for rule in rules_of(listener):
        label = rule.handler if rule.traced else f"{rule.handler} (views not traced)"
        for view in rule.views:
            note = build.add(_read_model(spec, view, "not among the listener's views"))
            build.link(event_id(rule.event.event_type()), note, Flow.UPDATES, label)


def _read_model(spec: BffSpec, view: str, detail: str) -> Note:
    listener = spec.listener.name if spec.listener is not None else ""
    note_id = _read_model_id(spec, view)
    return Note(note_id, Kind.READ_MODEL, view, spec.service, (detail,), listener)


def _lake(build: _Builder, catalog: Mapping[str, type[Event]]) -> None:
    detail = ("listeners.lake", f"consumer group {lake_group()}", "every event, forever")
    build.add(Note(LAKE_ID, Kind.SYSTEM, "event lake", "", detail))
    for event_type in catalog:
        build.link(event_id(event_type), LAKE_ID, Flow.STORES)


def _captions(build: _Builder, catalog: Mapping[str, type[Event]]) -> None:
    """Say so on an event that only the lake consumes."""
    for event_type in catalog:
        note_id = event_id(event_type)
        flows = {a.flow for a in build.arrows if a.source == note_id}
        if Flow.UPDATES not in flows:
            note = build.notes[note_id]
            build.notes[note_id] = Note(
                note.id, note.kind, note.label, note.lane, (*note.detail, ONLY_THE_LAKE)
            )


def _app(spec: BffSpec) -> tuple[str, ...]:
    """Where the actor's app lives: ``frontends/customer`` (the folder its build is in)."""
    if spec.static_dir is None:
        return ()
    app = spec.static_dir.parent if spec.static_dir.name == "dist" else spec.static_dir
    root = Path(bff.__file__).resolve().parents[1]
    return (str(app.relative_to(root)) if app.is_relative_to(root) else app.name,)


def _read_model_id(spec: BffSpec, view: str) -> str:
    listener = spec.listener.name if spec.listener is not None else spec.service
    return f"read-model:{listener}:{view}"
