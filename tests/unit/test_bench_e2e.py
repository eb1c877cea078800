"""The end-to-end benchmark's pure parts: arrivals, per-leg latencies and errors, rates,
/proc parsing, CPU shares, the figures with their goals, the small HTTP reader."""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path

import pytest

from bench.end_to_end import (
    GOAL_RATE,
    GraphQLClient,
    HttpError,
    OrderTimes,
    PhaseSummary,
    baseline_seconds,
    bff_of,
    chart,
    cpu_per_order,
    cpu_shares,
    cpu_ticks,
    figures,
    leg_ms,
    limits,
    machine_busy_ticks,
    peak_by_bff,
    proc_status,
    read_response,
    schedule,
    stages,
    stalled_ticks,
    summarize,
)


def test_arrivals_are_evenly_spaced_at_the_rate_for_the_time() -> None:
    offsets = schedule(50, 2)
    assert len(offsets) == 100
    assert offsets[0] == 0 and offsets[1] == pytest.approx(0.02) and offsets[-1] < 2
    assert schedule(0, 10) == [] and schedule(10, 0) == []


def test_a_leg_runs_from_the_answer_to_the_push_and_is_zero_when_the_push_came_first() -> None:
    assert leg_ms(1.0, 1.0125) == pytest.approx(12.5)
    assert leg_ms(1.0, 0.99) == 0.0
    assert leg_ms(None, 1.0) is None and leg_ms(1.0, None) is None


def order(phase: str = "50/s", at: float = 100.0, **times: float | str | None) -> OrderTimes:
    found = OrderTimes(phase=phase, due=at, customer="c-1", kitchen="r-1", fired=at + 0.001)
    for name, value in times.items():
        setattr(found, name, value)
    return found


def complete(at: float, place_ms: float, accept_ms: float) -> OrderTimes:
    placed = at + 0.010
    in_kitchen = placed + place_ms / 1000
    accepted = in_kitchen + 0.008
    return order(
        at=at,
        placed=placed,
        in_kitchen=in_kitchen,
        accept_fired=in_kitchen,
        accepted=accepted,
        at_customer=accepted + accept_ms / 1000,
    )


def test_a_phase_summary_has_each_legs_latencies_rates_and_errors_by_kind() -> None:
    orders = [complete(100.0 + n / 10, place_ms=5 + n, accept_ms=7) for n in range(10)]
    orders += [
        order(error="placeOrder: HTTP 500"),
        order(placed=101.0),  # never shown in the kitchen
        order(placed=101.0, in_kitchen=101.01, error="acceptOrder: Conflict CONFLICT"),
        order(placed=101.0, in_kitchen=101.01, accepted=101.02),  # never pushed to the customer
        order(placed=101.0, in_kitchen=100.99),  # the kitchen was told before the answer
        complete(100.0, 1, 1),
    ]
    orders[-1].phase = "another phase"

    s = summarize(orders, "50/s", 50.0, 1.0, started=100.0)

    assert s.sent == 15 and s.placed == 14 and s.completed == 10
    assert s.latencies["place"][:10] == pytest.approx([5.0 + n for n in range(10)])
    assert s.latencies["accept"] == pytest.approx([7.0] * 10)
    assert s.pushed_first == {"place": 1}
    assert s.errors == {
        "placeOrder: HTTP 500": 1,
        "not pushed to the kitchen": 1,
        "acceptOrder: Conflict CONFLICT": 1,
        "accept not pushed to the customer": 1,
        "no answer to acceptOrder": 1,
    }
    assert s.error_count == 5
    # 10 completed, the last at about 100.0 + 0.9 + 0.010 + 0.014 + 0.008 + 0.007 s
    assert s.achieved == pytest.approx(10 / 1.0)  # never over a span shorter than the phase
    assert s.lag_ms[0] == pytest.approx(1.0)
    assert s.command_ms["place"][0] == pytest.approx(9.0)
    assert s.command_ms["accept"][0] == pytest.approx(8.0)


