"""Every BFF's schema: the committed SDL is current, and every root field needs a
signed-in actor of the BFF's role."""

from __future__ import annotations

from pathlib import Path

import pytest
from strawberry.schema.base import BaseSchema

from bff.customer.schema import schema as customer_schema
from bff.driver.schema import schema as driver_schema
from bff.kit.permissions import IsAuthenticated
from bff.kit.schema import assert_schema_current
from bff.restaurant.schema import schema as restaurant_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {
    "restaurant": restaurant_schema,
    "customer": customer_schema,
    "driver": driver_schema,
}


@pytest.mark.parametrize("bff", sorted(SCHEMAS))
def test_the_committed_schema_is_current(bff: str) -> None:
    assert_schema_current(
        SCHEMAS[bff], ROOT / "bff" / bff / "schema.graphql", module=f"bff.{bff}.schema:schema"
    )


@pytest.mark.parametrize("bff", sorted(SCHEMAS))
def test_every_root_field_needs_a_signed_in_actor(bff: str) -> None:
    schema: BaseSchema = SCHEMAS[bff]
    roots = [schema.query, schema.mutation, schema.subscription]  # type: ignore[attr-defined]
    unguarded = [
        f"{root.__name__}.{field.name}"
        for root in roots
        for field in root.__strawberry_definition__.fields
        if IsAuthenticated not in field.permission_classes
    ]
    assert unguarded == []
