"""The driver BFF's GraphQL layer: the driver's shift (``shift``), offers and deliveries
(``deliveries``), the live subscriptions (``live``), over the types in ``types``."""