def test_the_achieved_rate_stretches_when_completions_lag_behind() -> None:
    orders = [complete(100.0 + n / 10, place_ms=5, accept_ms=5) for n in range(10)]
    orders[-1].at_customer = 104.0  # the last one completed 4 s after the start
    s = summarize(orders, "50/s", 10.0, 1.0, started=100.0)
    assert s.achieved == pytest.approx(10 / 4.0)
    assert summarize([], "50/s", 10.0, 1.0, started=100.0).achieved == 0.0


def test_proc_status_memory_lines_are_read_in_bytes() -> None:
    text = (
        "Name:\tpython\nVmPeak:\t  300000 kB\nVmHWM:\t   81234 kB\n"
        "VmRSS:\t   80000 kB\nThreads:\t3\n"
    )
    assert proc_status(text) == {
        "VmPeak": 300000 * 1024,
        "VmHWM": 81234 * 1024,
        "VmRSS": 80000 * 1024,
    }


def test_cpu_ticks_are_user_plus_system_even_with_a_strange_process_name() -> None:
    fields = ["S", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "250", "50", "0", "0"]
    stat = "4242 (py (worker) x) " + " ".join(fields)
    assert cpu_ticks(stat) == 300


def test_cpu_shares_and_cost_per_order_beyond_idle() -> None:
    before = {"api": 100, "db": 1000, "gone": 5}
    after = {"api": 300, "db": 1100}
    shares = cpu_shares(before, after, seconds=10, hz=100)
    assert shares == {"api": 20.0, "db": 10.0}
    assert list(shares) == ["api", "db"]  # busiest first

    idle = {"api": 5.0}  # 5% of a core while idle: 0.5 s of the 10 s
    costs = cpu_per_order(before, after, 10, idle, orders=100, hz=100)
    assert costs == {"api": pytest.approx(15.0), "db": pytest.approx(10.0)}
    assert cpu_per_order(before, after, 10, idle, orders=0, hz=100) == {}


def test_peaks_are_grouped_by_bff_keeping_the_largest_process() -> None:
    peaks = {"customer-api": 120, "customer-listener": 80, "restaurant-trigger": 70, "lake": 50}
    assert bff_of("customer-api") == "customer" and bff_of("lake") == "lake"
    assert peak_by_bff(peaks) == {
        "customer": ("customer-api", 120),
        "restaurant": ("restaurant-trigger", 70),
        "lake": ("lake", 50),
    }


def summary(offered: float, place: list[float], accept: list[float], **errors: int) -> PhaseSummary:
    return PhaseSummary(
        phase=f"{offered:g}/s",
        offered=offered,
        seconds=20.0,
        sent=len(place),
        placed=len(place),
        completed=len(accept),
        achieved=offered * len(accept) / max(len(place), 1),
        errors=dict(errors),
        latencies={"place": place, "accept": accept},
        pushed_first={},
        lag_ms=(0.1, 1.0, 2.0),
        command_ms={"place": (5.0, 9.0), "accept": (4.0, 8.0)},
    )


