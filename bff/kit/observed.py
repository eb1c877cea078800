"""Every GraphQL operation measured, every command's story traced and logged.

``ObservedOperations``, a schema extension every kit schema runs (``make_schema``):

- times each query and mutation (``fd_graphql_request_seconds{service, operation, type,
  outcome}``; subscriptions, which last as long as the client wants, are not timed);
- runs each mutation (a command) in a story (``observability.tracing.story``): the
  caller's ``traceparent`` header continued, or a new trace. The events a command records
  carry its traceparent, and the correlation id the command gives them (the order's
  stored one), or their own for a new story. Queries write nothing and run in none (the
  read path stays as lean as it was);
- logs one INFO line per mutation with what it wrote, in its story::

      ... INFO bff.kit.commands mutation placeOrder ok: order-placed 01K...
          correlation=01K... trace=4bf9...   (one line)

A mutation that wrote nothing and failed (refused input, a rate limit's refusal, a bug)
is not logged here: the refusal is logged once where it is decided (``bff.kit.schema``,
``bff.kit.ratelimit``, ``bff.kit.hygiene``), so a flood of refused requests does not
double the log. The operation is named by the client's operation name, else by its root
fields (``placeOrder``); at most ``observability.metrics.OPERATIONS_KEPT`` names become
labels.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

from graphql import FieldNode, OperationDefinitionNode
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from bff.kit.context import Context
from observability.metrics import GRAPHQL_SECONDS, OPERATIONS, exemplar
from observability.tracing import TRACEPARENT, Story, story

log = logging.getLogger("bff.kit.commands")


class ObservedOperations(SchemaExtension):
    """Times, traces and logs each operation (see the module's documentation)."""

    _story: Story | None = None
    _described: tuple[OperationType | None, str] | None = None

    def _operation(self) -> tuple[OperationType | None, str]:
        """The operation's type and name, worked out once per operation (both hooks ask)."""
        if self._described is None:
            execution = self.execution_context
            self._described = (operation_type(execution), operation_name(execution))
        return self._described

    async def on_operation(self) -> AsyncIterator[None]:
        started = time.perf_counter()
        raised = False
        try:
            yield
        except BaseException:  # strawberry throws a syntax error in here, for one
            raised = True
            raise
        finally:
            self._observe(time.perf_counter() - started, raised)

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        kind, name = self._operation()
        if kind is not OperationType.MUTATION:
            yield
            return
        context = execution.context
        traceparent = (
            context.request.headers.get(TRACEPARENT) if isinstance(context, Context) else None
        )
        with story(f"{kind.value} {name}", traceparent=traceparent) as current:
            self._story = current
            raised = False
            try:
                yield
            except BaseException:
                raised = True
                raise
            finally:
                failed = raised or has_errors(execution)
                if current.written or not failed:
                    wrote = ", ".join(f"{type_} {id_}" for type_, id_, _ in current.written)
                    outcome = "error" if failed else "ok"
                    log.info("mutation %s %s: %s", name, outcome, wrote or "no events")

    def _observe(self, seconds: float, raised: bool) -> None:
        execution = self.execution_context
        kind, name = self._operation()
        if kind is OperationType.SUBSCRIPTION:
            return
        current = self._story
        GRAPHQL_SECONDS.labels(
            service_of(execution.context),
            OPERATIONS.label(name),
            kind.value if kind is not None else "unknown",
            "error" if raised or has_errors(execution) else "ok",
        ).observe(
            seconds,
            exemplar=exemplar(current.correlation, current.trace_id) if current else None,
        )


def service_of(context: object) -> str:
    """The BFF serving the operation (``-`` with a context not the kit's, e.g. a test's)."""
    spec = getattr(getattr(context, "services", None), "spec", None)
    service = getattr(spec, "service", None)
    return service if isinstance(service, str) else "-"


def operation_type(execution: ExecutionContext) -> OperationType | None:
    """The operation's type; None when the document did not parse or names no operation."""
    if execution.graphql_document is None:
        return None
    try:
        return execution.operation_type
    except Exception:  # no such operation, or several and none named
        return None


def operation_name(execution: ExecutionContext) -> str:
    """The operation's name in the document, else its root fields joined by ``+`` (the
    first three, sorted), ``invalid`` when there is no such operation."""
    document = execution.graphql_document
    operation = (
        get_operation_ast(document, execution.operation_name) if document is not None else None
    )
    if not isinstance(operation, OperationDefinitionNode):
        return "invalid"
    if operation.name is not None:
        return operation.name.value
    fields = sorted(
        {s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)}
    )
    return "+".join(fields[:3]) or "anonymous"


def has_errors(execution: ExecutionContext) -> bool:
    result = execution.result
    return bool((result.errors if result is not None else None) or execution.pre_execution_errors)
