"""Hypothesis strategies for hostile requests to a BFF's ``/graphql``, and what every
answer must look like.

Each strategy draws an ``Attempt``: one HTTP request (method, body or query string,
content type, which token) and the least it must be refused with (``Refusal``):

- ``transport``: bodies that are not JSON, not UTF-8, nested past any parser, JSON that
  is not an object, wrong content types, batches, other methods, and GET requests
  carrying mutations. Batches, form posts and GETs carry *effective* mutations (ones
  that would change something if they ran), so that running one shows as a write;
- ``broken_documents``: GraphQL documents with their text cut, spliced and salted;
- ``operations``: valid-looking operations built from the BFF's real schema, every
  argument drawn for its type (inline or as a variable) and then made hostile: wrongly
  typed, missing, null, huge (100 KB strings, 32-bit overflows, 1e308, 1e400, NaN),
  unicode and control characters, unknown arguments and fields. A mutation always
  carries at least one value that must be refused, so none of them can write;
- ``over_limits``: documents nested deeper than the depth limit, with more aliases than
  allowed, or longer than the token limit, each naming the limit it breaks;
- ``socket_messages``: a ``Conversation`` over graphql-transport-ws after a valid
  ``connection_init``: messages that are not JSON, not protocol messages, subscribe
  messages with broken payloads, hostile operations, a second init (``check_socket``).

``check(attempt, status, body)`` asserts the properties: never a 5xx, always a JSON
object, a refusal always an ``errors`` list of objects with a ``message``, and never the
masked "Unexpected error." (a resolver that raised on input it should have refused).
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    is_required_input_field,
)
from hypothesis import strategies as st

from bff.kit.hygiene import MASKED_MESSAGE
from tests.faults.matrix import RootField, root_fields, selection

#: the limits every BFF schema is made with (docs/bff-kit.md)
MAX_DEPTH, MAX_ALIASES, MAX_TOKENS = 8, 15, 2000
#: the problems a mutation answers instead of doing something
PROBLEMS = frozenset({"NotFound", "NotAllowed", "Conflict", "InvalidInput"})
#: the length of a huge text: 100 KB, far over every limit of text an app sends
HUGE = 100_000

Draw = Callable[[st.SearchStrategy[Any]], Any]


class Refusal(enum.IntEnum):
    """The least an answer must refuse: nothing (a hostile but well-formed read may just
    answer), by the command (an error or a problem result), or by GraphQL itself (errors
    and no data: the operation never ran)."""

    NONE = 0
    COMMAND = 1
    GRAPHQL = 2


@dataclass(frozen=True)
class Attempt:
    """One hostile HTTP request to ``/graphql``."""

    what: str
    refusal: Refusal
    method: str = "POST"
    content: bytes | None = None
    params: Mapping[str, str] | None = None
    content_type: str | None = "application/json"
    #: "actor" (a valid token of the BFF's role), "none", or a garbage header value
    token: str = "actor"
    #: the GraphQL document, for failure messages
    document: str = ""

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        body = (self.content or b"")[:400]
        return (
            f"Attempt({self.what!r}, {self.refusal.name}, {self.method}, "
            f"token={self.token[:40]!r}, type={self.content_type!r}, "
            f"params={dict(self.params or {})!r:.400}, body={body!r} "
            f"({len(self.content or b'')} bytes))"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints dataclasses field by field: a 5 MB body would be 5 MB."""
        printer.text(repr(self))


@dataclass(frozen=True)
class Target:
    """What the strategies know of the BFF under attack."""

    role: str
    schema: strawberry.Schema
    #: real values by argument or input field name (the actor's order ids, menu items)
    known: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    #: valid operations that would change something, (document, variables)
    effective: Sequence[tuple[str, dict[str, Any]]] = ()

    @property
    def fields(self) -> list[RootField]:
        return root_fields(self.schema)

    def __repr__(self) -> str:  # hypothesis shows the strategies' arguments
        return f"Target({self.role!r})"


def post(
    what: str,
    refusal: Refusal,
    document: str,
    variables: Mapping[str, Any] | None = None,
    token: str = "actor",
    **extra: Any,
) -> Attempt:
    """A POST of ``{"query", "variables"}`` as JSON (NaN and Infinity as Python writes)."""
    payload: dict[str, Any] = {"query": document}
    if variables:
        payload["variables"] = dict(variables)
    payload.update(extra)
    content = json.dumps(payload).encode()
    return Attempt(what, refusal, content=content, token=token, document=document)


# -- answers -------------------------------------------------------------------------

#: statuses a refusal may have before GraphQL runs: a bad request, a bad or another
#: role's token, a wrong method, a body too large, too many mutations
TRANSPORT_REFUSALS = frozenset({400, 401, 403, 405, 413, 429})