def test_the_figures_carry_goals_at_the_goal_rate_baselines_and_memory() -> None:
    phases = [
        summary(10.0, [4.0] * 100, [6.0] * 100),
        summary(GOAL_RATE, [8.0] * 90 + [60.0] * 10, [12.0] * 100),
        summary(200.0, [900.0] * 10, [800.0] * 5, timeout=5),
    ]
    baselines = {10.0: (2.0, 4.0), GOAL_RATE: (2.0, 5.0), 200.0: (3.0, 9.0)}
    peaks = {"customer-api": 160 * 2**20, "customer-listener": 80 * 2**20, "lake": 60 * 2**20}

    found = {f.name: f for f in figures(phases, baselines, peaks)}

    p50 = found["placeOrder -> kitchen p50 @ 50/s"]
    assert (p50.value, p50.baseline, p50.ratio, p50.goal, p50.met) == (
        8.0,
        2.0,
        4.0,
        "< 10 ms",
        True,
    )
    p99 = found["placeOrder -> kitchen p99 @ 50/s"]
    assert p99.goal == "< 50 ms" and p99.met is False and p99.value > 50
    assert found["acceptOrder -> customer p50 @ 50/s"].met is False
    assert found["placeOrder -> kitchen p50 @ 10/s"].met is None  # no goal at other rates
    rate = found["achieved orders/s @ 200/s offered (5 errors)"]
    assert rate.baseline == 200.0 and rate.met is False
    assert found["achieved orders/s @ 10/s offered (0 errors)"].met is True
    memory = found["peak RSS customer (largest: customer-api)"]
    assert memory.value == pytest.approx(160.0) and memory.unit == "MB" and memory.met is False
    assert found["peak RSS lake (largest: lake)"].met is True
    assert len(found) == 3 * 5 + 2


def test_a_rate_without_orders_has_no_percentiles_and_no_goal_met() -> None:
    phases = [summary(GOAL_RATE, [], [])]
    found = figures(phases, {}, {})
    assert all(math.isnan(f.value) for f in found[:4])
    assert all(f.met is False for f in found[:4])


async def answer_of(raw: bytes) -> tuple[int, bool, bytes]:
    reader = asyncio.StreamReader()
    reader.feed_data(raw)
    reader.feed_eof()
    return await read_response(reader)


