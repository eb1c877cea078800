"""Commands from the code: each GraphQL mutation of a BFF, the command method it calls,
and the events that method publishes.

- A mutation's command is the method its resolver calls on ``info.context.commands``
  (the BFF's command object, typed by its context class), directly or through a local
  name (``kitchen = info.context.commands.kitchen``).
- The events are the classes the method records (``OrderPlaced.record(...)``), in its
  own body and in the methods and module functions it reaches (``source.recorded_events``).
- Where a command picks its event type at run time, reading the code yields every type
  it could pick. A command class may then declare what each command publishes
  (``PUBLISHES = {"open": (RestaurantOpened,)}``); the declaration is used when it names
  only events the code records, and tests/unit/test_eventmap.py runs each declared
  command to prove it.
"""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from strawberry.types.base import get_object_definition

from bff.kit.spec import BffSpec
from eventmap import source
from eventmap.source import EventClass

#: the attribute of a BFF's request context that holds its commands
COMMANDS = "commands"
#: a command class's optional declaration: method name -> the event classes it publishes
DECLARATION = "PUBLISHES"


@dataclass(frozen=True, slots=True)
class Command:
    """One mutation and what its command does."""

    #: the GraphQL name, e.g. ``placeOrder``
    mutation: str
    #: the command methods it calls, e.g. ``OrderingCommands.place_order``
    methods: tuple[str, ...]
    events: tuple[EventClass, ...]
    #: the collections the command methods read or write (entities and views)
    collections: tuple[str, ...]
    #: True when the events come from the command class's ``PUBLISHES``
    declared: bool = False


def commands_of(spec: BffSpec) -> list[Command]:
    """Every mutation of the BFF's schema, in the schema's order."""
    mutation_type = spec.schema.mutation
    definition = get_object_definition(mutation_type) if mutation_type is not None else None
    if definition is None:
        return []
    context = spec.context_factory
    if not isinstance(context, type):
        raise TypeError(f"{spec.service}: the context factory must be a class to read its types")
    found = []
    for field in definition.fields:
        if field.base_resolver is None:
            continue
        resolver = field.base_resolver.wrapped_func
        methods = called_commands(resolver, context) if callable(resolver) else []
        events: set[EventClass] = set()
        collections: set[str] = set()
        declared = False
        for owner, name in methods:
            published, by_declaration = published_by(owner, name)
            events |= published
            declared = declared or by_declaration
            collections |= touched_collections(owner, name)
        found.append(
            Command(
                mutation=spec.schema.config.name_converter.get_graphql_name(field),
                methods=tuple(f"{owner.__name__}.{name}" for owner, name in methods),
                events=tuple(sorted(events, key=lambda cls: cls.event_type())),
                collections=tuple(sorted(collections)),
                declared=declared,
            )
        )
    return found


def called_commands(resolver: Callable[..., Any], context: type) -> list[tuple[type, str]]:
    """(command class, method name) for each command the resolver calls, in call order."""
    code = source.parsed(resolver)
    if code is None:
        return []
    root = member_type(context, COMMANDS)
    if root is None:
        return []
    local: dict[str, type] = {}

    def type_of(expr: ast.expr) -> type | None:
        if _is_context_commands(expr):
            return root
        if isinstance(expr, ast.Name):
            return local.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = type_of(expr.value)
            return member_type(base, expr.attr) if base is not None else None
        return None

    assignments = [
        node
        for node in ast.walk(code.tree)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ]
    for node in assignments:
        assert isinstance(node.targets[0], ast.Name)
        if (found := type_of(node.value)) is not None:
            local[node.targets[0].id] = found
    called: list[tuple[type, str]] = []
    for call in sorted(source.calls(code), key=lambda c: (c.lineno, c.col_offset)):
        func = call.func
        if not isinstance(func, ast.Attribute) or (owner := type_of(func.value)) is None:
            continue
        if inspect.isfunction(getattr(owner, func.attr, None)) and (owner, func.attr) not in called:
            called.append((owner, func.attr))
    return called


def published_by(owner: type, name: str) -> tuple[set[EventClass], bool]:
    """The events a command method publishes, and whether they come from a declaration.

    Raises ValueError for a declaration naming an event the code does not record."""
    code = source.parsed(getattr(owner, name), owner)
    recorded = source.recorded_events(code) if code is not None else set()
    declarations: Mapping[str, Sequence[EventClass]] = getattr(owner, DECLARATION, {})
    if name not in declarations:
        return recorded, False
    declared = set(declarations[name])
    if not declared <= recorded:
        extra = sorted(cls.__name__ for cls in declared - recorded)
        raise ValueError(
            f"{owner.__name__}.{DECLARATION}[{name!r}] names {', '.join(extra)}, "
            f"which {owner.__name__}.{name} never records"
        )
    return declared, True


def touched_collections(owner: type, name: str) -> set[str]:
    """The collections a command method uses through ``self._x = db[NAME]`` attributes."""
    attributes = source.collection_attributes(owner)
    code = source.parsed(getattr(owner, name), owner)
    used = source.self_attributes(code) if code is not None else set()
    return {attributes[a] for a in used if a in attributes}


def member_type(owner: type, name: str) -> type | None:
    """The type of ``owner().<name>``: a property's return type or an annotated field."""
    member = inspect.getattr_static(owner, name, None)
    hint: object = None
    if isinstance(member, cached_property):
        hint = _hints(member.func).get("return")
    elif isinstance(member, property) and member.fget is not None:
        hint = _hints(member.fget).get("return")
    else:
        hint = _hints(owner).get(name)
    return hint if isinstance(hint, type) else None


def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except (NameError, TypeError):
        return {}


def _is_context_commands(expr: ast.expr) -> bool:
    """``<info>.context.commands``"""
    return (
        isinstance(expr, ast.Attribute)
        and expr.attr == COMMANDS
        and isinstance(expr.value, ast.Attribute)
        and expr.value.attr == "context"
        and isinstance(expr.value.value, ast.Name)
    )
