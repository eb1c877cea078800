"""The benchmarks' synthetic traffic: real events, in time order, whole order stories."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator

from bench.workload import START_MS, Step, merge, stream
from events import Event, parse_event, to_wire

ORDER_STEPS = ("order-placed", "order-accepted", "order-picked-up", "order-delivered")


def test_the_stream_has_exactly_n_valid_events_in_time_and_id_order() -> None:
    events = list(stream(3000, seed=1))
    assert len(events) == 3000
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert len({e.id for e in events}) == len(events)
    assert events[0].timestamp == START_MS
    for event in events:  # the contracts hold on the wire
        assert parse_event(to_wire(event)) == event


def test_it_mixes_what_the_three_bffs_publish() -> None:
    types = {e.type for e in stream(12000, seed=2)}
    assert types >= {
        "restaurant-updated",
        "restaurant-opened",
        "menu-updated",
        "menu-viewed",
        "order-placed",
        "order-accepted",
        "order-ready",
        "delivery-accepted",
        "order-picked-up",
        "order-delivered",
        "driver-location-changed",
        "driver-status-changed",
    }
    assert types & {"order-cancelled", "order-rejected"}


def test_each_order_goes_through_its_lifecycle_in_order_and_one_story() -> None:
    steps: dict[str, list[str]] = defaultdict(list)
    stories: dict[str, set[str]] = defaultdict(set)
    for event in stream(6000, seed=3):
        if event.partition_key.startswith("o-"):
            steps[event.partition_key].append(event.type)
            if event.type != "menu-viewed":
                stories[event.partition_key].add(event.tags.correlation_id)
    assert len(steps) > 100
    for order, kinds in steps.items():
        seen = [kind for kind in kinds if kind in ORDER_STEPS]
        assert seen == list(ORDER_STEPS[: len(seen)]), order
        assert len(stories[order]) == 1, order  # correlated by the order-placed event


def test_a_seed_gives_the_same_traffic_and_a_prefix_other_orders() -> None:
    def shape(seed: int, prefix: str = "") -> list[tuple[str, int, str]]:
        events = stream(1500, seed=seed, order_prefix=prefix)
        return [(e.type, e.timestamp, e.partition_key) for e in events]

    assert shape(4) == shape(4)
    assert shape(4) != shape(5)
    keys = {key for _, _, key in shape(4, "x-")}
    assert any(key.startswith("o-bench-x-") for key in keys)


def test_merge_interleaves_stories_by_time_keeping_ties_in_order() -> None:
    def story(*times: int) -> Iterator[Step]:
        return iter([(t, _never) for t in times])

    merged = merge([(0, story(0, 5, 9)), (3, story(3, 5, 6)), (4, story(4))])
    assert [t for t, _ in merged] == [0, 3, 4, 5, 5, 6, 9]
    endless = merge((t, story(t, t + 10)) for t in itertools.count(0, 2))
    assert [t for t, _ in itertools.islice(endless, 8)] == [0, 2, 4, 6, 8, 10, 10, 12]


def _never(t: int) -> Event:
    raise AssertionError("merge does not build events")
