"""GraphQL limits and error masking, as strawberry schema extensions.

- ``QueryDepthLimiter``: no query nests deeper than ``max_depth``;
- ``MaxAliasesLimiter``: at most ``max_aliases`` aliases (no "same field 1000 times");
- ``MaxTokensLimiter``: at most ``max_tokens`` tokens per document (size);
- ``MaskErrors``: an exception a resolver did not mean to show (a bug, a store outage)
  reaches the client as "Unexpected error." and is logged here with its traceback.
  Validation errors and ``GraphQLError``s raised on purpose (``ExpectedError``,
  permission errors) pass unmasked.

Limit violations are ordinary GraphQL errors in the response, never an HTTP 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

log = logging.getLogger(__name__)

MASKED_MESSAGE = "Unexpected error."


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors caused by an exception that was not raised as a GraphQLError."""
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original is not None and not isinstance(original, GraphQLError)


def mask_and_log(error: GraphQLError) -> bool:
    """MaskErrors' predicate: log the unexpected ones (with traceback) and mask them."""
    if not is_unexpected(error):
        return False
    original = error.original_error
    path = ".".join(str(p) for p in error.path or ()) or "<operation>"
    log.error(
        "unexpected error in %s: %r",
        path,
        original,
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )
    return True


def hygiene_extensions(
    *, max_depth: int = 8, max_aliases: int = 15, max_tokens: int = 2000
) -> list[Callable[[], SchemaExtension]]:
    """The extensions every BFF schema runs with (``bff.kit.schema.make_schema``), as
    factories: strawberry builds fresh ones for each operation."""
    return [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
        lambda: MaskErrors(should_mask_error=mask_and_log, error_message=MASKED_MESSAGE),
    ]
