"""GraphQL limits and error masking, as strawberry schema extensions.

- ``QueryDepthLimiter``: no query nests deeper than ``max_depth``;
- ``MaxAliasesLimiter``: at most ``max_aliases`` aliases (no "same field 1000 times");
- ``MaxTokensLimiter``: at most ``max_tokens`` tokens per document (size);
- ``ParserCache``, ``ValidationCache``: the last ``cache_size`` distinct documents stay
  parsed and validated (LRU, bounded; shared by the schemas of a process): an app sends
  the same few documents over and over, and parsing and validating one costs more than
  running it. The limits above still hold: a document over ``max_tokens`` never parses,
  so it is never cached, and cached validation results include the depth and alias
  rules' errors (their rule classes are made once per schema, part of the cache key);
- ``KitMaskErrors``: an exception a resolver did not mean to show (a bug) reaches the
  client as "Unexpected error." and is logged here with its traceback. A service that is
  unavailable (the store, Redis or Kafka not answering: ``bff.kit.unavailable``) is no
  bug: the client gets a clear, retryable error instead, ``{"message": "The service is
  temporarily unavailable; please try again in a moment.", "extensions": {"code":
  "UNAVAILABLE", "retryable": true}}``, and one warning line is logged. Validation errors
  and ``GraphQLError``s raised on purpose (``ExpectedError``, permission errors) pass
  unmasked.

Limit violations are ordinary GraphQL errors in the response, never an HTTP 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from bff.kit import unavailable
from bff.kit.breadth import SelectionBreadthLimiter

log = logging.getLogger(__name__)

MASKED_MESSAGE = "Unexpected error."


def root_cause(error: GraphQLError) -> Exception | None:
    """The exception behind a GraphQL error (through nested GraphQLErrors), if any."""
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors caused by an exception that was not raised as a GraphQLError."""
    original = root_cause(error)
    return original is not None and not isinstance(original, GraphQLError)


def mask_and_log(error: GraphQLError) -> bool:
    """MaskErrors' predicate: log the unexpected ones and mask them (an unavailable
    service as one warning line, anything else with its traceback)."""
    if not is_unexpected(error):
        return False
    original = root_cause(error)
    path = ".".join(str(p) for p in error.path or ()) or "<operation>"
    if unavailable.is_unavailable(original):
        log.warning("a service is unavailable in %s: %r", path, original)
        return True
    log.error(
        "unexpected error in %s: %r",
        path,
        original,
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )
    return True


class KitMaskErrors(MaskErrors):
    """``MaskErrors`` that answers an unavailable service as the retryable ``UNAVAILABLE``
    error (``bff.kit.unavailable``) and anything else unexpected as "Unexpected error."."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if not unavailable.is_unavailable(root_cause(error)):
            return super().anonymise_error(error)
        return GraphQLError(
            message=unavailable.MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=dict(unavailable.EXTENSIONS),
        )


class KeptValidation(ValidationCache):
    """``ValidationCache`` that leaves a refusal made before it (the breadth limit) alone
    instead of validating the document anyway."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors:
            yield
            return
        yield from super().on_validate()


def hygiene_extensions(
    *,
    max_depth: int = 8,
    max_aliases: int = 15,
    max_tokens: int = 2000,
    max_selections: int = 100,
    cache_size: int = 0,
) -> list[Callable[[], SchemaExtension]]:
    """The extensions every BFF schema runs with (``bff.kit.schema.make_schema``), as
    factories: strawberry builds fresh ones for each operation. ``cache_size`` > 0 keeps
    that many documents parsed and validated; ``max_selections`` caps the width of any
    selection set before validation (``bff.kit.breadth``).

    The depth and alias rules (``QueryDepthLimiter``'s and ``MaxAliasesLimiter``'s) are
    created here once: those extensions create a new rule class each time they are built,
    which costs a class creation per request and makes every validation a cache miss."""
    rules: list[type[ASTValidationRule]] = [
        depth_rule(max_depth, should_ignore=None),
        alias_rule(max_aliases),
    ]
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules(rules),
        lambda: SelectionBreadthLimiter(max_selections=max_selections),
        lambda: KitMaskErrors(should_mask_error=mask_and_log, error_message=MASKED_MESSAGE),
    ]
    if cache_size > 0:
        extensions += [
            lambda: ParserCache(maxsize=cache_size),
            lambda: KeptValidation(maxsize=cache_size),
        ]
    return extensions
