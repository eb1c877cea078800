"""Checking command input at the boundary: clean values, or ``InvalidInput`` naming the
field as the app knows it (camelCase) with a message a person can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from bff.kit.failures import InvalidInput
from events import Address, Money

#: limits of free text people type (what fits on a ticket, a menu card, an address label)
NAME_MAX = 80
CUISINE_MAX = 40
CATEGORY_MAX = 40
DESCRIPTION_MAX = 500
PHONE_MAX = 30
REASON_MAX = 200
ID_MAX = 100

M = TypeVar("M", Address, Money)


def text(field: str, value: object, *, max_length: int) -> str:
    """Required text, trimmed: not empty, at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(field, "must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return cleaned


def optional_text(field: str, value: object, *, max_length: int) -> str | None:
    """Optional text, trimmed; empty means none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    cleaned = value.strip()
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return cleaned or None


def whole_number(field: str, value: object, *, low: int, high: int) -> int:
    """An int (not a bool) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(field, f"must be a whole number from {low} to {high}")
    return value


def identifier(field: str, value: object) -> str:
    """An id as the app sends it back: non-empty, no spaces."""
    if not isinstance(value, str) or not value or len(value) > ID_MAX or value != value.strip():
        raise InvalidInput(field, "must be a known id")
    return value


def flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(field, "must be true or false")
    return value


def money(field: str, amount: object, currency: object) -> Money:
    """A price in integer cents of a three-letter currency."""
    cents = whole_number(field, amount, low=0, high=1_000_000)
    if not isinstance(currency, str) or not currency.isascii() or not currency.isupper():
        raise InvalidInput("currency", "must be a three-letter code such as EUR")
    return checked(Money, {"amount": cents, "currency": currency}, field)


def address(field: str, value: Address | Mapping[str, Any]) -> Address:
    """A full address with its location; text parts trimmed and limited."""
    data = value.model_dump(by_alias=False) if isinstance(value, Address) else dict(value)
    for part in ("line1", "city", "postcode"):
        data[part] = text(f"{field}.{part}", data.get(part), max_length=NAME_MAX)
    return checked(Address, data, field)


def checked(model: type[M], data: Mapping[str, Any], field: str) -> M:
    """``model`` validated from ``data``; its first error as ``InvalidInput``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise first_error(exc, field) from None


def first_error(exc: ValidationError, field: str) -> InvalidInput:
    """A pydantic error as ``InvalidInput`` on ``field``'s path (camelCase, as on the wire)."""
    first = exc.errors(include_url=False, include_context=False)[0]
    steps = [field] if field else []
    steps += [str(step) for step in first["loc"]]
    return InvalidInput(".".join(steps) or "input", first["msg"])
