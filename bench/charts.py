"""PNG charts of the results (matplotlib, headless): small, one per benchmark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

MEASURED, BASELINE = "#2563eb", "#9ca3af"


def bars(
    path: Path,
    title: str,
    pairs: Mapping[str, tuple[float, float | None]],
    unit: str,
    *,
    measured: str = "measured",
    baseline: str = "raw baseline",
) -> Path:
    """Grouped bars: for each label, the measured value next to its baseline."""
    labels = list(pairs)
    xs = range(len(labels))
    width = 0.38
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    ax.bar(
        [x - width / 2 for x in xs],
        [pairs[k][0] for k in labels],
        width,
        label=measured,
        color=MEASURED,
    )
    ax.bar(
        [x + width / 2 for x in xs],
        [pairs[k][1] or 0 for k in labels],
        width,
        label=baseline,
        color=BASELINE,
    )
    ax.set_xticks(list(xs), labels)
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def lines(
    path: Path,
    title: str,
    x: Sequence[float],
    series: Mapping[str, Sequence[float]],
    *,
    xlabel: str,
    ylabel: str,
    log_y: bool = False,
) -> Path:
    """One line per series over the same x values (e.g. latency by load)."""
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    for name, ys in series.items():
        ax.plot(list(x), list(ys), marker="o", label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if log_y:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
