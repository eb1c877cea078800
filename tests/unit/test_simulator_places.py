"""Where the simulator's customers live and its drivers ride."""

from __future__ import annotations

import random

import pytest

from simulator.places import STREETS, Point, distance_km, drop_off_near, legs, moved, point_near

TRATTORIA = Point(52.5019, 13.4186)


def test_distance_of_a_known_pair() -> None:
    # Brandenburger Tor to the Fernsehturm: about 2.2 km as the crow flies
    assert distance_km(Point(52.5163, 13.3777), Point(52.5208, 13.4094)) == pytest.approx(
        2.18, abs=0.05
    )
    assert distance_km(TRATTORIA, TRATTORIA) == 0.0


@pytest.mark.parametrize("bearing", [0.0, 45.0, 90.0, 180.0, 270.0])
def test_moved_goes_the_distance(bearing: float) -> None:
    assert distance_km(TRATTORIA, moved(TRATTORIA, 2.5, bearing)) == pytest.approx(2.5, rel=1e-6)


def test_points_near_stay_in_the_ring() -> None:
    rng = random.Random(7)
    distances = [distance_km(TRATTORIA, point_near(TRATTORIA, 3.0, rng, 0.3)) for _ in range(2000)]
    assert all(0.3 - 1e-9 <= d <= 3.0 + 1e-9 for d in distances)
    # spread over the area, not bunched at the centre: about 3/4 lie beyond half the radius
    beyond = sum(d > 1.5 for d in distances) / len(distances)
    assert 0.65 < beyond < 0.85


def test_drop_offs_are_berlin_addresses_within_reach() -> None:
    rng = random.Random(3)
    for _ in range(500):
        place = drop_off_near(TRATTORIA, 3.0, rng)
        assert distance_km(TRATTORIA, place.point) <= 3.0 + 1e-9
        street, number = place.line1.rsplit(" ", 1)
        assert (street, place.postcode) in STREETS and 1 <= int(number) <= 140
        assert place.city == "Berlin"
    fields = place.as_input()
    assert set(fields) == {"line1", "city", "postcode", "lat", "lng"}
    assert fields["lat"] == round(place.point.lat, 6)


def test_legs_lead_to_the_drop_off() -> None:
    end = moved(TRATTORIA, 2.0, 120.0)
    points = legs(TRATTORIA, end, 3)
    assert len(points) == 3 and points[-1] == end
    remaining = [distance_km(p, end) for p in points]
    assert remaining == sorted(remaining, reverse=True)
    assert remaining[0] == pytest.approx(2.0 * 2 / 3, rel=0.01)
    with pytest.raises(ValueError):
        legs(TRATTORIA, end, 0)


def test_point_from_graphql() -> None:
    point = Point.of({"lat": 52.5, "lng": 13.4})
    assert point == Point(52.5, 13.4)
    assert point.as_input() == {"lat": 52.5, "lng": 13.4}
