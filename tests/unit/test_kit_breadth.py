"""The cap on selection-set width, before validation (bff/kit/breadth.py)."""

from __future__ import annotations

import strawberry
from graphql import parse

from bff.kit.breadth import widest_selection
from bff.kit.schema import make_schema


@strawberry.type
class Me:
    id: str = "c-1"
    name: str = "Lena"


@strawberry.type
class Query:
    @strawberry.field
    def me(self) -> Me:
        return Me()


def test_the_widest_selection_set_counts_every_selection_at_every_depth() -> None:
    assert widest_selection(parse("{ me { id } }")) == 1
    assert widest_selection(parse("{ me { id name } a: me { id } }")) == 2
    nested = "{ me { " + "id " * 7 + "} }"
    assert widest_selection(parse(nested)) == 7
    fragment = "query { ...F } fragment F on Query { me { " + "id " * 9 + "} }"
    assert widest_selection(parse(fragment)) == 9


async def test_a_field_repeated_hundreds_of_times_is_refused_before_validation() -> None:
    for cache_size in (0, 16):
        schema = make_schema(query=Query, cache_size=cache_size)
        wide = "{ " + "me { id } " * 490 + "}"
        result = await schema.execute(wide)
        assert result.data is None and result.errors is not None
        assert "at most 100" in result.errors[0].message
        assert (await schema.execute(wide)).errors is not None  # the cache keeps no pass
        fine = await schema.execute("{ me { id name } }")
        assert fine.errors is None and fine.data == {"me": {"id": "c-1", "name": "Lena"}}
