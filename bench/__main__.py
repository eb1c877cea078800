"""``python -m bench [name ...]`` (``make bench``): run the benchmarks on the benchmark
stack (its own ports and state; started here and stopped afterwards unless it was up),
write ``bench/results/<name>.json`` and ``.png``, and rewrite the results table in
bench/README.md. Not part of the test suite's pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import sys
import time

from bench.common import RESULTS, ROOT, bench_settings, save
from devstack import __main__ as devstack
from devstack.kafka import ensure_topic

#: in the order they run (module bench.<name> with ``async def measure(settings)``)
BENCHMARKS = ("listener_throughput", "graphql_read", "end_to_end", "lake_replay")
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def table() -> str:
    """The latest results of every benchmark as a Markdown table."""
    rows = [
        "| benchmark | figure | measured | raw baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in BENCHMARKS:
        path = RESULTS / f"{name}.json"
        if not path.is_file():
            rows.append(f"| {name} | not run yet | | | | | |")
            continue
        result = json.loads(path.read_text())
        for f in result["figures"]:
            base = "" if f["baseline"] is None else f"{f['baseline']:,.1f} {f['unit']}"
            ratio = "" if f["ratio"] is None else f"{f['ratio']:.2f}"
            met = {True: "yes", False: "**no**", None: ""}[f["met"]]
            rows.append(
                f"| {result['title']} | {f['name']} | {f['value']:,.1f} {f['unit']} | {base} "
                f"| {ratio} | {f['goal']} | {met} |"
            )
    return "\n".join(rows)


def rewrite_readme() -> None:
    text = README.read_text()
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(f"{text[:start]}\n{table()}\n{text[stop:]}")


async def run(names: list[str]) -> int:
    settings = bench_settings()
    await ensure_topic(settings.kafka_bootstrap, settings.kafka_topic, settings.kafka_partitions)
    failed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"[bench] {name} ...", flush=True)
        began = time.monotonic()
        try:
            result = await module.measure(settings)
        except Exception as exc:  # one benchmark failing does not stop the others
            logging.exception("benchmark %s failed", name)
            print(f"[bench] {name} failed: {exc!r}", flush=True)
            failed += 1
            continue
        path = save(result)
        print(f"[bench] {name}: {time.monotonic() - began:.0f}s -> {path.relative_to(ROOT)}")
        for f in result.figures:
            ratio = "" if f.ratio is None else f" (ratio {f.ratio:.2f})"
            print(f"[bench]   {f.name}: {f.value:,.1f} {f.unit}{ratio}  goal {f.goal}")
    rewrite_readme()
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    settings = bench_settings()
    was_up = devstack.status(settings) == 0
    devstack.up(settings)
    try:
        return asyncio.run(run(list(args.names) or list(BENCHMARKS)))
    finally:
        if not was_up:
            devstack.down(settings)


if __name__ == "__main__":
    sys.exit(main())
