"""The kit every BFF shares.

- ``outbox``: commands write an entity and its pending events in one atomic document write.
- ``relay``: the trigger role, publishing pending events to the hub and clearing them
  (``python -m bff.kit.relay``).
- ``wakeup``: how a write wakes the relay (in process, or over Redis between processes).
- ``doclock``: per-document write locks in Redis (FerretDB v1 loses concurrent writes to
  one document without them); every outbox write and the relay's removal hold one.
- ``backoff``: capped exponential delays for retrying infrastructure errors.

Import from the modules themselves; this package imports nothing, so that
``python -m bff.kit.relay`` runs cleanly.
"""
