"""Steady load on `letopis serve`: an open-loop stream of requests at a fixed rate over loopback.

Run:  .venv/bin/python bench/bench_load.py [--rate 20] [--seconds 30] [--db PATH] [--docs 2000]
      .venv/bin/python bench/bench_load.py --find-max [--seconds 15]

Serves the store at `--db` (built there when missing, as bench/bench_web.py builds one: NEREL train
texts run once through the pipeline, then added again and again) on a free 127.0.0.1 port. Request
number i is sent at i / rate seconds whatever the answers before it did (open loop), so a slow
server shows as latency, not as a lower rate asked. Requests are a seeded mix of `/search?q=…` for
Russian queries and `/entity/ID` pages of the store's entities. Stops by itself after `--seconds`
(and the answers still due, at most `--timeout` later); prints the rate achieved, latency
percentiles measured from each request's planned send time, and every non-200 answer or failure.
`--find-max` raises the rate step by step and prints the highest with no error and p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
from bench_web import QUERIES, build, serve

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ENTITY_PAGES = 50
FIND_MAX_RATES = (5, 10, 20, 30, 40, 50, 60, 80, 100, 120, 150, 200)
FIND_MAX_P95_MS = 200.0


@dataclass
class LoadResult:
    """What a run at `rate` requests a second for `seconds` got back."""

    rate: float
    seconds: float
    sent: int = 0
    elapsed: float = 0.0  # from the first planned send to the last answer
    latencies_ms: list[float] = field(default_factory=list)  # answered requests, any status
    by_page: dict[str, list[float]] = field(default_factory=dict)  # the same, by first path segment
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # no answer: the exception's name

    @property
    def errors(self) -> int:
        """Requests without a 200: other statuses and failures."""
        return sum(n for status, n in self.statuses.items() if status != 200) + sum(self.failures.values())

    @property
    def achieved(self) -> float:
        """Answers a second over the run."""
        return len(self.latencies_ms) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: int, page: str | None = None) -> float:
        """The p-th percentile of the latencies in milliseconds, of one page kind ("search") if given."""
        values = self.latencies_ms if page is None else self.by_page.get(page, [])
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1]

    def summary(self) -> str:
        problems = {**{f"HTTP {s}": n for s, n in self.statuses.items() if s != 200}, **self.failures}
        latency = "  ".join(f"p{p} {self.percentile(p):.1f} ms" for p in (50, 95, 99))
        return (
            f"rate {self.rate:g}/s for {self.seconds:g}s: sent {self.sent}, "
            f"answered {len(self.latencies_ms)}, achieved {self.achieved:.1f}/s  {latency}  "
            f"max {max(self.latencies_ms, default=float('nan')):.1f} ms  errors {self.errors}"
            + (f" {problems}" if problems else "")
            + "".join(
                f"\n  /{page}: n={len(values)}  p50 {self.percentile(50, page):.1f} ms"
                f"  p95 {self.percentile(95, page):.1f} ms"
                for page, values in sorted(self.by_page.items())
            )
        )


def load_paths(queries: list[str], entity_ids: list[int]) -> list[str]:
    """The request mix: a search page per query and an entity page per id."""
    return [f"/search?q={quote(q)}" for q in queries] + [f"/entity/{i}" for i in entity_ids]


def run_load(
    base: str, paths: list[str], rate: float, seconds: float, timeout: float = 30.0, seed: int = 1
) -> LoadResult:
    """GET paths (a seeded random choice each time) from `base`, one every 1/rate s for `seconds`."""
    if urlsplit(base).hostname not in LOOPBACK:
        raise ValueError(f"{base}: the load test runs over loopback only")
    return asyncio.run(_run(base, paths, rate, seconds, timeout, random.Random(seed)))


async def _run(
    base: str, paths: list[str], rate: float, seconds: float, timeout: float, rng: random.Random
) -> LoadResult:
    result = LoadResult(rate, seconds)
    loop = asyncio.get_running_loop()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:

        async def one(path: str, planned: float) -> None:
            try:
                response = await client.get(path)
            except httpx.HTTPError as error:
                result.failures[type(error).__name__] += 1
                return
            result.statuses[response.status_code] += 1
            result.latencies_ms.append((loop.time() - planned) * 1000)
            result.by_page.setdefault(path.split("?")[0].split("/")[1], []).append(result.latencies_ms[-1])

        start = loop.time()
        pending = []
        for number in range(round(rate * seconds)):
            planned = start + number / rate
            await asyncio.sleep(max(0.0, planned - loop.time()))
            pending.append(asyncio.create_task(one(rng.choice(paths), planned)))
        result.sent = len(pending)
        await asyncio.gather(*pending)
        result.elapsed = loop.time() - start
    return result


def store_paths(base: str) -> list[str]:
    """The mix for a served store: the bench queries and its most mentioned entities' pages."""
    with httpx.Client(base_url=base, timeout=60) as client:
        items = client.get("/api/entities", params={"limit": ENTITY_PAGES}).json()["items"]
        paths = load_paths(QUERIES, [e["id"] for e in items])
        for path in paths:  # warm up: the lemmatiser loads on the first search
            client.get(path).raise_for_status()
    return paths


def find_max(base: str, paths: list[str], seconds: float) -> LoadResult | None:
    """The highest rate of `FIND_MAX_RATES` answered with no error and p95 under 200 ms."""
    best = None
    for rate in FIND_MAX_RATES:
        result = run_load(base, paths, rate, seconds)
        print(result.summary(), flush=True)
        if result.errors or result.percentile(95) >= FIND_MAX_P95_MS:
            break
        best = result
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer")
    parser.add_argument("--find-max", action="store_true", help="raise the rate until p95 >= 200 ms")
    parser.add_argument("--db", help="store to serve (built there when missing)")
    parser.add_argument("--docs", type=int, default=2000, help="documents of a store built here")
    parser.add_argument("--distinct", type=int, default=100, help="NEREL texts extracted (then repeated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "load.db")
        if not Path(db).exists():
            build(db, args.docs, args.distinct)
        process, base = serve(db)
        try:
            paths = store_paths(base)
            print(f"serving {db} at {base}; {len(paths)} paths ({len(QUERIES)} searches)", flush=True)
            if args.find_max:
                best = find_max(base, paths, args.seconds)
                print(
                    f"highest rate with no error and p95 < {FIND_MAX_P95_MS:g} ms: "
                    + (best.summary() if best else "none")
                )
            else:
                print(run_load(base, paths, args.rate, args.seconds, args.timeout).summary())
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
