#!/usr/bin/env python3
"""Prints a markdown table of one mutate.py log (id, mutant, result, killing tests) and the kill rate."""
import re, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    m = re.match(r'^([A-Z]\d+)\s+(\w+)\s+\d+s\s+(\S+): (.*?)(?:  <- (\w+): (.*))?$', line)
    if m:
        rows.append(m.groups())
print("| id | mutant | result | killed by |\n|---|---|---|---|")
for id_, st, fn, why, stage, by in rows:
    names = sorted(set(re.findall(r"\b([A-Z][A-Za-z0-9]{15,})\b", by or "")))
    stage_txt = f" ({stage})" if st != "survived" else ""
    print(f"| {id_} | `{fn}`: {why} | {st}{stage_txt} | {', '.join(names) or ('parameterised oracle tests' if st == 'killed' else '—')} |")
killed = sum(r[1] != "survived" for r in rows)
print(f"\n**{killed} of {len(rows)} killed ({100 * killed / max(len(rows), 1):.0f} %).**")
