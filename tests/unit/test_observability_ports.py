"""Where each process of the runner's plan serves its metrics: an API on its own port, each
process without HTTP on a loopback port of its own (``FD_METRICS_PORT``), counted from a
base the caller picks (the runner's default, the system tests' own range)."""

from __future__ import annotations

from runner.plan import METRICS_BASE, plan


def test_each_process_without_http_gets_its_own_metrics_port() -> None:
    programs = plan({"customer": 18001, "restaurant": 18002, "driver": 18003}, metrics_base=18101)
    urls = {p.name: p.metrics_url for p in programs}
    assert urls == {
        "customer-api": "http://127.0.0.1:18001/metrics",
        "customer-listener": "http://127.0.0.1:18101/metrics",
        "customer-trigger": "http://127.0.0.1:18102/metrics",
        "restaurant-api": "http://127.0.0.1:18002/metrics",
        "restaurant-listener": "http://127.0.0.1:18103/metrics",
        "restaurant-trigger": "http://127.0.0.1:18104/metrics",
        "driver-api": "http://127.0.0.1:18003/metrics",
        "driver-listener": "http://127.0.0.1:18105/metrics",
        "driver-trigger": "http://127.0.0.1:18106/metrics",
        "lake": "http://127.0.0.1:18107/metrics",
    }
    for program in programs:
        if program.port is None:
            assert program.env["FD_METRICS_PORT"] == str(program.metrics_port)
        else:
            assert "FD_METRICS_PORT" not in program.env


def test_without_a_base_only_the_apis_serve_metrics() -> None:
    programs = plan()
    assert [p.name for p in programs if p.metrics_url] == [
        "customer-api",
        "restaurant-api",
        "driver-api",
    ]
    assert all("FD_METRICS_PORT" not in p.env for p in programs)


def test_the_runners_metrics_ports_follow_the_apis() -> None:
    ports = [p.metrics_port for p in plan(metrics_base=METRICS_BASE) if p.metrics_port]
    assert ports == list(range(8101, 8108))
