"""Figures the reliability suite records as it runs, for `docs/reliability.md`.

Each test appends what it measured (cases tried, faults injected, requests served, latencies) as one JSON
line to `build/reliability/results.jsonl`; the session-finish hook of this directory's conftest renders the
page from that file (`tests.reliability.report`). The page is therefore what the last run saw, never
numbers typed by hand.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "build" / "reliability"
RESULTS_FILE = RESULTS_DIR / "results.jsonl"


class Recorder:
    """Appends `{"section", "name", ...figures}` lines; the file is started afresh once per session."""

    def __init__(self, path: Path = RESULTS_FILE) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.started = False

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("", encoding="utf-8")
        self.started = True

    def record(self, section: str, name: str, **figures: Any) -> None:
        if not self.started:
            self.start()
        line = json.dumps(
            {"section": section, "name": name, "at": time.time(), **figures}, ensure_ascii=False, default=str
        )
        with self._lock, self.path.open("a", encoding="utf-8") as sink:
            sink.write(line + "\n")


def load(path: Path = RESULTS_FILE) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentiles(values: list[float], points: tuple[int, ...] = (50, 90, 99)) -> dict[str, float]:
    """Nearest-rank percentiles (no interpolation: every figure is a latency that was really observed)."""
    if not values:
        return {}
    ordered = sorted(values)
    out: dict[str, float] = {}
    for p in points:
        rank = max(1, -(-p * len(ordered) // 100))  # ceil(p/100 * n)
        out[f"p{p}"] = round(ordered[rank - 1], 1)
    out["max"] = round(ordered[-1], 1)
    return out
