"""The evaluation gate: score letopis on NEREL dev and the factRuEval devset, fail on a drop.

Example:
    .venv/bin/python eval/run_gate.py          # tables, eval/last_report.json; exit 1 if a pinned score drops
    .venv/bin/python eval/run_gate.py --pin    # rewrite eval/gate.json from this run (after an improvement)

Without ../shared/data the gate is skipped, except under CI=true, where it fails.
"""

import os
import sys
from pathlib import Path

from letopis.evaluation import run_gate


def main(argv: list[str]) -> int:
    # Under CI (CI=true, as .ci/run and most CI services set) the gold data must be there.
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return run_gate(Path(__file__).resolve().parents[1], pin="--pin" in argv, require_data=in_ci)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
