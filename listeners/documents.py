"""Evaluating and applying a rule's write to a view document in memory.

The listener computes each document's next state itself and stores it whole: FerretDB
only uses an index for a filter of exactly ``{_id: ...}``, so conditions and update
operators evaluated by the store would scan the collection on every write. The
supported operators are the ones rules need; anything else is a rule bug and raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from listeners.views import Document

_MISSING = object()


def get_path(doc: Mapping[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def set_path(doc: Document, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = doc
    for part in parents:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[last] = value


def matches(doc: Mapping[str, Any], condition: Mapping[str, Any]) -> bool:
    """True when the document satisfies a MongoDB-style condition (a subset)."""
    return all(_field_matches(get_path(doc, path), test) for path, test in condition.items())


def _field_matches(value: Any, test: Any) -> bool:
    if not (isinstance(test, Mapping) and test and all(k.startswith("$") for k in test)):
        return value is not _MISSING and value == test
    for op, arg in test.items():
        if op == "$eq" and not (value is not _MISSING and value == arg):
            return False
        if op == "$ne" and value is not _MISSING and value == arg:
            return False
        if op == "$in" and (value is _MISSING or value not in arg):
            return False
        if op == "$nin" and value is not _MISSING and value in arg:
            return False
        if op == "$exists" and (value is not _MISSING) != bool(arg):
            return False
        if op not in ("$eq", "$ne", "$in", "$nin", "$exists"):
            raise ValueError(f"unsupported operator in a rule's condition: {op}")
    return True


def apply_update(
    doc: Document | None,
    doc_id: str,
    *,
    set_fields: Mapping[str, Any],
    set_on_insert: Mapping[str, Any],
    inc: Mapping[str, int | float],
) -> Document:
    """The document after one write (a new one when doc is None); doc is changed in place."""
    if doc is None:
        doc = {"_id": doc_id}
        for path, value in set_on_insert.items():
            set_path(doc, path, value)
    for path, value in set_fields.items():
        set_path(doc, path, value)
    for path, amount in inc.items():
        current = get_path(doc, path)
        set_path(doc, path, (0 if current is _MISSING else current) + amount)
    return doc
