"""``python -m simulator --rate 1.0 --duration 60``: drive the three BFFs with virtual
customers, kitchens and drivers, print progress and a summary; exit 0 without failures."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from simulator.config import DEMO_KITCHENS, ConfigError, SimConfig, capacity_warning
from simulator.simulation import SimulationError, simulate


def parser() -> argparse.ArgumentParser:
    d = SimConfig()
    p = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Virtual customers, kitchens and drivers using the food delivery BFFs.",
    )
    p.add_argument("--rate", type=float, default=d.rate, help="orders per second (%(default)s)")
    p.add_argument(
        "--duration", type=float, default=d.duration, help="seconds of arrivals (%(default)s)"
    )
    p.add_argument("--drivers", type=int, default=d.drivers, help="virtual drivers (%(default)s)")
    p.add_argument(
        "--reject-share",
        type=float,
        default=d.reject_share,
        help="share of orders the kitchens reject (%(default)s)",
    )
    p.add_argument(
        "--cancel-share",
        type=float,
        default=d.cancel_share,
        help="share of customers who cancel right after placing (%(default)s)",
    )
    p.add_argument(
        "--speed",
        type=float,
        default=d.speed,
        help="pace of think, prep and ride delays: 2 = twice as fast (%(default)s)",
    )
    p.add_argument(
        "--drain",
        type=float,
        default=d.drain,
        help="seconds to wait for orders in flight after the duration (%(default)s)",
    )
    p.add_argument("--customer-url", default=d.customer_url)
    p.add_argument("--restaurant-url", default=d.restaurant_url)
    p.add_argument("--driver-url", default=d.driver_url)
    p.add_argument("--seed", type=int, default=None, help="seed the actors' choices")
    p.add_argument(
        "--arrivals",
        choices=("poisson", "even"),
        default=d.arrivals,
        help="random (Poisson) or evenly spaced arrivals (%(default)s)",
    )
    p.add_argument(
        "--customers",
        type=int,
        default=d.customers,
        help="distinct virtual customer ids (%(default)s)",
    )
    p.add_argument(
        "--kitchens",
        default=",".join(DEMO_KITCHENS),
        help="restaurant ids with a simulated kitchen, comma-separated (%(default)s)",
    )
    p.add_argument(
        "--progress-every",
        type=float,
        default=d.progress_every,
        help="seconds between progress lines (%(default)s)",
    )
    p.add_argument(
        "--poll-every",
        type=float,
        default=d.poll_every,
        help="seconds without a push before re-reading (%(default)s)",
    )
    p.add_argument("--json", type=Path, default=None, help="also write the summary as JSON here")
    p.add_argument("--allow-remote", action="store_true", help="allow BFF URLs off this machine")
    p.add_argument("-q", "--quiet", action="store_true", help="no failure lines while running")
    return p


def config_from(args: argparse.Namespace) -> SimConfig:
    return SimConfig(
        rate=args.rate,
        duration=args.duration,
        drivers=args.drivers,
        reject_share=args.reject_share,
        cancel_share=args.cancel_share,
        speed=args.speed,
        drain=args.drain,
        customer_url=args.customer_url,
        restaurant_url=args.restaurant_url,
        driver_url=args.driver_url,
        seed=args.seed,
        arrivals=args.arrivals,
        customers=args.customers,
        kitchens=tuple(k.strip() for k in args.kitchens.split(",") if k.strip()),
        progress_every=args.progress_every,
        poll_every=args.poll_every,
        allow_remote=args.allow_remote,
    ).validate()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.WARNING,
        format="%(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        config = config_from(args)
    except ConfigError as exc:
        print(f"python -m simulator: {exc}", file=sys.stderr)
        return 2
    print(
        f"simulating {config.rate:g} orders/s for {config.duration:g} s with "
        f"{config.drivers} drivers and kitchens {', '.join(config.kitchens)} (run {config.run_id})",
        flush=True,
    )
    warning = capacity_warning(config)
    if warning:
        print(f"note: {warning}", flush=True)
    try:
        summary = asyncio.run(simulate(config, on_progress=lambda line: print(line, flush=True)))
    except SimulationError as exc:
        print(f"python -m simulator: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    print(summary.render(), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(summary.to_dict(), indent=2) + "\n")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
