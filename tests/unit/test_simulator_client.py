"""The simulator's GraphQL client: answers, problems, retries, websocket messages."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from simulator.client import (
    GraphQL,
    Outcome,
    Unexpected,
    is_ack,
    operation,
    read_answer,
    read_message,
    websocket_url,
)


def test_answers() -> None:
    assert read_answer(200, json.dumps({"data": {"me": {"id": "x"}}})) == {"me": {"id": "x"}}
    with pytest.raises(Unexpected) as http:
        read_answer(502, "Bad Gateway")
    assert http.value.kind == "http" and "502" in http.value.detail
    with pytest.raises(Unexpected) as errors:
        read_answer(200, json.dumps({"data": None, "errors": [{"message": "Unexpected error."}]}))
    assert errors.value.kind == "graphql" and errors.value.detail == "Unexpected error."
    with pytest.raises(Unexpected):
        read_answer(200, "<html>")
    with pytest.raises(Unexpected):
        read_answer(200, json.dumps({"data": None}))


def test_outcomes() -> None:
    order = Outcome.of({"__typename": "Order", "id": "o-1", "status": "PLACED"})
    assert not order.problem and order.code is None and order.fields["id"] == "o-1"
    taken = Outcome.of({"__typename": "Conflict", "code": "TAKEN", "message": "taken"})
    assert taken.problem and taken.is_conflict() and taken.is_conflict("TAKEN")
    assert not taken.is_conflict("BUSY")
    assert taken.describe() == "Conflict TAKEN: taken"
    invalid = Outcome.of({"__typename": "InvalidInput", "code": "INVALID_INPUT", "message": "m"})
    assert invalid.problem and not invalid.is_conflict()
    with pytest.raises(Unexpected):
        Outcome.of(None)


def test_operation_names_a_call_by_its_first_field() -> None:
    assert operation("{ me { id } }") == "me"
    assert operation("query($id: ID!) { order(id: $id) { status } }") == "order"
    assert operation("mutation($o: PlaceOrderInput!) {\n  placeOrder(order: $o) { id } }") == (
        "placeOrder"
    )


def test_websocket_urls() -> None:
    assert websocket_url("http://127.0.0.1:8001") == "ws://127.0.0.1:8001/graphql"
    assert websocket_url("https://fd.example/") == "wss://fd.example/graphql"


def test_server_messages() -> None:
    field = "kitchen"
    push = {"type": "next", "id": "1", "payload": {"data": {field: {"kind": "TICKET"}}}}
    assert read_message(json.dumps(push), field).payload == {"kind": "TICKET"}
    assert read_message(json.dumps({"type": "ping"}), field).kind == "ping"
    assert read_message(json.dumps({"type": "pong"}), field).kind == "ignore"
    assert read_message(json.dumps({"type": "complete", "id": "1"}), field).kind == "complete"
    failed = {"type": "next", "id": "1", "payload": {"errors": [{"message": "x"}], "data": None}}
    assert read_message(json.dumps(failed), field).kind == "error"
    assert read_message(json.dumps({"type": "error", "payload": [{}]}), field).kind == "error"
    assert read_message("not json", field).kind == "error"
    assert read_message(json.dumps({"type": "surprise"}), field).kind == "error"
    assert is_ack(json.dumps({"type": "connection_ack"})) and not is_ack("{}")


class Server:
    """Answers POST /graphql from a list of (status, body) or exceptions."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(
            {"auth": request.headers.get("authorization"), **json.loads(request.content)}
        )
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return httpx.Response(status, json=body)


def client(server: Server) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(server), base_url="http://t")


def conflict(code: str) -> dict[str, Any]:
    return {"__typename": "Conflict", "code": code, "message": code.lower()}


async def test_busy_is_tried_again_and_calls_are_observed() -> None:
    delivered = {"__typename": "Delivery", "id": "o-1"}
    server = Server(
        (200, {"data": {"markDelivered": conflict("BUSY")}}),
        (200, {"data": {"markDelivered": delivered}}),
    )
    observed: list[tuple[str, float]] = []
    async with client(server) as http:
        api = GraphQL(
            http, "http://t", "tok", pause=0.001, observe=lambda op, s: observed.append((op, s))
        )
        outcome = await api.mutate(
            "markDelivered", "mutation($id: ID!) { markDelivered(orderId: $id) { id } }", id="o-1"
        )
    assert outcome.typename == "Delivery"
    assert len(server.requests) == 2 and server.requests[0]["auth"] == "Bearer tok"
    assert server.requests[0]["variables"] == {"id": "o-1"}
    assert [name for name, _ in observed] == ["markDelivered", "markDelivered"]


async def test_other_conflicts_come_back_at_once() -> None:
    server = Server((200, {"data": {"acceptDelivery": conflict("TAKEN")}}))
    async with client(server) as http:
        outcome = await GraphQL(http, "http://t", "tok").mutate(
            "acceptDelivery", "mutation { acceptDelivery(orderId: 1) { id } }"
        )
    assert outcome.is_conflict("TAKEN") and len(server.requests) == 1


async def test_transport_errors_are_retried_only_when_safe() -> None:
    placed = {"__typename": "Order", "id": "o-1"}
    broken = httpx.ConnectError("refused")
    server = Server(broken, (200, {"data": {"placeOrder": placed}}), broken)
    async with client(server) as http:
        api = GraphQL(http, "http://t", "tok", retries=1, pause=0.001)
        outcome = await api.mutate("placeOrder", "mutation { placeOrder }", idempotent=True)
        assert outcome.typename == "Order"
        with pytest.raises(Unexpected) as failed:
            await api.mutate("cancelOrder", "mutation { cancelOrder }")
    assert failed.value.kind == "http" and "ConnectError" in failed.value.detail


async def test_graphql_errors_are_unexpected() -> None:
    server = Server((200, {"data": None, "errors": [{"message": "Unexpected error."}]}))
    async with client(server) as http:
        with pytest.raises(Unexpected, match="Unexpected error"):
            await GraphQL(http, "http://t", "tok").query("{ board { new { orderId } } }")
