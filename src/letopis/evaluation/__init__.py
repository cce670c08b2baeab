"""Evaluation against gold corpora (NEREL, factRuEval-2016), with a gate of pinned minimum scores.

- `corpora`: loaders into `GoldDoc`s; `systems`: letopis and the natasha baseline;
- `scores`: exact-span, BIO/IO-token and fact scorers; `report`: `evaluate`, `format_report`;
- `gate`: `check_gate`, `pinned_minimums`, `run_gate` (what `eval/run_gate.py` runs).
"""

from letopis.evaluation.gate import check_gate, pinned_minimums, run_gate
from letopis.evaluation.report import evaluate, format_report

__all__ = ["check_gate", "evaluate", "format_report", "pinned_minimums", "run_gate"]
