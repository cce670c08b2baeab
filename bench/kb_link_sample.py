"""Sample cross-document entity links from a letopis SQLite store and tabulate verdicts judged by hand:
the precision of cross-document merges (issue #6).

A "merge" is a row of doc_entities (view entity_links) whose rule is neither `new` (the entity was
created by this document) nor `parenthetical_alias` (an alias inside one document): the document's
entity was linked to a store entity created by an earlier document. For each sampled link it shows
the document's name(s), the rule and evidence, the entity's first document (the `new` link) and a
context window of the first mention in each of the two documents.

Run:
  letopis ingest ../shared/data/nerel-v1.1/train --db /tmp/nerel_train.db
  .venv/bin/python bench/kb_link_sample.py /tmp/nerel_train.db --seed 47 --out /tmp/links
      # writes /tmp/links_raw.tsv: 60 sampled links, each with both contexts, to judge
  .venv/bin/python bench/kb_link_sample.py /tmp/nerel_train.db --seed 47 --out /tmp/links \
      --verdicts VERDICTS.tsv    # lines idx<TAB>ok|wrong<TAB>note -> /tmp/links.tsv and the precision
  add --other-rules to both for the supplementary sample (30 links by rules other than same_name).
The judged samples of the last measurement are in eval/kb_links/ (README figures).
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import sys
from collections import Counter

SEED = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 6
N = 60
EXCLUDED = ("new", "parenthetical_alias")
# --other-rules: a second, supplementary sample of the links made by any rule but an exact `same_name`
OTHER = "--other-rules" in sys.argv
if OTHER:
    EXCLUDED = (*EXCLUDED, "same_name")
    N = 30
SUFFIX = "_other" if OTHER else ""
# --out PREFIX: files PREFIX_raw.tsv and PREFIX.tsv
OUT = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else "kb_link_sample"


def context(c: sqlite3.Connection, doc_id: str, local_id: str, width: int = 70) -> str:
    record = json.loads(c.execute("SELECT record FROM documents WHERE id=?", (doc_id,)).fetchone()[0])
    text = record["text"]
    spans = sorted((m["start"], m["end"]) for m in record["mentions"] if m["entity"] == local_id)
    if not spans:
        return ""
    s, e = spans[0]
    left = text[max(0, s - width) : s]
    right = text[e : e + width]
    return " ".join(f"{left}[[{text[s:e]}]]{right}".split())


def sample(db: str) -> list[dict]:
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    population = c.execute(
        f"SELECT rowid, doc_id, local_id, entity_id, _name, names, rule, evidence FROM doc_entities "
        f"WHERE rule NOT IN {EXCLUDED} ORDER BY doc_id, local_id"
    ).fetchall()
    picked = random.Random(SEED).sample(population, N)
    rows = []
    for idx, (_, doc_id, local_id, entity_id, _name, names, rule, evidence) in enumerate(picked, 1):
        etype, ename = c.execute("SELECT type, name FROM entities WHERE id=?", (entity_id,)).fetchone()
        first = c.execute(
            "SELECT d.doc_id, d.local_id, d.name, s.source"
            " FROM doc_entities d JOIN documents s ON s.id=d.doc_id "
            "WHERE d.entity_id=? AND d.rule='new'",
            (entity_id,),
        ).fetchone()
        src = c.execute("SELECT source FROM documents WHERE id=?", (doc_id,)).fetchone()[0]
        ndocs = c.execute(
            "SELECT count(DISTINCT doc_id) FROM doc_entities WHERE entity_id=?", (entity_id,)
        ).fetchone()[0]
        rows.append(
            {
                "idx": idx,
                "rule": rule,
                "type": etype,
                "entity": f"{entity_id}:{ename}",
                "n_docs": ndocs,
                "doc": src.rsplit("/", 1)[-1],
                "doc_names": names,
                "first_doc": first[3].rsplit("/", 1)[-1],
                "first_name": first[2],
                "evidence": evidence,
                "ctx_doc": context(c, doc_id, local_id),
                "ctx_first": context(c, first[0], first[1]),
            }
        )
    print(f"population: {len(population)} cross-document links; rules: {Counter(p[6] for p in population)}")
    return rows


def main() -> None:
    db = sys.argv[1]
    rows = sample(db)
    if "--verdicts" not in sys.argv:
        with open(f"{OUT}{SUFFIX}_raw.tsv", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t")
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {OUT}{SUFFIX}_raw.tsv")
        return
    verdicts = {}
    with open(sys.argv[sys.argv.index("--verdicts") + 1]) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                idx, verdict, note = (line.rstrip("\n").split("\t") + [""])[:3]
                verdicts[int(idx)] = (verdict, note)
    assert set(verdicts) == {r["idx"] for r in rows}, "a verdict for every sampled link"
    fields = ["idx", "verdict", "note", *[k for k in rows[0] if k != "idx"]]
    with open(f"{OUT}{SUFFIX}.tsv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, delimiter="\t")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "verdict": verdicts[r["idx"]][0], "note": verdicts[r["idx"]][1]})
    ok = sum(v == "ok" for v, _ in verdicts.values())
    print(f"correct {ok}, wrong {N - ok}, precision {ok / N:.3f}")
    by_rule = Counter((r["rule"], verdicts[r["idx"]][0]) for r in rows)
    for (rule, verdict), n in sorted(by_rule.items()):
        print(f"  {rule:24s} {verdict:6s} {n}")
    print(f"wrote {OUT}{SUFFIX}.tsv")


if __name__ == "__main__":
    main()