def check(attempt: Attempt, status: int, body: bytes) -> None:
    """The properties every answer to a hostile request has."""
    assert status < 500, f"HTTP {status}: {body[:500]!r}"
    answer = json.loads(body, parse_constant=not_json)  # NaN, Infinity: not JSON
    assert isinstance(answer, dict), answer
    errors = answer.get("errors")
    if errors is not None:
        assert isinstance(errors, list) and errors, answer
        for error in errors:
            assert isinstance(error, dict) and isinstance(error.get("message"), str), error
            assert error["message"] != MASKED_MESSAGE, f"a resolver raised: {answer}"
            assert (error.get("extensions") or {}).get("code") != "UNAVAILABLE", answer
    if status != 200:
        assert status in TRANSPORT_REFUSALS, f"HTTP {status}: {answer}"
        assert errors, f"HTTP {status} without errors: {answer}"
        return
    assert "data" in answer or errors, answer
    if attempt.refusal is Refusal.GRAPHQL:
        assert errors and answer.get("data") is None, f"not refused: {answer}"
    elif attempt.refusal is Refusal.COMMAND:
        assert errors or problems_in(answer.get("data")), f"not refused: {answer}"


def not_json(constant: str) -> Any:
    raise AssertionError(f"the answer holds {constant}, which is not JSON")


def problems_in(data: object) -> bool:
    """True when every root field answered a problem (or null)."""
    if not isinstance(data, dict) or not data:
        return False
    return all(
        value is None or (isinstance(value, dict) and value.get("__typename") in PROBLEMS)
        for value in data.values()
    )


# -- tokens --------------------------------------------------------------------------

tokens = st.one_of(
    st.just("actor"),
    st.just("actor"),
    st.just("actor"),
    st.just("actor"),
    st.just("none"),
    st.sampled_from(["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer a.b.c", "Bearer ...."]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300),
)


# -- transport -----------------------------------------------------------------------


def json_containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=8), children, max_size=4
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    json_containers,
    max_leaves=12,
)
#: what a browser form or another client might declare
CONTENT_TYPES = [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/graphql",
    "application/xml",
    "",
]


@st.composite
def transport(draw: Draw, target: Target) -> Attempt:
    """A request that is not a well-formed GraphQL POST."""
    mutation, variables = draw(st.sampled_from(list(target.effective)))
    valid = json.dumps({"query": mutation, "variables": variables}).encode()
    token = draw(tokens)
    kind = draw(
        st.sampled_from(
            [
                "bytes",
                "text",
                "not an object",
                "bad fields",
                "content type",
                "batch",
                "get mutation",
                "get garbage",
                "method",
                "deep json",
                "not utf-8",
            ]
        )
    )
    refused = Refusal.GRAPHQL
    if kind == "bytes":
        return Attempt(kind, refused, content=draw(st.binary(max_size=2000)), token=token)
    if kind == "text":
        text = draw(st.text(max_size=500))
        return Attempt(kind, refused, content=text.encode("utf-8", "surrogatepass"), token=token)
    if kind == "not an object":
        value = draw(json_values.filter(lambda v: not isinstance(v, dict)))
        if isinstance(value, list):  # a batch of anything: refused while batching is off
            value = [*value, {"query": mutation, "variables": variables}]
        return Attempt(kind, refused, content=json.dumps(value).encode(), token=token)
    if kind == "bad fields":
        wrong = {
            "query": draw(json_values.filter(lambda v: not isinstance(v, str))),
            "variables": draw(json_values.filter(lambda v: not isinstance(v, dict | None))),
            "operationName": draw(json_values),
            "extensions": draw(json_values.filter(lambda v: not isinstance(v, dict | None))),
        }
        spoiled = draw(st.sets(st.sampled_from(sorted(wrong)), min_size=1))
        payload: dict[str, Any] = {"query": mutation, "variables": variables}
        payload.update({name: wrong[name] for name in spoiled})
        if "query" not in spoiled and "variables" not in spoiled and "extensions" not in spoiled:
            # a wrong operationName alone: refused only when no operation has that name
            payload["operationName"] = draw(st.text(min_size=1, max_size=20)) + "_no_such"
        return Attempt(kind, refused, content=json.dumps(payload).encode(), token=token)
    if kind == "content type":
        content_type = draw(st.sampled_from(CONTENT_TYPES))
        return Attempt(kind, refused, content=valid, content_type=content_type, token=token)
    if kind == "batch":
        batch = [{"query": mutation, "variables": variables}] * draw(st.integers(1, 20))
        return Attempt(kind, refused, content=json.dumps(batch).encode(), token=token)
    if kind == "get mutation":
        params = {"query": mutation, "variables": json.dumps(variables)}
        return Attempt(kind, refused, method="GET", params=params, token=token)
    if kind == "get garbage":
        params = {"query": draw(st.text(max_size=200)), "variables": draw(st.text(max_size=200))}
        if draw(st.booleans()):
            params["query"] = mutation  # a mutation is never run for a GET
        else:
            refused = Refusal.NONE  # noise, or by chance a query
        return Attempt(kind, refused, method="GET", params=params, token=token)
    if kind == "method":
        method = draw(st.sampled_from(["PUT", "PATCH", "DELETE"]))
        return Attempt(kind, refused, method=method, content=valid, token=token)
    if kind == "deep json":
        depth = draw(st.integers(1_000, 50_000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        deep = opener * depth + "1" + closer * depth
        if draw(st.booleans()):  # the body: refused, parsed (no query) or not
            return Attempt(kind, refused, content=deep.encode(), token=token)
        # the variables of a read: if they parse, they are merely unused
        content = '{"query": "{ __typename }", "variables": ' + deep + "}"
        return Attempt(kind, Refusal.NONE, content=content.encode(), token=token)
    assert kind == "not utf-8"
    broken = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80\x80"]))
    at = draw(st.integers(0, len(valid)))
    return Attempt(kind, refused, content=valid[:at] + broken + valid[at:], token=token)


# -- broken documents ----------------------------------------------------------------

PUNCTUATION = [*'{}()[]:!$@=|&."#\\,', "...", '"""', "\n", "\t", "\x00", "\u2028"]


@st.composite
def broken_documents(draw: Draw, target: Target) -> Attempt:
    """A document that is no longer what it was: cut, spliced, salted, or pure noise.
    Its base is a read (or a subscription, or a mutation of ids that do not exist), so
    whatever it turns into cannot change anything."""
    harmless = [f for f in target.fields if f.operation != "mutation" or names_an_id(f)]
    base_field = draw(st.sampled_from(harmless))
    base = base_document(base_field)
    how = draw(st.sampled_from(["cut", "splice", "salt", "noise", "tokens", "repeat"]))
    if how == "cut":
        at = draw(st.integers(0, max(0, len(base) - 1)))
        document = base[:at]
    elif how == "splice":
        start = draw(st.integers(0, len(base)))
        end = draw(st.integers(start, len(base)))
        document = base[:start] + draw(st.text(max_size=30)) + base[end:]
    elif how == "salt":
        document = base
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(document)))
            document = document[:at] + draw(st.sampled_from(PUNCTUATION)) + document[at:]
    elif how == "noise":
        document = draw(st.text(max_size=400))
    elif how == "tokens":
        words = [*PUNCTUATION, "query", "mutation", "subscription", "fragment", "on", "null"]
        words += [f.name for f in target.fields]
        document = " ".join(draw(st.lists(st.sampled_from(words), max_size=60)))
    else:
        document = base * draw(st.integers(2, 5))  # several anonymous operations
    return post(f"broken ({how})", Refusal.NONE, document, token=draw(tokens))


