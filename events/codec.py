"""Reading events off the wire and writing them back: the only place dicts and bytes live."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from events.catalog import AnyEvent
from events.envelope import Event
from events.errors import InvalidEvent, UnknownEventType

_ADAPTER: TypeAdapter[Event] = TypeAdapter(AnyEvent)


def parse_event(data: bytes | str | Mapping[str, Any]) -> Event:
    """Validate one event from JSON bytes/str or an already decoded mapping.

    Raises UnknownEventType for a type the catalog does not know, and InvalidEvent naming
    the type and field path ("order-placed: order.items.0.quantity: ...") otherwise.
    """
    try:
        if isinstance(data, bytes | str):
            return _ADAPTER.validate_json(data)
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        if first["type"] == "union_tag_invalid" and isinstance(first["input"]["type"], str):
            raise UnknownEventType(first["input"]["type"]) from None
        raise InvalidEvent(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line per error: "<type>: <field.path>: <message>"."""
    return "\n".join(_line(error) for error in exc.errors(include_url=False))


def _line(error: ErrorDetails) -> str:
    if not error["loc"]:  # the input as a whole: not JSON, not an object, no usable type
        where = "type" if error["type"].startswith("union_tag") else "event"
        return f"{where}: {error['msg']}"
    tag, *path = (str(step) for step in error["loc"])
    return f"{tag}: {'.'.join(path)}: {error['msg']}" if path else f"{tag}: {error['msg']}"


def to_dict(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready dict with camelCase keys."""
    return event.model_dump(mode="json", by_alias=True)


def to_wire(event: Event) -> bytes:
    """The event as compact UTF-8 JSON bytes with camelCase keys."""
    return event.model_dump_json(by_alias=True).encode()
