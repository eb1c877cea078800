"""The restaurant BFF's GraphQL layer, one module per part of the console:

- ``context``: ``KitchenContext``, the request context with the commands and queries.
- ``outcomes``: command failures as the kit's problem types.
- ``ticket_types`` and ``kitchen``: tickets, the board, and accept / reject / mark ready.
- ``profile_types`` and ``menu``: the restaurant's profile, menu and open flag.
- ``popularity``: how much customers look at and order from the menu.
- ``menu_views``: menu views and orders placed per day, from the event lake.
- ``live``: the console's subscription.

``bff.restaurant.schema`` merges them into the schema.
"""
