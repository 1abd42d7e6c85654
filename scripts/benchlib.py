"""Small helpers shared by the benchmark scripts: medians, baselines, a printed table.

Machines here are shared and noisy, so every figure is a median of several runs and is
printed beside its ratio to a baseline measured in the same run (a fixed piece of work
whose cost tracks how busy the machine is at that moment).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


def median_time(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_baseline() -> float:
    """Seconds for a fixed amount of pure-Python work (sorting 200,000 strings)."""
    data = [f"{(i * 7919) % 200_003:06d}王" for i in range(200_000)]
    return median_time(lambda: sorted(data), repeat=5)


@dataclass
class Figure:
    name: str
    seconds: float
    target: float | None = None  # seconds the issue asks for (None: no target)
    baseline: float | None = None  # seconds of this figure's baseline, measured alongside
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.baseline if self.baseline else None

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.seconds <= self.target


def fmt_value(v: float, unit: str) -> str:
    if unit == "s":
        return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:g} {unit}"


def table(figures: list[Figure]) -> str:
    lines = ["| 项目 | 中位数 | 目标 | 达标 | 与基准之比 | 说明 |", "|---|---:|---:|:-:|---:|---|"]
    for f in figures:
        target = fmt_value(f.target, f.unit) if f.target is not None else "—"
        ok = {True: "✓", False: "✗", None: "—"}[f.ok]
        ratio = f"{f.ratio:.1f}×" if f.ratio is not None else "—"
        lines.append(f"| {f.name} | {fmt_value(f.seconds, f.unit)} | {target} | {ok} | {ratio} | {f.note} |")
    return "\n".join(lines)
