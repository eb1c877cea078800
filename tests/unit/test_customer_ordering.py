"""The customer's ordering rules that need no store: carts, fees, request keys."""

from __future__ import annotations

import pytest

from bff.customer.ordering import (
    MAX_LINES,
    CartLine,
    _cart,
    _order_id,
    delivery_fee_cents,
)
from bff.kit.failures import InvalidInput


def test_the_fee_is_a_base_plus_each_started_km_beyond_two() -> None:
    assert [delivery_fee_cents(km) for km in (0, 2.0, 2.01, 3.0, 7.5)] == [199, 199, 249, 249, 499]


def test_a_cart_merges_repeated_items_and_names_the_bad_line() -> None:
    merged = _cart([CartLine("a", 2), CartLine("b", 1), CartLine("a", 3)])
    assert merged == [CartLine("a", 5), CartLine("b", 1)]
    cases = {
        (): "items",
        (CartLine("a", 1), CartLine("b", 0)): "items.1.quantity",
        (CartLine("a", 1), CartLine(" b", 1)): "items.1.menuItemId",
        (CartLine("a", 60), CartLine("a", 40)): "items.1.quantity",
        tuple(CartLine(f"i{n}", 1) for n in range(MAX_LINES + 1)): "items",
    }
    for lines, field in cases.items():
        with pytest.raises(InvalidInput) as refused:
            _cart(list(lines))
        assert refused.value.field == field


def test_a_request_key_gives_the_same_order_id_per_customer() -> None:
    assert _order_id("c-1", "k") == _order_id("c-1", "k")
    assert _order_id("c-1", "k") != _order_id("c-2", "k")
    assert _order_id("c-1", None) != _order_id("c-1", None)
