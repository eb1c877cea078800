"""A cap on how many selections one selection set may hold, checked before validation.

graphql-core's rule that overlapping fields can merge compares the fields of a selection
set pairwise: a document well inside the token limit that repeats one field a few hundred
times (``{ me { id } me { id } ... }``, 5 KB) cost 0.7-1.4 s of CPU to validate
(found by tests/faults/test_hostile_graphql.py). No app selects more than a few dozen
fields in one place, so ``SelectionBreadthLimiter`` refuses a document with a selection
set wider than ``max_selections`` before validation runs (and before the validation cache
would keep it): one walk over the parsed document, linear in its size.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, GraphQLError, Node, SelectionSetNode
from strawberry.extensions import SchemaExtension


def widest_selection(document: DocumentNode) -> int:
    """The number of selections in the document's widest selection set."""
    widest = 0
    pending: list[Node] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, SelectionSetNode):
            widest = max(widest, len(node.selections))
        for key in node.keys:
            value = getattr(node, key, None)
            if isinstance(value, Node):
                pending.append(value)
            elif isinstance(value, tuple | list):
                pending.extend(item for item in value if isinstance(item, Node))
    return widest


class SelectionBreadthLimiter(SchemaExtension):
    """Refuses a document whose widest selection set holds more than ``max_selections``;
    listed before the validation cache, which then leaves the refusal as it is."""

    def __init__(self, *, max_selections: int) -> None:
        super().__init__()
        self.max_selections = max_selections

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            widest = widest_selection(document)
            if widest > self.max_selections:
                context.pre_execution_errors = [
                    GraphQLError(
                        f"A selection set holds {widest} fields; at most "
                        f"{self.max_selections} are allowed."
                    )
                ]
        yield
