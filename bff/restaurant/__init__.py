"""The restaurant BFF: the kitchen console's backend.

Domain modules (the GraphQL schema and the entry point build on them):

- ``names``: the service, its database, collections and notification scopes.
- ``profile``: the restaurant's own entity (profile, menu, open flag) and its commands.
- ``kitchen``: decisions on orders (accept, reject, mark ready) and their commands.
- ``commands``: both command groups wired together (``RestaurantCommands``).
- ``tickets``: the kitchen's ticket view model and its board columns.
- ``listener``: ``KITCHEN``, the rule table from upstream events to the kitchen views.
- ``queries``: reads for the console (board, ticket, profile and menu, popularity).
- ``api``, ``schema``, ``spec``, ``demo``: GraphQL, the kit spec, the demo restaurants.

See docs/restaurant.md.
"""
