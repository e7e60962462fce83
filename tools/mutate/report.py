#!/usr/bin/env python3
"""Markdown tables for docs/quality.md from mutate.py results, so that no number is typed by hand.

Usage: tools/mutate/report.py RUN1.json [RUN2.json ...] > tables.md

The JSON files are read in order; a mutant that appears in a later file (a re-run after tests were
strengthened) keeps its first result in the "first run" column and takes its last result as final.
Prints one table per list (paper) and the summary table of kill rates over final results. "invalid"
results (the filter's tests failed without any mutant) are listed but not counted.
"""
import json, sys

PAPERS = {  # list name -> (paper, algorithm folder)
    "stability": ("SGD stability", "Reproduce/Stability/"),
    "sparsifiers": ("Universal sparsifiers", "Reproduce/Sparsifiers/"),
    "sketching": ("Sketching k-means / dictionary learning", "Reproduce/Sketching/"),
    "ipm": ("Sketch-preconditioned IPM", "Reproduce/LinearProgramming/"),
    "logistic": ("Logistic regression (μ, coresets, sketching)", "Reproduce/Logistic/"),
    "klpm": ("k-LPM", "Reproduce/Serving/"),
    "rounding": ("Stochastic rounding", "Reproduce/Rounding/"),
}


def result_text(r):
    if r["status"] == "killed":
        return f"killed ({'unit' if r['stage'] == 'unit' else 'experiments'})"
    return r["status"]


def main(paths):
    first, last, order = {}, {}, []
    for path in paths:
        for r in json.load(open(path, encoding="utf-8")):
            if r["id"] not in first:
                first[r["id"]] = r
                order.append(r["id"])
            last[r["id"]] = r
    lists = [name for name in PAPERS if any(first[i]["list"] == name for i in order)]
    lists += sorted({first[i]["list"] for i in order} - set(lists))
    summary = []
    for name in lists:
        ids = [i for i in order if first[i]["list"] == name]
        paper, folder = PAPERS.get(name, (name, ""))
        print(f"#### {paper} (`{folder}`, `tools/mutate/{name}.txt`, {len(ids)} mutants)\n")
        rerun = any(first[i] is not last[i] for i in ids)
        if rerun:
            print("| id | mutant | first run | final | killed by |\n|---|---|---|---|---|")
        else:
            print("| id | mutant | result | killed by |\n|---|---|---|---|")
        for i in ids:
            f, l = first[i], last[i]
            why = l["why"].replace("|", "\\|")
            by = ", ".join(dict.fromkeys(l["by"])) or ("—" if l["status"] != "killed" else "(test names not parsed)")
            mutant = f"`{l['file'].split('/')[-1]}`: {why}"
            if rerun:
                print(f"| {i} | {mutant} | {result_text(f)} | {result_text(l)} | {by} |")
            else:
                print(f"| {i} | {mutant} | {result_text(l)} | {by} |")
        counted = [last[i] for i in ids if last[i]["status"] != "invalid"]
        killed = sum(r["status"] != "survived" for r in counted)
        first_counted = [first[i] for i in ids if first[i]["status"] != "invalid"]
        first_killed = sum(r["status"] != "survived" for r in first_counted)
        survivors = [r["id"] for r in counted if r["status"] == "survived"]
        rate = 100 * killed / max(len(counted), 1)
        print(f"\n**{killed} of {len(counted)} killed ({rate:.0f} %)**"
              + (f"; first run {first_killed} of {len(first_counted)}" if rerun else "")
              + (f"; survivors: {', '.join(survivors)}." if survivors else "; no survivors.") + "\n")
        summary.append((paper, len(counted), first_killed, killed, rate, survivors))
    print("#### Summary\n\n| paper | mutants | killed (first run) | killed (final) | kill rate | survivors |\n|---|---|---|---|---|---|")
    for paper, n, fk, k, rate, surv in summary:
        print(f"| {paper} | {n} | {fk} | {k} | {rate:.0f} % | {', '.join(surv) or '—'} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