async def test_the_http_reader_takes_status_body_and_keep_alive() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n"
        b'{"data":{}}'
    )
    assert await answer_of(raw) == (200, True, b'{"data":{}}')
    closing = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno"
    assert await answer_of(closing) == (400, False, b"no")
    with pytest.raises(ValueError):
        await answer_of(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n")
    with pytest.raises(asyncio.IncompleteReadError):
        await answer_of(b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\nshort")


def test_each_leg_splits_where_its_event_and_notification_were_seen() -> None:
    done = complete(100.0, place_ms=20, accept_ms=30)
    done.order_id = "o-1"
    assert done.placed is not None and done.accepted is not None
    hub = {
        ("order-placed", "o-1"): done.placed + 0.006,
        ("order-accepted", "o-1"): done.accepted + 0.010,
    }
    notified = {
        ("restaurant", "order-placed", "o-1"): done.placed + 0.015,
        ("customer", "order-placed", "o-1"): done.placed + 0.001,  # another app's: not a stage
        ("customer", "order-accepted", "o-1"): done.accepted + 0.025,
    }
    unseen = complete(100.0, place_ms=5, accept_ms=5)
    unseen.order_id = "o-2"

    found = stages([done, unseen], hub, notified)

    assert found["place: answer -> on the hub"] == pytest.approx([6.0])
    assert found["place: on the hub -> notified"] == pytest.approx([9.0])
    assert found["place: notified -> pushed"] == pytest.approx([5.0])
    assert found["accept: answer -> on the hub"] == pytest.approx([10.0])
    assert found["accept: on the hub -> notified"] == pytest.approx([15.0])
    assert found["accept: notified -> pushed"] == pytest.approx([5.0])
    s = summarize([done, unseen], "50/s", 50.0, 1.0, started=100.0, hub=hub, notified=notified)
    assert s.stages_ms["place: answer -> on the hub"] == pytest.approx((6.0, 6.0))
    assert stages([done], hub)["place: notified -> pushed"] == []


def test_machine_busy_and_cpu_wait_come_from_proc_stat_and_pressure() -> None:
    stat = "cpu  100 5 20 1000 30 0 7 3 0 0\ncpu0 50 2 10 500 15 0 3 1 0 0\n"
    assert machine_busy_ticks(stat) == 100 + 5 + 20 + 7 + 3  # idle and iowait left out
    pressure = (
        "some avg10=44.17 avg60=64.77 avg300=55.07 total=2500000\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    )
    assert stalled_ticks(pressure, hz=100) == 250  # 2.5 s
    assert stalled_ticks("", hz=100) == 0


class TinyServer:
    """A loopback HTTP/1.1 server answering each POST with its body count; ``close_after``
    drops a connection after that many answers without saying so (as an idle keep-alive
    timeout does)."""

    def __init__(self, close_after: int = 1000, status: int = 200) -> None:
        self.close_after, self.status = close_after, status
        self.connections = 0
        self.requests = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            for _ in range(self.close_after):
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                await reader.readexactly(length)
                self.requests += 1
                body = json.dumps({"data": {"n": self.requests}}).encode()
                writer.write(
                    f"HTTP/1.1 {self.status} X\r\ncontent-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()


async def serving(server: TinyServer) -> tuple[asyncio.Server, str]:
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    return listening, f"127.0.0.1:{port}"


async def test_the_client_keeps_connections_alive_and_retries_one_the_server_closed() -> None:
    server = TinyServer(close_after=2)
    listening, address = await serving(server)
    client = GraphQLClient(address)
    try:
        answers = [await client.post("t", "{ n }", {}) for _ in range(5)]
    finally:
        await client.close()
        listening.close()
        await listening.wait_closed()
    assert [a["data"]["n"] for a in answers] == [1, 2, 3, 4, 5]
    assert server.connections == 3  # two answers per connection; no request was lost


async def test_the_client_raises_for_a_status_other_than_200() -> None:
    listening, address = await serving(TinyServer(status=500))
    client = GraphQLClient(address)
    try:
        with pytest.raises(HttpError, match="HTTP 500"):
            await client.post("t", "{ n }", {})
    finally:
        await client.close()
        listening.close()
        await listening.wait_closed()


def test_the_chart_is_drawn(tmp_path: Path) -> None:
    phases = [summary(10.0, [4.0] * 10, [6.0] * 10), summary(GOAL_RATE, [9.0] * 10, [20.0] * 10)]
    baselines = {10.0: (2.0, 4.0), GOAL_RATE: (2.0, 5.0)}
    peaks = {"customer-api": 120 * 2**20, "lake": 60 * 2**20}
    path = chart(tmp_path / "end_to_end.png", phases, baselines, peaks)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_limits_note_names_the_slowest_parts_and_the_cpu_ceiling() -> None:
    s = summary(GOAL_RATE, [8.0] * 10, [9.0] * 10)
    s.achieved = 30.0
    s.stages_ms = {
        "place: answer -> on the hub": (5.0, 9.0),
        "place: on the hub -> notified": (400.0, 900.0),
        "accept: answer -> on the hub": (300.0, 600.0),
        "accept: notified -> pushed": (20.0, 90.0),
    }
    note = limits(s, {"ferretdb": 20.0, "customer-api": 8.0, "kafka": 2.0, "lake": 0.0}, 2)
    assert note.startswith("50/s: saturated (30.0 orders/s completed)")
    assert "on the hub -> notified (400 ms p50); answer -> on the hub (300 ms p50)" in note
    cost = "30 ms of CPU per order in this system (ferretdb 20.0, customer-api 8.0, kafka 2.0)"
    assert cost in note
    assert "2 cores carry at most ~67 orders/s at this cost" in note


def test_the_limits_note_gives_no_cpu_cost_when_most_orders_did_not_finish() -> None:
    s = summary(200.0, [8.0] * 10, [9.0] * 2)
    note = limits(s, {"ferretdb": 5.0}, 2)
    assert note.endswith("most orders did not finish, so no CPU cost per order.")


def test_the_baseline_sends_enough_messages_for_a_p99_at_low_rates() -> None:
    assert baseline_seconds(10) == 30.0
    assert baseline_seconds(200) == 10.0
