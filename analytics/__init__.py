"""Analytics over the event lake, in SQL with DuckDB (the view ``events`` of
``listeners.lake.query``): nothing here reads Kafka or a BFF's views.

- ``popularity``: menu views (``menu-viewed``) and orders placed (``order-placed``) per
  restaurant and day: ``popularity(lake_dir, restaurant_id, since=)``,
  ``popularity_by_restaurant``.
- ``rate``: orders placed per minute (``order_rate``) and a health signal (``health``:
  OK, DROPPED when the last minutes' rate fell below half the previous hour's, UNKNOWN
  with too few orders to tell).
- ``times``: epoch milliseconds, minutes and local days.

``python -m analytics popularity | rate`` prints them; ad-hoc SQL is
``python -m listeners.lake query "SELECT ..."``. docs/analytics.md has the definitions.

The package imports nothing itself: DuckDB (about 20 MB) is loaded by ``popularity`` and
``rate`` only, so a process that imports ``analytics.times`` does not pay for it until it
queries.
"""
