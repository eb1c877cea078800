"""The customer BFF: the ordering web app's backend (docs/customer.md).

- ``names``: the service, its database, collections and notification scopes.
- ``listener``: ``CUSTOMER``, upstream events -> restaurants, menus, my-orders, positions.
- ``catalog``, ``tracking``: the view models (restaurants with menus; orders with timeline).
- ``queries``: reads for the app (paged restaurants, a menu, my orders, one order).
- ``ordering``: the commands (place an order, cancel it, record a menu view).
- ``api``, ``schema``, ``spec``, ``demo``: GraphQL, the kit spec, the demo customers.
"""