def names_an_id(root: RootField) -> bool:
    """True when a required argument (or a required field of one) is an ID: the base
    document names one that does not exist, so no edit of it can change anything."""

    def required_id(type_: GraphQLInputType) -> bool:
        if not isinstance(type_, GraphQLNonNull):
            return False
        inner = type_.of_type
        if isinstance(inner, GraphQLInputObjectType):
            return any(required_id(f.type) for f in inner.fields.values())
        return isinstance(inner, GraphQLScalarType) and inner.name == "ID"

    return any(required_id(arg.type) for arg in root.field.args.values())


def base_document(root: RootField) -> str:
    """A valid document for ``root`` whose arguments name things that do not exist."""
    args = ", ".join(
        f"{name}: {harmless_literal(arg.type)}"
        for name, arg in root.field.args.items()
        if is_required_argument(arg)
    )
    call = f"{root.name}({args})" if args else root.name
    return f"{root.operation} {{ {call} {selection(root.field.type, 2)} }}"


def harmless_literal(type_: GraphQLInputType) -> str:
    """A literal naming nothing that exists (ids that are no one's)."""
    if isinstance(type_, GraphQLNonNull):
        return harmless_literal(type_.of_type)
    if isinstance(type_, GraphQLList):
        return f"[{harmless_literal(type_.of_type)}]"
    if isinstance(type_, GraphQLInputObjectType):
        parts = [
            f"{name}: {harmless_literal(f.type)}"
            for name, f in type_.fields.items()
            if is_required_input_field(f)
        ]
        return "{" + ", ".join(parts) + "}"
    if isinstance(type_, GraphQLEnumType):
        return str(next(iter(type_.values)))
    assert isinstance(type_, GraphQLScalarType)
    return {"Int": "-1", "Float": "1e300", "Boolean": "true"}.get(type_.name, '"no-such-id"')


# -- operations from the schema ------------------------------------------------------

