"""The read path's caches: documents stay parsed and validated (bounded, per limits), and
HTTP bearer tokens that verified are remembered until their expiry (bounded, aged)."""

from __future__ import annotations

import pytest
import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.extensions.validation_cache import _get_validate_cache

from adapters.settings import Settings
from bff.kit.auth import Actor, Authenticator
from bff.kit.schema import CACHE_SIZE_ENV, DEFAULT_CACHE_SIZE, configured_cache_size, make_schema
from bff.kit.view import RecentTokens, token_expiry


@strawberry.type
class Node:
    name: str = "n"

    @strawberry.field
    def child(self) -> Node:
        return Node()


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        return Node()


#: a cache size of these tests' own: strawberry shares one LRU per size in a process
SIZE = 97


def nested(depth: int) -> str:
    return "{ root " + "{ child " * (depth - 1) + "{ name }" + " }" * depth


def extension_types(schema: strawberry.Schema) -> set[type]:
    """The extensions' classes and their bases (the kit's validation cache is a
    ``ValidationCache`` that leaves a breadth refusal alone)."""
    return {base for factory in schema.extensions for base in type(factory()).__mro__}


def test_the_caches_are_on_by_default_and_off_with_zero() -> None:
    on = extension_types(make_schema(query=Query, cache_size=SIZE))
    assert {ParserCache, ValidationCache} <= on
    off = extension_types(make_schema(query=Query, cache_size=0))
    assert not {ParserCache, ValidationCache} & off


def test_the_cache_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_SIZE_ENV, raising=False)
    assert configured_cache_size() == DEFAULT_CACHE_SIZE
    monkeypatch.setenv(CACHE_SIZE_ENV, "0")
    assert configured_cache_size() == 0
    monkeypatch.setenv(CACHE_SIZE_ENV, " 64 ")
    assert configured_cache_size() == 64
    monkeypatch.setenv(CACHE_SIZE_ENV, "lots")
    with pytest.raises(ValueError, match=CACHE_SIZE_ENV):
        configured_cache_size()


async def test_a_document_is_validated_once() -> None:
    schema = make_schema(query=Query, cache_size=SIZE)
    cache = _get_validate_cache(SIZE)
    query = "query Once { root { child { name } } }"
    first = await schema.execute(query)
    hits = cache.cache_info().hits  # type: ignore[attr-defined]
    second = await schema.execute(query)
    assert first.errors is None and second.errors is None
    assert second.data == {"root": {"child": {"name": "n"}}}
    assert cache.cache_info().hits == hits + 1  # type: ignore[attr-defined]


async def test_cached_documents_keep_each_schemas_limits() -> None:
    strict = make_schema(query=Query, max_depth=4, max_tokens=60, cache_size=SIZE)
    lenient = make_schema(query=Query, max_depth=10, cache_size=SIZE)
    deep = nested(6)
    for _ in range(2):  # the second time from the caches
        refused = await strict.execute(deep)
        assert refused.errors and "exceeds maximum operation depth" in refused.errors[0].message
        assert (await lenient.execute(deep)).errors is None
    large = "{ " + " ".join(["__typename"] * 80) + " }"
    for _ in range(2):
        too_large = await strict.execute(large)
        assert too_large.errors and "more than 60 tokens" in too_large.errors[0].message
        assert (await lenient.execute(large)).errors is None


# --- tokens -------------------------------------------------------------------------------

LOCAL = Settings(auth_mode="local", auth_secret="s" * 48)
ADA = Actor("c-1", "customer", "Ada")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def bearer(ttl: int = 3600, actor_id: str = "c-1") -> str:
    return "Bearer " + Authenticator(LOCAL, "customer").issue(actor_id, "Ada", ttl_seconds=ttl)


def test_a_tokens_expiry_is_read_from_its_claims() -> None:
    value = bearer(ttl=120)
    expiry = token_expiry(value)
    assert expiry is not None
    assert token_expiry("Bearer not-a-jwt") is None
    assert token_expiry("Bearer a.!!!.c") is None
    assert token_expiry("Bearer") is None


def test_a_verified_token_is_remembered_until_it_expires() -> None:
    value = bearer(ttl=30)
    expiry = token_expiry(value)
    assert expiry is not None
    clock = Clock(expiry - 30)
    tokens = RecentTokens(max_age=60, clock=clock)
    assert tokens.get(value) is None
    tokens.put(value, ADA)
    assert tokens.get(value) == ADA
    clock.now = expiry - 0.001
    assert tokens.get(value) == ADA
    clock.now = expiry
    assert tokens.get(value) is None
    assert len(tokens) == 0


def test_a_token_is_verified_again_after_max_age() -> None:
    value = bearer(ttl=3600)
    expiry = token_expiry(value)
    assert expiry is not None
    clock = Clock(expiry - 3600)
    tokens = RecentTokens(max_age=60, clock=clock)
    tokens.put(value, ADA)
    clock.now += 59.9
    assert tokens.get(value) == ADA
    clock.now += 0.1
    assert tokens.get(value) is None


def test_the_oldest_token_goes_first_when_full() -> None:
    tokens = RecentTokens(max_entries=2)
    first, second, third = (bearer(actor_id=f"c-{n}") for n in range(3))
    for value in (first, second, third):
        tokens.put(value, ADA)
    assert len(tokens) == 2
    assert tokens.get(first) is None
    assert tokens.get(second) == ADA and tokens.get(third) == ADA


def test_a_value_without_an_expiry_is_not_remembered() -> None:
    tokens = RecentTokens()
    tokens.put("Bearer not-a-jwt", ADA)
    assert len(tokens) == 0
