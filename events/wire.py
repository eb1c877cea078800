"""The wire conventions every event model shares: camelCase JSON, frozen, lenient to extras.

Models are built with Python names (``partition_key``) and travel as camelCase
(``partitionKey``). Unknown fields are ignored so that producers can add optional fields
without breaking older consumers.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic.fields import ComputedFieldInfo, FieldInfo

#: a non-empty identifier (order id, restaurant id, ...)
Id = Annotated[str, Field(min_length=1)]
#: non-empty free text (names, reasons, error messages)
Text = Annotated[str, Field(min_length=1)]
#: epoch milliseconds
EpochMs = Annotated[int, Field(gt=0, description="epoch milliseconds")]


def _wire_title(name: str, _info: FieldInfo | ComputedFieldInfo) -> str:
    """JSON Schema titles are the wire names ("customerId", not "Customerid")."""
    return to_camel(name)


class WireModel(BaseModel):
    """Base of every envelope, snapshot and value model."""

    # validate_by_name + validate_by_alias is pydantic 2.11+'s spelling of populate_by_name
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        frozen=True,
        field_title_generator=_wire_title,
    )
