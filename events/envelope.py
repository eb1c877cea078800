"""The envelope every event shares, and the one factory producers use to record a fact."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self, get_args

from pydantic import Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from events.ids import ULID_PATTERN, new_event_id
from events.wire import EpochMs, Id, Text, WireModel
from observability.tracing import current_story

ACTOR_PATTERN = r"^[a-z][a-z-]*:\S+$"
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


class Tags(WireModel):
    source: Annotated[str, Field(min_length=1, description="producing service, e.g. bff-customer")]
    actor: Annotated[
        str, Field(pattern=ACTOR_PATTERN, description="<role>:<id>, e.g. customer:c-1")
    ]
    region: Text
    correlation_id: Id
    causation_id: str | None = None
    traceparent: Annotated[str, Field(pattern=TRACEPARENT_PATTERN)] | None = None


class Event(WireModel):
    """Base of every catalog event: a fact, recorded once, with a full entity snapshot."""

    id: Annotated[str, Field(pattern=ULID_PATTERN, description="ULID")]
    type: str
    timestamp: EpochMs
    partition_key: Id
    tags: Tags

    #: dotted path (Python names) to the id this event's partitionKey must equal
    key_path: ClassVar[str] = ""
    #: (dotted path, value) the snapshot must show in this event type, if any
    required_state: ClassVar[tuple[str, object] | None] = None

    @classmethod
    def event_type(cls) -> str:
        """The kebab-case type string, read from the ``type: Literal[...]`` annotation."""
        (value,) = get_args(cls.model_fields["type"].annotation)
        return str(value)

    @classmethod
    def expected_partition_key(cls, facts: object) -> str | None:
        """The partition key the key path gives for an event or its facts, if any."""
        value = _lookup(facts, cls.key_path) if cls.key_path else None
        return value if isinstance(value, str) and value else None

    @classmethod
    def record(
        cls,
        *,
        source: str,
        actor: str,
        region: str = "local",
        correlation_id: str | None = None,
        causation_id: str | None = None,
        caused_by: Event | None = None,
        traceparent: str | None = None,
        now_ms: int | None = None,
        **facts: Any,
    ) -> Self:
        """Record a new fact: fresh ULID id, timestamp now, partitionKey from the snapshot.

        ``caused_by`` continues another event's story: its correlation id and its id as
        causation id (explicit arguments win). A new story is correlated by its own id.
        Inside a story (``observability.tracing.story``: a GraphQL mutation, a listener
        applying an event) the event carries the story's traceparent and, when it names
        no correlation itself, continues the story's correlation id.
        """
        now = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        event_id = new_event_id(now)
        if caused_by is not None:
            correlation_id = correlation_id or caused_by.tags.correlation_id
            causation_id = causation_id or caused_by.id
        if (story := current_story()) is not None:
            correlation_id = correlation_id or story.correlation_id
            traceparent = traceparent or story.traceparent
        tags = Tags(
            source=source,
            actor=actor,
            region=region,
            correlation_id=correlation_id or event_id,
            causation_id=causation_id,
            traceparent=traceparent,
        )
        key = cls.expected_partition_key(facts) or event_id
        return cls(
            id=event_id, type=cls.event_type(), timestamp=now, partition_key=key, tags=tags, **facts
        )

    @model_validator(mode="after")
    def _check_contract(self) -> Self:
        expected = self.expected_partition_key(self)
        if expected is not None and self.partition_key != expected:
            raise _error(
                f"partitionKey must equal {wire_path(self.key_path)} {expected!r}, "
                f"got {self.partition_key!r}"
            )
        if self.required_state is not None:
            path, wanted = self.required_state
            got = _lookup(self, path)
            if got != wanted:
                raise _error(
                    f"{wire_path(path)} must be {wanted!r} for this event type, got {got!r}"
                )
        return self


def _lookup(root: object, path: str) -> object:
    value = root
    for step in path.split("."):
        value = value.get(step) if isinstance(value, Mapping) else getattr(value, step, None)
        if value is None:
            return None
    return value


def wire_path(path: str) -> str:
    """A dotted path of Python names as on the wire: menu.restaurant_id -> menu.restaurantId."""
    return ".".join(to_camel(step) for step in path.split("."))


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError("event_contract", message)
