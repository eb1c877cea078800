"""The driver BFF's GraphQL schema, merged from ``bff.driver.api``.

Committed as ``bff/driver/schema.graphql``; regenerate with
``python -m bff.kit.schema bff.driver.schema:schema bff/driver/schema.graphql``.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from bff.driver.api.deliveries import DeliveriesMutation, DeliveriesQuery
from bff.driver.api.live import DriverSubscription
from bff.driver.api.shift import ShiftMutation, ShiftQuery
from bff.kit.schema import make_schema

Query = merge_types("Query", (ShiftQuery, DeliveriesQuery))
Mutation = merge_types("Mutation", (ShiftMutation, DeliveriesMutation))

schema = make_schema(query=Query, mutation=Mutation, subscription=DriverSubscription)
