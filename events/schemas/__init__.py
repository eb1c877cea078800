"""JSON Schemas of the catalog, generated from the models and committed beside this file.

``python -m events.schemas`` rewrites them; ``python -m events.schemas --check`` fails and
names the files that differ from what the models generate now.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from events.catalog import EVENT_TYPES
from events.envelope import Event, wire_path

SCHEMAS_DIR = Path(__file__).parent
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(event_type: str, version: int = 1) -> str:
    return f"urn:food-delivery:event:{event_type}:v{version}"


def build_schema(cls: type[Event]) -> dict[str, Any]:
    """The JSON Schema of one event type as consumers validate it (camelCase, validation)."""
    schema = cls.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = DRAFT
    schema["$id"] = schema_id(cls.event_type())
    schema["x-partitionKey"] = wire_path(cls.key_path)
    return schema


def render_schemas() -> dict[str, str]:
    """File name -> file text for every catalog type."""
    return {
        f"{event_type}.json": json.dumps(build_schema(cls), indent=2, sort_keys=True) + "\n"
        for event_type, cls in EVENT_TYPES.items()
    }


def stale_files(directory: Path = SCHEMAS_DIR) -> list[str]:
    """Names of schema files that are missing, differ, or belong to no catalog type."""
    wanted = render_schemas()
    present = {path.name for path in directory.glob("*.json")}
    stale = [
        name
        for name, text in wanted.items()
        if name not in present or (directory / name).read_text(encoding="utf-8") != text
    ]
    return sorted(stale + sorted(present - wanted.keys()))


def write_schemas(directory: Path = SCHEMAS_DIR) -> list[str]:
    """Write every schema file and delete orphans; return the names that changed."""
    changed = stale_files(directory)
    wanted = render_schemas()
    for name in changed:
        path = directory / name
        if name in wanted:
            path.write_text(wanted[name], encoding="utf-8")
        else:
            path.unlink()
    return changed
