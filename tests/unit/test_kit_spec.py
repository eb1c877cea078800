"""A BFF's spec and role selection: mistakes are caught when the process starts."""

from __future__ import annotations

import pytest
import strawberry

from bff.kit.runtime import parse_roles
from bff.kit.spec import BffSpec
from listeners.rules import Listener


@strawberry.type
class Query:
    ok: bool = True


SCHEMA = strawberry.Schema(query=Query)


def test_roles_are_parsed_from_a_comma_separated_list() -> None:
    assert parse_roles("api,listener,trigger") == {"api", "listener", "trigger"}
    assert parse_roles(" trigger ") == {"trigger"}


@pytest.mark.parametrize("text", ["", ",", "api,cron", "API"])
def test_unknown_or_no_roles_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="roles must be some of"):
        parse_roles(text)


def test_the_database_defaults_to_the_service_name() -> None:
    assert BffSpec(service="restaurant", role="restaurant", schema=SCHEMA).database == "restaurant"


def test_an_unknown_actor_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown actor role"):
        BffSpec(service="kitchen", role="chef", schema=SCHEMA)


def test_the_listener_must_write_the_database_the_bff_reads() -> None:
    listener = Listener(name="l", group="g", database="elsewhere", rules={})
    with pytest.raises(ValueError, match="one service, one database"):
        BffSpec(service="restaurant", role="restaurant", schema=SCHEMA, listener=listener)
