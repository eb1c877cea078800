"""Reading the code, without running it: which functions a function reaches, which event
classes they record, which calls they make and which collections they touch.

A function reaches the methods it calls on ``self`` (of the class it belongs to) and the
functions of its own module it calls by name; helpers elsewhere (the kit, pymongo) are
not followed. Names resolve in the function's module, as Python resolves them.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from events import Event

EventClass = type[Event]


@dataclass(frozen=True, eq=False)
class Code:
    """A function (or module) as syntax, with the namespace its names resolve in."""

    tree: ast.AST
    namespace: Mapping[str, Any]
    module: str
    #: the class a method belongs to: ``self.<name>`` resolves there
    owner: type | None = None


def parsed(func: Callable[..., Any], owner: type | None = None) -> Code | None:
    """The function's syntax; None when its source cannot be read alone (a builtin, a
    lambda inside a larger expression, a ``functools.partial``)."""
    func = inspect.unwrap(func)
    try:
        source = textwrap.dedent(inspect.getsource(func))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    namespace = getattr(func, "__globals__", {})
    return Code(tree, namespace, getattr(func, "__module__", ""), owner)


def parsed_module(module: ModuleType) -> Code:
    return Code(ast.parse(inspect.getsource(module)), vars(module), module.__name__)


def resolve(expr: ast.expr, namespace: Mapping[str, Any]) -> object | None:
    """What a name, a dotted name or a constant stands for; None when it is local or
    computed (``self.x``, a variable, a call)."""
    if isinstance(expr, ast.Constant):
        return expr.value
    if isinstance(expr, ast.Name):
        return namespace.get(expr.id)
    if isinstance(expr, ast.Attribute):
        base = resolve(expr.value, namespace)
        return getattr(base, expr.attr, None) if base is not None else None
    return None


def is_event_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, Event) and value is not Event


def reached(start: Code) -> Iterator[Code]:
    """The function itself, then every function it reaches (each once)."""
    seen: set[int] = set()
    todo = [start]
    while todo:
        code = todo.pop(0)
        yield code
        for call in calls(code):
            target = _callee(call, code)
            if target is None or id(target) in seen:
                continue
            seen.add(id(target))
            found = parsed(target, code.owner if _on_self(call) else None)
            if found is not None:
                todo.append(found)


def calls(code: Code) -> Iterator[ast.Call]:
    return (node for node in ast.walk(code.tree) if isinstance(node, ast.Call))


def recorded_events(start: Code) -> set[EventClass]:
    """The event classes the code (and what it reaches) records or constructs.

    ``OrderPlaced.record(...)`` and ``OrderPlaced(...)`` name their class. A class picked
    at run time (``kind.record(...)`` with ``kind`` a variable) may be any event class the
    function names (``kind: type[RestaurantOpened | RestaurantClosed] = ...``).
    """
    found: set[EventClass] = set()
    for code in reached(start):
        picked_at_run_time = False
        for call in calls(code):
            callee = call.func
            if isinstance(callee, ast.Attribute) and callee.attr == "record":
                target = resolve(callee.value, code.namespace)
                if is_event_class(target):
                    found.add(target)  # type: ignore[arg-type]
                elif target is None and isinstance(callee.value, ast.Name):
                    picked_at_run_time = True
            elif is_event_class(target := resolve(callee, code.namespace)):
                found.add(target)  # type: ignore[arg-type]
        if picked_at_run_time:
            found |= named_event_classes(code)
    return found


def named_event_classes(code: Code) -> set[EventClass]:
    named = (resolve(n, code.namespace) for n in ast.walk(code.tree) if isinstance(n, ast.Name))
    return {value for value in named if is_event_class(value)}  # type: ignore[misc]


def calls_to(start: Code, target: object) -> Iterator[tuple[ast.Call, Code]]:
    """Every call of ``target`` (a class or function) in the code and what it reaches."""
    for code in reached(start):
        for call in calls(code):
            if resolve(call.func, code.namespace) is target:
                yield call, code


def argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def self_attributes(start: Code) -> set[str]:
    """The names used as ``self.<name>`` in the code and what it reaches."""
    return {
        node.attr
        for code in reached(start)
        for node in ast.walk(code.tree)
        if isinstance(node, ast.Attribute) and _is_self(node.value)
    }


def collection_attributes(owner: type) -> dict[str, str]:
    """``self._orders = db[ORDERS]`` in the class's ``__init__``: attribute -> collection."""
    init = next(vars(cls)["__init__"] for cls in owner.__mro__ if "__init__" in vars(cls))
    code = parsed(init, owner)
    found: dict[str, str] = {}
    if code is None:
        return found
    for node in ast.walk(code.tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript)):
            continue
        name = resolve(node.value.slice, code.namespace)
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and _is_self(target.value)
                and isinstance(name, str)
            ):
                found[target.attr] = name
    return found


def _callee(call: ast.Call, code: Code) -> Callable[..., Any] | None:
    func = call.func
    if _on_self(call) and code.owner is not None:
        assert isinstance(func, ast.Attribute)
        method = getattr(code.owner, func.attr, None)
        return method if inspect.isfunction(method) else None
    if isinstance(func, ast.Name):
        value = code.namespace.get(func.id)
        if inspect.isfunction(value) and value.__module__ == code.module:
            return value
    return None


def _on_self(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and _is_self(call.func.value)


def _is_self(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Name) and expr.id == "self"
