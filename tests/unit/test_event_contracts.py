"""Catalog contracts: committed schemas match the models, samples fit both, evolution is safe."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from jsonschema import Draft202012Validator
from pydantic import create_model

from events import EVENT_TYPES, Event, parse_event, to_dict, to_wire
from events.samples import SAMPLES_DIR, sample_dict
from events.schemas import SCHEMAS_DIR, render_schemas, schema_id, stale_files
from events.schemas.__main__ import main as schemas_main

CATALOG_V1 = {
    "restaurant-updated",
    "restaurant-opened",
    "restaurant-closed",
    "menu-updated",
    "order-accepted",
    "order-rejected",
    "order-ready",
    "menu-viewed",
    "order-placed",
    "order-cancelled",
    "driver-status-changed",
    "driver-location-changed",
    "delivery-accepted",
    "order-picked-up",
    "order-delivered",
    "fault",
}
TYPES = sorted(EVENT_TYPES)


def committed_schema(event_type: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS_DIR / f"{event_type}.json").read_text("utf-8"))
    return schema


def test_registry_holds_exactly_catalog_v1() -> None:
    assert set(EVENT_TYPES) == CATALOG_V1
    for event_type, cls in EVENT_TYPES.items():
        assert cls.event_type() == event_type


def test_every_type_has_one_sample_and_one_schema() -> None:
    expected = {f"{t}.json" for t in CATALOG_V1}
    assert {p.name for p in SAMPLES_DIR.glob("*.json")} == expected
    assert {p.name for p in SCHEMAS_DIR.glob("*.json")} == expected
    assert (SCHEMAS_DIR / "README.md").is_file()


def test_committed_schemas_equal_freshly_generated_ones() -> None:
    for name, text in render_schemas().items():
        assert (SCHEMAS_DIR / name).read_text("utf-8") == text, f"{name} is stale"
    assert stale_files() == []
    assert schemas_main(["--check"]) == 0


@pytest.mark.parametrize("event_type", TYPES)
def test_committed_schema_is_valid_and_identified(event_type: str) -> None:
    schema = committed_schema(event_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == schema_id(event_type) == f"urn:food-delivery:event:{event_type}:v1"
    assert schema["properties"]["type"]["const"] == event_type
    assert {"id", "type", "timestamp", "partitionKey", "tags"} <= set(schema["required"])


@pytest.mark.parametrize("event_type", TYPES)
def test_sample_parses_and_validates_against_committed_schema(event_type: str) -> None:
    data = sample_dict(event_type)
    event = parse_event(json.dumps(data))
    assert isinstance(event, EVENT_TYPES[event_type])
    assert event.type == data["type"] == event_type
    errors = list(Draft202012Validator(committed_schema(event_type)).iter_errors(data))
    assert errors == []


@pytest.mark.parametrize("event_type", TYPES)
def test_round_trip_through_the_wire_gives_an_equal_event(event_type: str) -> None:
    event = parse_event(sample_dict(event_type))
    wire = to_wire(event)
    compact = json.dumps(json.loads(wire), separators=(",", ":"), ensure_ascii=False)
    assert wire == compact.encode()
    assert parse_event(wire) == event
    assert parse_event(to_dict(event)) == event
    assert "partitionKey" in to_dict(event) and "partition_key" not in to_dict(event)


@pytest.mark.parametrize("event_type", TYPES)
def test_a_model_with_an_added_optional_field_accepts_old_events(event_type: str) -> None:
    cls = EVENT_TYPES[event_type]
    newer = cast(
        type[Event],
        create_model(f"{cls.__name__}V2", __base__=cls, loyalty_tier=(str | None, None)),
    )
    old = sample_dict(event_type)

    upgraded = newer.model_validate(old)
    assert to_dict(upgraded) == {**to_dict(parse_event(old)), "loyaltyTier": None}
    newer_schema = newer.model_json_schema(by_alias=True, mode="validation")
    assert list(Draft202012Validator(newer_schema).iter_errors(old)) == []

    # and an old consumer reads what the newer producer writes, dropping the new field
    from_newer = newer.model_validate({**old, "loyaltyTier": "gold"})
    assert parse_event(to_wire(from_newer)) == parse_event(old)


@pytest.mark.parametrize("event_type", TYPES)
def test_unknown_extra_fields_are_ignored(event_type: str) -> None:
    data = sample_dict(event_type)
    data["addedInV2"] = {"anything": [1, 2]}
    data["tags"]["deviceId"] = "ios-17"
    event = parse_event(data)
    assert event == parse_event(sample_dict(event_type))
    assert "addedInV2" not in to_dict(event)


def test_schemas_check_names_stale_and_missing_files(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert schemas_main(["--dir", str(tmp_path)]) == 0
    assert schemas_main(["--check", "--dir", str(tmp_path)]) == 0

    (tmp_path / "order-placed.json").write_text("{}\n", "utf-8")
    (tmp_path / "menu-viewed.json").unlink()
    (tmp_path / "order-shipped.json").write_text("{}\n", "utf-8")
    capsys.readouterr()
    assert schemas_main(["--check", "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    for name in ("order-placed.json", "menu-viewed.json", "order-shipped.json"):
        assert name in err
    assert "order-ready.json" not in err

    assert schemas_main(["--dir", str(tmp_path)]) == 0
    assert stale_files(tmp_path) == []
    assert not (tmp_path / "order-shipped.json").exists()
