"""Building a BFF's schema with the kit's limits, and keeping its ``schema.graphql`` current.

Each BFF commits its schema as SDL (what its app is written against) and has a unit test::

    def test_the_committed_schema_is_current() -> None:
        assert_schema_current(schema, Path("bff/restaurant/schema.graphql"))

After a schema change, regenerate it with
``python -m bff.kit.schema bff.restaurant.schema:schema bff/restaurant/schema.graphql``.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.base import BaseSchema
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from bff.kit.hygiene import hygiene_extensions, is_unexpected
from bff.kit.observed import ObservedOperations
from bff.kit.ratelimit import MutationRateLimit, RateLimited
from bff.kit.values import SCALARS

log = logging.getLogger(__name__)

#: how many distinct documents a process keeps parsed and validated (``ParserCache`` and
#: ``ValidationCache``, LRU): far more than the documents an app sends
DEFAULT_CACHE_SIZE = 128
#: the environment variable that overrides it (read when the schema is made, at import);
#: ``0`` turns the caches off (``bench/graphql_read.py`` measures both)
CACHE_SIZE_ENV = "FD_GRAPHQL_CACHE"


#: where graphql-core's messages quote a value the client sent: "... found: <value>.",
#: "Float cannot represent non numeric value: <value>", "Value '<value>' does not exist in
#: 'Vehicle' enum." (not "Variable '$order' has invalid value: <why>", which quotes none)
_QUOTED_VALUE = re.compile(r"(?<!invalid )\b(found:?|value:) .*", re.DOTALL)
_ENUM_VALUE = re.compile(r"\bValue '.*?' does not exist in", re.DOTALL)
NOT_LOGGED = "<not logged>"


def without_values(message: str) -> str:
    """A refusal's message without the input values it quotes (a customer's address, a
    note to the driver): what is logged, while the client gets the whole message."""
    message = _ENUM_VALUE.sub(f"Value {NOT_LOGGED} does not exist in", message)
    return _QUOTED_VALUE.sub(rf"\1 {NOT_LOGGED}", message)


class KitSchema(strawberry.Schema):
    """Logs each error once: unexpected ones with their traceback where they are masked
    (``bff.kit.hygiene``), the client's own mistakes as one INFO line here, without the
    values they quote (``without_values``). A rate limit's refusals are logged by the
    limiter, once per actor and window (``bff.kit.ratelimit``)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if not is_unexpected(error) and not isinstance(error, RateLimited):
                log.info("GraphQL request refused: %s", without_values(error.message))


def make_schema(
    *,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Iterable[type] = (),
    max_depth: int = 8,
    max_aliases: int = 15,
    max_tokens: int = 2000,
    cache_size: int | None = None,
) -> strawberry.Schema:
    """A schema with the depth, alias and size limits, masked unexpected errors, the
    per-actor rate limit on mutations (``bff.kit.ratelimit``), and the last ``cache_size``
    documents kept parsed and validated (default: ``FD_GRAPHQL_CACHE``, else
    ``DEFAULT_CACHE_SIZE``; 0: no cache); each operation timed, traced and (a mutation)
    logged (``bff.kit.observed``)."""
    extensions = hygiene_extensions(
        max_depth=max_depth,
        max_aliases=max_aliases,
        max_tokens=max_tokens,
        cache_size=configured_cache_size() if cache_size is None else cache_size,
    )
    return KitSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=list(types),
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[ObservedOperations, *extensions, MutationRateLimit],
    )


def configured_cache_size() -> int:
    """``FD_GRAPHQL_CACHE`` (a whole number >= 0), else ``DEFAULT_CACHE_SIZE``."""
    text = os.environ.get(CACHE_SIZE_ENV, "").strip()
    if not text:
        return DEFAULT_CACHE_SIZE
    if not text.isdigit():
        raise ValueError(f"{CACHE_SIZE_ENV} must be a whole number >= 0, got {text!r}")
    return int(text)


def schema_sdl(schema: BaseSchema) -> str:
    """The schema as SDL, ending with one newline (the committed file's exact text)."""
    return schema.as_str().rstrip("\n") + "\n"


def export_schema(schema: BaseSchema, path: Path) -> bool:
    """Write the SDL to ``path``; returns True when the file changed."""
    text = schema_sdl(schema)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def assert_schema_current(schema: BaseSchema, path: Path, *, module: str = "") -> None:
    """AssertionError with a diff when ``path`` does not hold the schema's current SDL."""
    expected = schema_sdl(schema)
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual == expected:
        return
    diff = "".join(
        difflib.unified_diff(
            actual.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            fromfile=f"{path} (committed)",
            tofile="schema (code)",
        )
    )
    how = f"python -m bff.kit.schema {module or '<module:attribute>'} {path}"
    raise AssertionError(f"{path} is out of date; regenerate it with `{how}`\n{diff}")


def load_schema(target: str) -> BaseSchema:
    """The schema named ``package.module:attribute``."""
    module_name, _, attribute = target.partition(":")
    found: Any = getattr(importlib.import_module(module_name), attribute or "schema")
    if not isinstance(found, strawberry.Schema):
        raise TypeError(f"{target} is not a strawberry schema")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bff.kit.schema", description="Write a BFF's schema.graphql."
    )
    parser.add_argument("schema", help="module:attribute, e.g. bff.restaurant.schema:schema")
    parser.add_argument("path", type=Path, help="the committed SDL file")
    args = parser.parse_args(argv)
    changed = export_schema(load_schema(args.schema), args.path)
    print(f"{args.path}: {'updated' if changed else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
