"""The evaluation gate: score letopis on NEREL dev and the factRuEval devset, fail on a drop.

Example:
    .venv/bin/python eval/run_gate.py          # tables, eval/last_report.json; exit 1 if a pinned score drops
    .venv/bin/python eval/run_gate.py --pin    # rewrite eval/gate.json from this run (after an improvement)
"""

import sys
from pathlib import Path

from letopis.evaluation import run_gate


def main(argv: list[str]) -> int:
    return run_gate(Path(__file__).resolve().parents[1], pin="--pin" in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
