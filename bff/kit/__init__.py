"""The kit every BFF shares.

- ``outbox``: commands write an entity and its pending events in one atomic document write.
- ``relay``: the trigger role, publishing pending events to the hub and clearing them
  (``python -m bff.kit.relay``).
- ``wakeup``: how a write wakes the relay (in process, or over Redis between processes).
- ``doclock``: per-document write locks in Redis (FerretDB v1 loses concurrent writes to
  one document without them); every outbox write and the relay's removal hold one.
- ``backoff``: capped exponential delays for retrying infrastructure errors.

Serving (docs/bff-kit.md):

- ``spec``: ``BffSpec``, what a BFF tells the kit; ``entry.run(spec)``, its command line.
- ``app``: ``create_app(spec, settings, roles=...)``, the Starlette app; ``runtime`` and
  ``services``: the lifespan's clients and the api/listener/trigger roles.
- ``auth`` and ``signin``: bearer tokens per actor role, the dev sign-in (local mode).
- ``view``, ``context``, ``permissions``, ``problems``, ``hygiene``, ``schema``: GraphQL
  over HTTP and graphql-transport-ws, the per-request context, ``IsAuthenticated``, typed
  expected failures, limits and masking, the committed ``schema.graphql``.
- ``live`` and ``fanout``: subscriptions fed by one Redis pub/sub per process.
- ``health`` and ``probes``: ``/healthz`` and ``/readyz``.

Commands:

- ``failures``, ``outcomes``: expected failures, and their mapping to problem types.
- ``inputs``: checking input at the boundary; ``clock``: epoch ms and ``causal_now``.
- ``commandlock``: one command at a time per entity. ``values``: shared GraphQL types.

Import from the modules themselves; this package imports nothing, so that
``python -m bff.kit.relay`` runs cleanly.
"""
