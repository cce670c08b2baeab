"""The quality gate: letopis F1 scores pinned in `eval/gate.json` may not drop.

The gate file maps corpus -> metric -> type (or fact kind) -> the minimum F1, e.g.
`{"nerel": {"exact": {"PER": 0.88, …}, "bio": {…}, "facts": {"works_as": 0.32, …}}, "factrueval": {…}}`
(metric `facts` holds the fact rows of the tables: `works_as`, `workplace`, `point_in_time`, `meeting`;
factRuEval's Occupation is scored as its `works_as` and `workplace` rows).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from letopis.evaluation.report import evaluate, format_report

GATED_METRICS = ("exact", "bio", "facts")
# corpus -> (folder under the data directory, split)
GATE_CORPORA = {"nerel": ("nerel-v1.1", "dev"), "factrueval": ("factrueval-2016", "dev")}


def _by_corpus(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One corpus report (from `evaluate`) or several keyed by corpus, as `{corpus: report}`."""
    return {report["corpus"]: report} if "corpus" in report else report


def check_gate(report: dict[str, Any], gate_path: str | Path) -> list[str]:
    """Failures, one line each, where a letopis F1 is below its pinned minimum or a pin has no
    score to check (its corpus not evaluated, its metric or kind not measured); empty when all pass.

    `report` is one `evaluate` result or `{corpus: result}`.
    """
    gate = json.loads(Path(gate_path).read_text(encoding="utf-8"))
    reports = _by_corpus(report)
    failures = []
    for corpus, pins in gate.items():
        if corpus not in reports:
            failures.append(f"{corpus}: not evaluated (it has pinned scores)")
            continue
        scores = reports[corpus]["systems"]["letopis"]["scores"]
        for metric, minimums in pins.items():
            for key, minimum in minimums.items():
                got = scores.get(metric, {}).get(key)
                if got is None:
                    failures.append(f"{corpus} {metric} {key}: not measured (pinned {minimum:.2f})")
                elif got["f1"] < minimum:
                    failures.append(f"{corpus} {metric} {key}: F1 {got['f1']:.3f} < pinned {minimum:.2f}")
    return failures


def _pin(f1: float) -> float:
    # round() first: 0.29 * 100 is 28.999999999999996, which floor() would take to 28.
    return max(0.0, round(math.floor(round(f1 * 100, 6)) / 100 - 0.01, 2))


def pinned_minimums(report: dict[str, Any], metrics: tuple[str, ...] = GATED_METRICS) -> dict[str, Any]:
    """A gate from measured scores: each letopis F1 rounded down to 2 decimals, less 0.01."""
    gate: dict[str, Any] = {}
    for corpus, result in _by_corpus(report).items():
        scores = result["systems"]["letopis"]["scores"]
        gate[corpus] = {
            metric: {key: _pin(s["f1"]) for key, s in scores.get(metric, {}).items()} for metric in metrics
        }
    return gate


def run_gate(
    repo: Path, pin: bool = False, echo: Callable[[str], None] = print, require_data: bool = False
) -> int:
    """Evaluate on the gold corpora in `repo/../shared/data`, print the tables, write
    `eval/last_report.json`, and return 1 when the gate in `eval/gate.json` fails, else 0.

    Without the data (users don't have it) it says so and returns 0, or 1 with `require_data` (CI
    has the data: a gate that did not run must not pass there). With `pin`, the gate
    is rewritten from this run's scores instead of checked.
    """
    data = repo.parent / "shared" / "data"
    if not data.is_dir():
        echo(f"no gold corpora at {data}: gate {'failed' if require_data else 'skipped'}")
        return 1 if require_data else 0
    reports = {
        corpus: evaluate(corpus, str(data / folder), split)
        for corpus, (folder, split) in GATE_CORPORA.items()
    }
    for report in reports.values():
        echo(format_report(report) + "\n")
    eval_dir = repo / "eval"
    (eval_dir / "last_report.json").write_text(
        json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    gate_path = eval_dir / "gate.json"
    if pin:
        gate_path.write_text(json.dumps(pinned_minimums(reports), indent=2) + "\n", encoding="utf-8")
        echo(f"gate pinned in {gate_path}")
        return 0
    failures = check_gate(reports, gate_path)
    for failure in failures:
        echo(f"GATE FAILED {failure}")
    if not failures:
        echo("gate passed")
    return 1 if failures else 0
