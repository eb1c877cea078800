"""The GraphQL read benchmark's pure helpers: its HTTP client's framing, the fixed-rate
schedule, the baseline's answer shape, the profile's layers."""

from __future__ import annotations

import json
import os
import random

import pytest

from bench.graphql_read import (
    OTHER_LAYER,
    Run,
    baseline_shape,
    due_times,
    http_request,
    layer_of,
    layer_shares,
    median_round,
    order_events,
    parse_response,
    pooled,
    process_cpu,
    top_functions,
)


def response(body: bytes, status: str = "200 OK") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\ndate: x\r\nContent-Length: {len(body)}\r\n"
        "content-type: application/json\r\n\r\n"
    ).encode() + body


def test_a_request_is_a_complete_post_with_its_length() -> None:
    raw = http_request("/graphql", b'{"a":1}', {"Authorization": "Bearer t"})
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /graphql HTTP/1.1"
    assert "Authorization: Bearer t" in lines and "Content-Length: 7" in lines
    assert body == b'{"a":1}'


def test_responses_are_parsed_one_at_a_time_as_they_complete() -> None:
    first, second = response(b'{"data":1}'), response(b"{}", "404 Not Found")
    buffer = bytearray(first[:20])
    assert parse_response(buffer) is None
    buffer += first[20:-3]
    assert parse_response(buffer) is None  # the head is complete, the body not yet
    buffer += first[-3:] + second
    assert parse_response(buffer) == (200, b'{"data":1}')
    assert parse_response(buffer) == (404, b"{}")
    assert buffer == bytearray()


def test_a_response_without_a_length_is_an_error() -> None:
    buffer = bytearray(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello")
    with pytest.raises(ValueError, match="Content-Length"):
        parse_response(buffer)


def test_requests_are_due_at_the_rate() -> None:
    due = list(due_times(10.0, 200.0, 2.0))
    assert len(due) == 400
    assert due[0] == 10.0 and due[1] == pytest.approx(10.005) and due[-1] < 12.0


def test_a_runs_figures() -> None:
    run = Run("x", "saturation", 2.0, completed=10, latencies=[0.001 * n for n in range(1, 11)])
    assert run.rps == 5.0
    assert run.ms(50) == pytest.approx(5.5)
    summary = run.summary()
    assert summary["rps"] == 5.0 and summary["max_ms"] == 10.0


def test_the_baseline_answers_as_the_query_does() -> None:
    events = order_events("o-1", "c-1", random.Random(1), now=1_700_000_000_000)
    order = events[0].model_dump(by_alias=True, mode="json")["order"]
    steps = {"placed": 100, "accepted": 160, "driverAssigned": 160, "ready": 900, "pickedUp": None}
    doc = {"_id": "o-1", "status": "picked-up", "order": order, "steps": steps}
    shaped = baseline_shape(doc)
    assert shaped["id"] == "o-1" and shaped["status"] == "PICKED_UP"
    assert shaped["restaurantName"] == order["restaurantName"]
    assert [s["step"] for s in shaped["timeline"]] == [
        "PLACED",
        "ACCEPTED",
        "DRIVER_ASSIGNED",  # same moment as accepted: lifecycle order
        "READY",
    ]
    line = shaped["items"][0]
    item = order["items"][0]
    assert line["lineTotal"] == {"amount": item["unitPrice"]["amount"] * item["quantity"]}
    assert shaped["total"] == order["total"]
    json.dumps(shaped)  # JSON as it is


def test_a_generated_order_goes_through_its_life_up_to_picked_up() -> None:
    events = order_events("o-1", "c-1", random.Random(2), now=1_700_000_000_000)
    assert [e.type for e in events] == [
        "order-placed",
        "order-accepted",
        "delivery-accepted",
        "order-ready",
        "order-picked-up",
    ]
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)


SAMPLES = [
    "main (runpy);Runner.run (asyncio/runners.py:118) 30",
    "main (runpy);Route.handle (starlette/routing.py:1);verify (bff/kit/auth.py:9);"
    "decode (jwt/api_jwt.py:3) 5",
    "main (runpy);execute (graphql/execution/executor.py:1);load (bff/customer/api/loaders.py:2);"
    "find_one (pymongo/asynchronous/collection.py:7) 40",
    "main (runpy);send (uvicorn/protocols/http/httptools_impl.py:524) 20",
    "main (runpy);send (uvicorn/protocols/http/httptools_impl.py:1);info (logging/__init__.py:1) 5",
    "garbage",
]


def test_a_sample_counts_for_its_innermost_layer() -> None:
    assert layer_of("a (uvicorn/x.py:1);b (logging/__init__.py:2)") == "access log"
    assert layer_of("a (graphql/execution/x.py:1);b (bff/customer/api/orders.py:2)") == (
        "GraphQL execution, resolvers"
    )
    assert layer_of("a (asyncio/events.py:1)") == OTHER_LAYER
    shares = layer_shares(SAMPLES)
    assert shares["store read (pymongo, bson)"] == 40
    assert shares["JWT verification"] == 5
    assert shares["HTTP server (uvicorn, starlette)"] == 20
    assert shares["access log"] == 5
    assert shares[OTHER_LAYER] == 30
    assert sum(shares.values()) == 100


def test_top_functions_are_the_leaves_with_the_most_samples() -> None:
    top = top_functions(SAMPLES, limit=2)
    assert top == [
        ("find_one (pymongo/asynchronous/collection.py:7)", 40),
        ("Runner.run (asyncio/runners.py:118)", 30),
    ]


def test_a_processes_cpu_time_is_read_from_proc() -> None:
    assert process_cpu(os.getpid()) > 0
    assert process_cpu(None) == 0.0
    assert process_cpu(2**22 + 12345) == 0.0  # no such process


def test_runs_are_pooled_with_their_latencies_and_cpu() -> None:
    a = Run("x", "fixed rate", 3.0, completed=3, latencies=[0.001] * 3, rate=9.0, server_cpu=0.3)
    b = Run("x", "fixed rate", 3.0, completed=1, latencies=[0.1], rate=9.0, server_cpu=0.1)
    both = pooled([a, b])
    assert (both.seconds, both.completed, both.rate) == (6.0, 4, 9.0)
    assert sorted(both.latencies) == [0.001, 0.001, 0.001, 0.1]
    assert both.server_cpu_ms == pytest.approx(100.0)


def test_the_median_round_pairs_figures_of_one_moment() -> None:
    def runs(*rps: float) -> list[Run]:
        return [Run("x", "saturation", 1.0, completed=int(n)) for n in rps]

    measured, baseline = runs(100, 300, 50, 200), runs(400, 500, 100, 250)
    # ratios 0.25, 0.6, 0.5, 0.8: the lower median is the third round's 0.5
    chosen = median_round(measured, baseline)
    assert (chosen[0].rps, chosen[1].rps) == (50, 100)