#: characters that break naive code: controls, quotes, escapes, bidi, BOM, astral
NASTY = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\u0085\u200b\u202e\u2028\ufeff\ud800\\\"'`$%{}\U0001f600"
texts = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from(NASTY + "ab "), max_size=40),
    st.sampled_from(["", " ", "\t\n", "null", "undefined", "NaN", "{}", "$where", '{"$gt": ""}']),
)
huge_texts = st.builds(
    lambda seed, n: (seed * (n // len(seed) + 1))[:n],
    st.sampled_from(["a", "Ω", "é", "\U0001f600", "x\x00y", "{{", "ab\u202e"]),
    st.integers(HUGE, HUGE + 5_000),
)
ints = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    st.sampled_from([0, -1, 1, 2**31 - 1, -(2**31), 241, 1_000_001]),
)
floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 90.000001, -180.5, 52.5, 13.4]),
)
#: 32-bit Int overflows, and numbers GraphQL's Float cannot carry
OVERFLOWS = [2**31, -(2**31) - 1, 10**30, 2**63]


def wrap(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def can_command(type_: GraphQLInputType) -> bool:
    """True when the command can be the one to refuse a value of this type (text, ids
    and numbers have ranges; booleans and enums do not)."""
    inner = wrap(type_)
    if isinstance(inner, GraphQLList):
        return can_command(inner.of_type)
    if isinstance(inner, GraphQLInputObjectType):
        return any(can_command(f.type) for f in inner.fields.values())
    return isinstance(inner, GraphQLScalarType) and inner.name in ("String", "ID", "Int", "Float")


class Values:
    """Draws argument values for one operation, inline (GraphQL literals) or as variables
    (JSON), and keeps the variables and their declarations."""

    def __init__(self, draw: Draw, known: Mapping[str, Sequence[Any]]) -> None:
        self.draw = draw
        self.known = known
        self.variables: dict[str, Any] = {}
        self.declarations: list[str] = []

    def argument(self, name: str, arg: GraphQLArgument, want: Refusal) -> tuple[str, Refusal]:
        """The text after ``name:`` for one argument, and the refusal it earns."""
        type_ = arg.type
        draw = self.draw
        if draw(st.booleans()):
            return self.literal(type_, name, want)
        variable = f"v{len(self.variables)}"
        if want is Refusal.GRAPHQL and not draw(st.integers(0, 3)):
            # the variable is the poison: undeclared, of an unknown type, or nullable
            # where the argument is not
            how = draw(st.sampled_from(["undeclared", "unknown type", "nullable"]))
            if how == "undeclared":
                return "$undeclared", Refusal.GRAPHQL
            value, _ = self.json(type_, name, Refusal.NONE)
            declared = "[[NoSuchType]]"
            if how == "nullable" and is_required_argument(arg):  # (a default allows null)
                declared = str(wrap(type_))
            self.variables[variable] = value
            self.declarations.append(f"${variable}: {declared}")
            return f"${variable}", Refusal.GRAPHQL
        value, earned = self.json(type_, name, want)
        self.variables[variable] = value
        self.declarations.append(f"${variable}: {type_}")
        return f"${variable}", earned

    # inline literals

    def literal(self, type_: GraphQLInputType, name: str, want: Refusal) -> tuple[str, Refusal]:
        draw = self.draw
        if want is Refusal.GRAPHQL and (not can_nest(type_) or draw(st.booleans())):
            return self.wrong_literal(type_), Refusal.GRAPHQL
        if want is Refusal.COMMAND and not can_command(type_):
            return self.wrong_literal(type_), Refusal.GRAPHQL
        inner = wrap(type_)
        nullable = not isinstance(type_, GraphQLNonNull)
        if want is Refusal.NONE and nullable and draw(st.integers(0, 9)) == 0:
            return "null", Refusal.NONE
        if isinstance(inner, GraphQLList):
            items, earned = self.items(inner.of_type, name, want, self.literal)
            if len(items) == 1 and draw(st.booleans()):
                return items[0], earned  # one value stands for a list of one
            return "[" + ", ".join(items) + "]", earned
        if isinstance(inner, GraphQLInputObjectType):
            parts, earned = self.fields(inner, want, self.literal)
            return "{" + ", ".join(f"{k}: {v}" for k, v in parts.items()) + "}", earned
        if isinstance(inner, GraphQLEnumType):
            return draw(st.sampled_from(list(inner.values))), Refusal.NONE
        assert isinstance(inner, GraphQLScalarType)
        value, earned = self.scalar(inner, name, want)
        if inner.name == "Float" and draw(st.integers(0, 9)) == 0:
            return "1e400", max(earned, Refusal.COMMAND if want else Refusal.NONE)  # inf
        return graphql_literal(value), earned

    def wrong_literal(self, type_: GraphQLInputType) -> str:
        """A literal GraphQL refuses for ``type_``."""
        draw = self.draw
        if isinstance(type_, GraphQLNonNull) and draw(st.integers(0, 3)) == 0:
            return "null"
        inner = wrap(type_)
        if isinstance(inner, GraphQLList):
            return "[" + self.wrong_literal(inner.of_type) + "]"
        wrong: str = draw(st.sampled_from(wrong_literals(get_named_type(inner))))
        return wrong

    # variables (JSON)

    def json(self, type_: GraphQLInputType, name: str, want: Refusal) -> tuple[Any, Refusal]:
        draw = self.draw
        if want is Refusal.GRAPHQL and (not can_nest(type_) or draw(st.booleans())):
            return self.wrong_json(type_), Refusal.GRAPHQL
        if want is Refusal.COMMAND and not can_command(type_):
            return self.wrong_json(type_), Refusal.GRAPHQL
        inner = wrap(type_)
        nullable = not isinstance(type_, GraphQLNonNull)
        if want is Refusal.NONE and nullable and draw(st.integers(0, 9)) == 0:
            return None, Refusal.NONE
        if isinstance(inner, GraphQLList):
            items, earned = self.items(inner.of_type, name, want, self.json)
            if len(items) == 1 and draw(st.booleans()):
                return items[0], earned
            return items, earned
        if isinstance(inner, GraphQLInputObjectType):
            return self.fields(inner, want, self.json)
        if isinstance(inner, GraphQLEnumType):
            return draw(st.sampled_from(list(inner.values))), Refusal.NONE
        assert isinstance(inner, GraphQLScalarType)
        return self.scalar(inner, name, want)

    def wrong_json(self, type_: GraphQLInputType) -> Any:
        draw = self.draw
        if isinstance(type_, GraphQLNonNull) and draw(st.integers(0, 3)) == 0:
            return None
        inner = wrap(type_)
        if isinstance(inner, GraphQLList):
            return [self.wrong_json(inner.of_type)]
        return draw(st.sampled_from(wrong_json(get_named_type(inner))))

    # shared

    def items(
        self,
        of: GraphQLInputType,
        name: str,
        want: Refusal,
        one: Callable[[GraphQLInputType, str, Refusal], tuple[Any, Refusal]],
    ) -> tuple[list[Any], Refusal]:
        draw = self.draw
        count = draw(st.integers(1 if want else 0, 3))
        poisoned = draw(st.integers(0, max(0, count - 1)))
        drawn = [one(of, name, want if i == poisoned else Refusal.NONE) for i in range(count)]
        earned = max((e for _, e in drawn), default=Refusal.NONE)
        return [value for value, _ in drawn], earned

    def fields(
        self,
        type_: GraphQLInputObjectType,
        want: Refusal,
        one: Callable[[GraphQLInputType, str, Refusal], tuple[Any, Refusal]],
    ) -> tuple[dict[str, Any], Refusal]:
        draw = self.draw
        names = [n for n, f in type_.fields.items() if is_required_input_field(f)]
        names += [n for n, f in type_.fields.items() if n not in names and draw(st.booleans())]
        candidates = [
            n
            for n in type_.fields
            if want is not Refusal.COMMAND or can_command(type_.fields[n].type)
        ]
        poisoned = draw(st.sampled_from(candidates)) if want and candidates else None
        if poisoned is not None and poisoned not in names:
            names.append(poisoned)
        parts: dict[str, Any] = {}
        earned = Refusal.NONE
        for n in names:
            value, got = one(type_.fields[n].type, n, want if n == poisoned else Refusal.NONE)
            parts[n] = value
            earned = max(earned, got)
        return parts, earned

    def scalar(self, type_: GraphQLScalarType, name: str, want: Refusal) -> tuple[Any, Refusal]:
        """A value GraphQL accepts for the scalar: refused by the command (``COMMAND``),
        or anything (``NONE``): real values, edge cases, unicode, huge text."""
        draw = self.draw
        kind = type_.name
        if want is Refusal.COMMAND:
            if kind in ("String", "ID"):
                return draw(huge_texts.filter(str.strip)), Refusal.COMMAND
            if kind == "Int":
                return draw(st.sampled_from([-(2**31), -1_000_001, -1])), Refusal.COMMAND
            return draw(st.sampled_from([1e308, -1e308, 1e300, 1000.0])), Refusal.COMMAND
        known = list(self.known.get(name, ()))
        if known and draw(st.integers(0, 2)) > 0:
            return draw(st.sampled_from(known)), Refusal.NONE
        if kind in ("String", "ID"):
            return draw(st.one_of(texts, texts, texts, huge_texts)), Refusal.NONE
        if kind in ("Int", "EpochMs"):
            return draw(ints), Refusal.NONE
        if kind == "Float":
            return draw(floats), Refusal.NONE
        return draw(st.booleans()), Refusal.NONE


def can_nest(type_: GraphQLInputType) -> bool:
    """True when a poison can go deeper than this value (into an element or a field)."""
    return isinstance(wrap(type_), GraphQLList | GraphQLInputObjectType)


def wrong_literals(named: GraphQLNamedType) -> list[str]:
    """Literals GraphQL refuses for a named input type."""
    if isinstance(named, GraphQLInputObjectType):
        required = [n for n, f in named.fields.items() if is_required_input_field(f)]
        wrong = ['"an object"', "1", "[1]", "{noSuchField: 1}", "true"]
        return wrong + ([f"{{{required[0]}: null}}"] if required else [])
    if isinstance(named, GraphQLEnumType):
        first = next(iter(named.values))
        return [f'"{first}"', "NO_SUCH_VALUE", "1", "true", "{a: 1}"]
    by_scalar = {
        "Int": ["1.5", '"1"', "true", *map(str, OVERFLOWS), "{a: 1}", "[1.5]", "ENUMISH"],
        "Float": ['"1.5"', "true", "{a: 1}", "NaN", "[true]"],
        "String": ["1", "1.5", "true", "{a: 1}", "[1]", "ENUMISH"],
        "ID": ["1.5", "true", "{a: 1}", "[1.5]", "ENUMISH", "1e400"],
        "Boolean": ["1", '"true"', "0", "1.5", "{a: 1}", "TRUE"],
        "EpochMs": ['"soon"', "true", "-1", "1.5", "{a: 1}", "1e400"],
    }
    return by_scalar[named.name]


def wrong_json(named: GraphQLNamedType) -> list[Any]:
    """JSON values GraphQL refuses for a named input type (NaN, Infinity and 1e400,
    which Python reads as infinity, included)."""
    if isinstance(named, GraphQLInputObjectType):
        required = [n for n, f in named.fields.items() if is_required_input_field(f)]
        return ["an object", 1, [1], {"noSuchField": 1}] + [{r: None} for r in required[:1]]
    if isinstance(named, GraphQLEnumType):
        return ["NO_SUCH_VALUE", 1, True, {"a": 1}]
    nan, inf = math.nan, math.inf
    by_scalar: dict[str, list[Any]] = {
        "Int": [1.5, "1", True, *OVERFLOWS, nan, inf, {"a": 1}],
        "Float": ["1.5", True, nan, inf, -inf, {"a": 1}],
        "String": [1, 1.5, True, {"a": 1}, [1], nan],
        "ID": [1.5, True, {"a": 1}, nan, inf, [1.5]],
        "Boolean": [1, 0, "true", 1.5, nan, {"a": 1}],
        "EpochMs": ["soon", True, -1, 1.5, nan, 10**16, {"a": 1}],
    }
    return by_scalar[named.name]


def graphql_literal(value: Any) -> str:
    """A Python value as a GraphQL literal (strings escaped as JSON does: lone surrogates
    become escapes GraphQL refuses)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value)


@st.composite
def operations(draw: Draw, target: Target) -> Attempt:
    """An operation on real fields of the schema with hostile arguments and selections.
    Mutations (one root field each) always carry a value that must be refused."""
    kind = draw(st.sampled_from(["query", "query", "mutation", "mutation", "subscription"]))
    candidates = [f for f in target.fields if f.operation == kind]
    count = 1 if kind != "query" else draw(st.integers(1, 3))
    chosen = [draw(st.sampled_from(candidates)) for _ in range(count)]
    values = Values(draw, target.known)
    calls: list[str] = []
    earned = Refusal.NONE
    must = Refusal.NONE
    if kind == "mutation":
        must = Refusal.COMMAND
    elif draw(st.integers(0, 2)) == 0:
        must = Refusal.GRAPHQL
    if kind == "subscription":  # over HTTP: refused (only graphql-transport-ws streams)
        earned = Refusal.GRAPHQL
    for i, root in enumerate(chosen):
        call, got = hostile_call(draw, values, root, must)
        alias = f"a{i}: " if count > 1 or draw(st.booleans()) else ""
        calls.append(alias + call)
        earned = max(earned, got)
    declared = f"({', '.join(values.declarations)})" if values.declarations else ""
    name = draw(st.sampled_from(["", " Hostile", " _", " op" + "x" * 50]))
    document = f"{kind}{name}{declared} {{ {' '.join(calls)} }}"
    how = "GET" if kind == "query" and draw(st.integers(0, 4)) == 0 else "POST"
    token = draw(tokens)
    variables_text = json.dumps(values.variables)
    if how == "GET" and len(document) + len(variables_text) < 8_000:  # (a URL's length)
        params = {"query": document, "variables": variables_text}
        return Attempt(kind, earned, method="GET", params=params, token=token, document=document)
    return post(kind, earned, document, values.variables, token)


def hostile_call(draw: Draw, values: Values, root: RootField, must: Refusal) -> tuple[str, Refusal]:
    """``field(args) { selection }`` with at least ``must`` refusal (a mutation's)."""
    args = root.field.args
    # where the refusal comes from: an argument, an unknown argument, or the selection
    places = ["unknown argument", "selection"]
    if must is Refusal.COMMAND:
        places += [n for n, a in args.items() if can_command(a.type)] * 3
    places += [n for n in args] * 2
    poison_at = draw(st.sampled_from(places)) if must else None
    parts: list[str] = []
    earned = Refusal.NONE
    for name, arg in args.items():
        want = Refusal.NONE
        if name == poison_at:
            want = must if draw(st.booleans()) else Refusal.GRAPHQL
        elif is_required_argument(arg) and not draw(st.integers(0, 19)):
            earned = Refusal.GRAPHQL  # a required argument left out
            continue
        elif not is_required_argument(arg) and not draw(st.integers(0, 2)):
            continue  # an optional one left to its default
        text, got = values.argument(name, arg, want)
        parts.append(f"{name}: {text}")
        earned = max(earned, got)
    if poison_at == "unknown argument":
        parts.append(f"noSuchArgument: {draw(st.sampled_from(['1', 'null', '$nope', '{}']))}")
        earned = Refusal.GRAPHQL
    call = f"{root.name}({', '.join(parts)})" if parts else root.name
    result, poisoned = hostile_selection(draw, values, root, poison_at == "selection")
    if poisoned:
        earned = Refusal.GRAPHQL
    return f"{call} {result}", earned


def hostile_selection(
    draw: Draw, values: Values, root: RootField, poison: bool
) -> tuple[str, bool]:
    """A selection of the field's result (a few levels deep, nested fields' arguments
    drawn too: ``deliveryTo(lat: 1e400, ...)``), or one GraphQL refuses."""
    leaf = is_leaf_type(get_named_type(root.field.type))
    valid = drawn_selection(draw, values, root.field.type, draw(st.integers(1, 3)))
    if not poison:
        return valid, False
    how = draw(st.sampled_from(["unknown field", "none", "wrong fragment", "bad directive"]))
    if how == "none" and not leaf:
        return "", True
    body = valid[1:-1] if valid else " __typename "
    bad = {
        "unknown field": "noSuchField",
        "none": "noSuchField",
        "wrong fragment": "... on NoSuchType { id }",
        "bad directive": '__typename @include(if: "yes") @noSuchDirective',
    }[how]
    return "{" + body + " " + bad + " }", True


def drawn_selection(draw: Draw, values: Values, type_: GraphQLOutputType, depth: int) -> str:
    """Some of a result type's fields (``__typename`` always), each union member by an
    inline fragment, the arguments of nested fields drawn as the root field's are."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        members = " ".join(
            f"... on {m.name} {drawn_selection(draw, values, m, depth)}" for m in named.types
        )
        return f"{{ __typename {members} }}"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    parts = ["__typename"]
    for name, child in named.fields.items():
        nested = not is_leaf_type(get_named_type(child.type))
        if draw(st.integers(0, 2)) == 0 or (nested and depth <= 1):
            continue
        passed = [
            f"{arg_name}: {values.argument(arg_name, arg, Refusal.NONE)[0]}"
            for arg_name, arg in child.args.items()
            if is_required_argument(arg) or draw(st.booleans())
        ]
        call = f"{name}({', '.join(passed)})" if passed else name
        below = drawn_selection(draw, values, child.type, depth - 1) if nested else ""
        parts.append(f"{call} {below}".strip())
    return "{ " + " ".join(parts) + " }"


# -- over the limits -----------------------------------------------------------------


@st.composite
def over_limits(draw: Draw, target: Target) -> tuple[str, Attempt]:
    """A document over one of the limits, and the words its error must hold. Built on an
    effective mutation where the limit allows (aliases, tokens): refused, it never ran."""
    limit = draw(st.sampled_from(["depth", "aliases", "tokens"]))
    token = draw(st.sampled_from(["actor", "actor", "none"]))
    mutation, variables = draw(st.sampled_from(list(target.effective)))
    if limit == "depth":
        root = draw(st.sampled_from([f for f in target.fields if f.operation == "query"]))
        depth = draw(st.integers(MAX_DEPTH + 1, 60))
        inner = "__typename"
        for level in range(depth - 1):
            inner = f"f{level} {{ {inner} }}"
        document = f"query {{ {call_of(root)} {{ {inner} }} }}"
        words = f"exceeds maximum operation depth of {MAX_DEPTH}"
        return words, post("over depth", Refusal.GRAPHQL, document, token=token)
    head, _, rest = mutation.partition("{")
    field_text = rest.rsplit("}", 1)[0].strip()
    if limit == "aliases":
        count = draw(st.integers(MAX_ALIASES + 1, 80))
        call = field_text.split("{", 1)[0].strip()  # its arguments are variables: no braces
        body = " ".join(f"a{i}: {call} {{ __typename }}" for i in range(count))
        words = f"{count} aliases found. Allowed: {MAX_ALIASES}"
        return words, post("over aliases", Refusal.GRAPHQL, f"{head}{{ {body} }}", variables, token)
    padding = " ".join(["__typename"] * draw(st.integers(MAX_TOKENS, 3 * MAX_TOKENS)))
    inner_selection = field_text.rstrip()[:-1]  # the root field's selection, still open
    document = f"{head}{{ {inner_selection} {padding} }} }}"
    words = f"more than {MAX_TOKENS} tokens"
    return words, post("over tokens", Refusal.GRAPHQL, document, variables, token)


def call_of(root: RootField) -> str:
    args = ", ".join(
        f"{n}: {harmless_literal(a.type)}" for n, a in root.field.args.items() if a.type
    )
    return f"{root.name}({args})" if args else root.name


# -- graphql-transport-ws ------------------------------------------------------------

#: what the server may send over graphql-transport-ws
SERVER_MESSAGES = frozenset({"connection_ack", "next", "error", "complete", "ping", "pong"})


@dataclass(frozen=True)
class Conversation:
    """Messages sent over one graphql-transport-ws connection, after ``connection_init``
    with the actor's valid token (text, or bytes for a binary frame). ``answered``: the
    ids of the queries and mutations among them, each owed a ``complete`` or an
    ``error`` (the client waits for it before it says more)."""

    messages: tuple[str | bytes, ...]
    answered: tuple[str | None, ...] = ()

    def __repr__(self) -> str:
        shown = [m[:300] for m in self.messages]
        return f"Conversation({shown!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


ids = st.one_of(st.text(max_size=10), st.just("1"))


@st.composite
def socket_messages(draw: Draw, target: Target) -> Conversation:
    """A few hostile messages: not JSON, binary, JSON that is not a message, unknown
    types, subscribe messages with broken payloads, hostile operations (mutations always
    with a value that must be refused), a second init, completes of nothing, deep JSON."""
    messages: list[str | bytes] = []
    answered: list[str | None] = []
    for _ in range(draw(st.integers(1, 4))):
        answered.append(None)
        kind = draw(
            st.sampled_from(
                [
                    "text",
                    "binary",
                    "json",
                    "unknown type",
                    "broken subscribe",
                    "operation",
                    "operation",
                    "operation",
                    "again",
                    "complete",
                    "ping",
                    "deep",
                ]
            )
        )
        if kind == "text":
            messages.append(draw(st.text(max_size=200)))
        elif kind == "binary":
            messages.append(draw(st.binary(max_size=200)))
        elif kind == "json":
            messages.append(json.dumps(draw(json_values)))
        elif kind == "unknown type":
            message = {"type": draw(json_values), "payload": draw(json_values)}
            messages.append(json.dumps(message))
        elif kind == "broken subscribe":
            message = {"type": "subscribe"}
            if draw(st.booleans()):
                message["id"] = draw(json_values)
            if draw(st.booleans()):
                message["payload"] = draw(
                    st.one_of(
                        json_values,
                        st.fixed_dictionaries(
                            {"query": json_values},
                            optional={"variables": json_values, "operationName": json_values},
                        ),
                    )
                )
            messages.append(json.dumps(message))
        elif kind == "operation":
            attempt = draw(operations(target).filter(lambda a: a.method == "POST"))
            payload = json.loads(attempt.content or b"{}")
            operation_id = draw(ids)
            message = {"id": operation_id, "type": "subscribe", "payload": payload}
            messages.append(json.dumps(message))
            if attempt.what != "subscription":
                answered[-1] = operation_id
        elif kind == "again":
            messages.append(json.dumps({"type": "connection_init", "payload": {}}))
        elif kind == "complete":
            messages.append(json.dumps({"id": draw(json_values), "type": "complete"}))
        elif kind == "ping":
            messages.append(json.dumps({"type": draw(st.sampled_from(["ping", "pong"]))}))
        else:
            depth = draw(st.integers(1_000, 50_000))
            messages.append('{"type": "subscribe", "id": "d", "payload": ' + "[" * depth)
    return Conversation(tuple(messages), tuple(answered))


def check_socket(received: Sequence[Any], close_code: int | None) -> None:
    """What a hostile conversation may get back: protocol messages (errors as a list of
    objects with a message, never the masked one), and a close with a 44xx code or a
    normal one; never 1011 (an exception in the server) nor a dropped connection (1006)."""
    for message in received:
        assert isinstance(message, dict) and message.get("type") in SERVER_MESSAGES, message
        payload = message.get("payload")
        errors = payload if message["type"] == "error" else (payload or {}).get("errors")
        for error in errors or []:
            assert isinstance(error, dict) and isinstance(error.get("message"), str), message
            assert error["message"] != MASKED_MESSAGE, f"a resolver raised: {message}"
    assert close_code is None or close_code == 1000 or 4400 <= close_code < 4500, close_code
