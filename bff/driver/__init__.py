"""The driver BFF: the driver app's backend (docs/driver.md).

Domain modules (the GraphQL schema and the entry point build on them):

- ``names``: the service, its database, collections, document shapes and scopes.
- ``dispatch``: the driver's commands (go online/offline, report location, accept,
  pick up and deliver an order) on the ``drivers`` and ``deliveries`` entities.
- ``listener``: ``DRIVER``, upstream events -> the ``offers`` view.
- ``offers``: the view models (an offer, a driver's state, a delivery, a day's work).
- ``queries``: reads for the app (open offers nearby, one offer, me, today's deliveries).
- ``demo``: the demo drivers.
"""
