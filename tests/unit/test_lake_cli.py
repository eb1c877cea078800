"""``python -m listeners.lake query``: an aligned table, or one clear line and exit 2."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from listeners.lake.__main__ import main
from listeners.lake.table import format_table

STAMP = 1749920531000  # 2025-06-14 17:02:11 UTC


def _lake(tmp_path: Path) -> Path:
    lines = [
        {"id": f"e{n}", "type": kind, "timestamp": STAMP, "_partition": 0, "_offset": n}
        for n, kind in enumerate(["menu-viewed", "order-placed", "menu-viewed"])
    ]
    folder = tmp_path / "date=2025-06-14" / "hour=17"
    folder.mkdir(parents=True)
    text = "".join(json.dumps(line) + "\n" for line in lines)
    (folder / "01A.jsonl.gz").write_bytes(gzip.compress(text.encode()))
    return tmp_path


def test_query_prints_an_aligned_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC"
    assert main(["query", "--lake-dir", str(_lake(tmp_path)), sql]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "type          n",
        "------------  -",
        "menu-viewed   2",
        "order-placed  1",
        "(2 rows)",
    ]


def test_counts_by_type_per_hour(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lake-dir", str(_lake(tmp_path)), "query", "--counts-by-type-per-hour"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["hour", "type", "events"]
    assert out[2].split() == ["2025-06-14", "17:00:00", "menu-viewed", "2"]
    assert out[3].split() == ["2025-06-14", "17:00:00", "order-placed", "1"]


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT nothing FROM events", "SELECT * FROM nope"])
def test_bad_sql_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: str
) -> None:
    assert main(["query", "--lake-dir", str(_lake(tmp_path)), sql]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1


def test_an_empty_lake_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--lake-dir", str(tmp_path), "SELECT count(*) AS n FROM events"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[2:] == ["0", "(1 row)"]
    assert "no event files" in captured.err


def test_table_alignment() -> None:
    table = format_table(["name", "n", "note"], [("a", 10, None), ("long name", 2, "x\ny")])
    assert table.splitlines() == [
        "name        n  note",
        "---------  --  ----",
        "a          10  NULL",
        "long name   2  x y",
        "(2 rows)",
    ]
