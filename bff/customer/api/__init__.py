"""The customer BFF's GraphQL layer, one module per part of the app:

- ``context``: ``ShopContext``, the request context with the commands and queries.
- ``catalog_types`` and ``catalog``: browsing open restaurants and their menus.
- ``order_types`` and ``orders``: placing, following and cancelling one's own orders.
- ``live``: the app's subscriptions (my orders; the catalog).

``bff.customer.schema`` merges them into the schema.
"""
