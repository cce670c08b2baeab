"""A steady open-loop load (bench/bench_load.py) on the test server is answered in full, all 200s."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import bench_load  # noqa: E402 - bench/ is not a package

QUERIES = ["референдум", "Балаевой", "министр иностранных дел", "встреча"]
RATE, SECONDS = 10, 3


def test_a_steady_load_is_answered_without_errors(server: str) -> None:
    entities = httpx.get(server + "/api/entities", params={"limit": 20}, timeout=30).json()["items"]
    paths = bench_load.load_paths(QUERIES, [entity["id"] for entity in entities])
    result = bench_load.run_load(server, paths, RATE, SECONDS)
    assert result.sent == RATE * SECONDS
    assert (len(result.latencies_ms), result.errors) == (RATE * SECONDS, 0), result.summary()


def test_the_load_is_refused_off_loopback() -> None:
    with pytest.raises(ValueError, match="loopback only"):
        bench_load.run_load("http://192.0.2.1:8000", ["/"], 1, 1)
