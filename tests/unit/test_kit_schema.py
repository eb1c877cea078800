"""The committed ``schema.graphql`` pattern, on a tiny example schema: export it, check it
is current, and fail with a diff and the regeneration command once the code changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import strawberry

from bff.kit.schema import assert_schema_current, export_schema, load_schema, main, make_schema


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


@strawberry.type
class QueryV2:
    @strawberry.field
    def hello(self) -> str:
        return "hi"

    @strawberry.field
    def goodbye(self) -> str:
        return "bye"


SCHEMA = make_schema(query=Query)


def test_an_exported_schema_is_current(tmp_path: Path) -> None:
    path = tmp_path / "example" / "schema.graphql"
    assert export_schema(SCHEMA, path) is True
    assert path.read_text() == "type Query {\n  hello: String!\n}\n"
    assert export_schema(SCHEMA, path) is False  # unchanged: not rewritten
    assert_schema_current(SCHEMA, path)


def test_a_stale_schema_fails_with_a_diff_and_how_to_regenerate(tmp_path: Path) -> None:
    path = tmp_path / "schema.graphql"
    export_schema(SCHEMA, path)
    changed = make_schema(query=QueryV2)
    with pytest.raises(AssertionError) as stale:
        assert_schema_current(changed, path, module="bff.example.schema:schema")
    message = str(stale.value)
    assert "+  goodbye: String!" in message
    assert f"python -m bff.kit.schema bff.example.schema:schema {path}" in message


def test_a_missing_file_is_stale(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="out of date"):
        assert_schema_current(SCHEMA, tmp_path / "missing.graphql")


def test_the_command_line_writes_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "schema.graphql"
    assert main([f"{__name__}:SCHEMA", str(path)]) == 0
    assert "updated" in capsys.readouterr().out
    assert_schema_current(load_schema(f"{__name__}:SCHEMA"), path)
    with pytest.raises(TypeError, match="not a strawberry schema"):
        load_schema(f"{__name__}:Query")
