#!/usr/bin/env python3
"""Markdown tables for docs/quality.md from mutate.py results, so that no number is typed by hand.

Usage: tools/mutate/report.py RUN1.json [RUN2.json ...] > tables.md

The JSON files are read in order; a mutant that appears in a later file (a re-run after tests were
strengthened) keeps its first result in the "first run" column and takes its last result as final.
Prints one table per list (paper) and the summary table of kill rates over final results. "invalid"
results (the filter's tests failed without any mutant) are listed but not counted.
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def list_info(name):
    """(number of mutants listed, {id: equivalence argument}) from tools/mutate/<name>.txt."""
    path = os.path.join(HERE, name + ".txt")
    if not os.path.exists(path):
        return None, {}
    listed, equivalent, current = 0, {}, None
    for line in open(path, encoding="utf-8"):
        if line.startswith("id:"):
            listed += 1
            current = line[3:].strip()
        elif line.startswith("equivalent:") and current:
            equivalent[current] = line[len("equivalent:"):].strip()
    return listed, equivalent

PAPERS = {  # list name -> (paper, algorithm folder)
    "stability": ("SGD stability", "Reproduce/Stability/"),
    "sparsifiers": ("Universal sparsifiers", "Reproduce/Sparsifiers/"),
    "sketching": ("Sketching k-means / dictionary learning", "Reproduce/Sketching/"),
    "ipm": ("Sketch-preconditioned IPM", "Reproduce/LinearProgramming/"),
    "logistic": ("Logistic regression (μ, coresets, sketching)", "Reproduce/Logistic/"),
    "klpm": ("k-LPM", "Reproduce/Serving/"),
    "rounding": ("Stochastic rounding", "Reproduce/Rounding/"),
}


def result_text(r, equivalent=None):
    if r["status"] == "survived" and equivalent:
        return "survived (equivalent)"
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
        listed, equivalent = list_info(name)
        print(f"#### {paper} (`{folder}`, `tools/mutate/{name}.txt`: {len(ids)} of {listed} listed mutants run)\n")
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
                print(f"| {i} | {mutant} | {result_text(f)} | {result_text(l, equivalent.get(i))} | {by} |")
            else:
                print(f"| {i} | {mutant} | {result_text(l, equivalent.get(i))} | {by} |")
        counted = [last[i] for i in ids if last[i]["status"] != "invalid"]
        killed = sum(r["status"] != "survived" for r in counted)
        first_counted = [first[i] for i in ids if first[i]["status"] != "invalid"]
        first_killed = sum(r["status"] != "survived" for r in first_counted)
        survivors = [r["id"] for r in counted if r["status"] == "survived"]
        equiv = [i for i in survivors if i in equivalent]
        rate = 100 * killed / max(len(counted), 1)
        rate_ne = 100 * killed / max(len(counted) - len(equiv), 1)
        print(f"\n**{killed} of {len(counted)} killed ({rate:.0f} %"
              + (f"; {rate_ne:.0f} % of the {len(counted) - len(equiv)} non-equivalent" if equiv else "") + ")**"
              + (f"; first run {first_killed} of {len(first_counted)}" if rerun else "")
              + (f"; survivors: {', '.join(i + (' (equivalent)' if i in equivalent else '') for i in survivors)}." if survivors else "; no survivors.") + "\n")
        for i in equiv:
            print(f"- {i} is equivalent: {equivalent[i]}\n")
        summary.append((paper, listed, len(counted), first_killed, killed, rate, rate_ne, survivors, equiv, sum(r['status'] == 'timeout' for r in counted)))
    print("#### Summary\n\n| paper | listed | run | not run | killed (first run) | killed (final) | kill rate | non-equivalent kill rate | of which timeouts | survivors |\n|---|---|---|---|---|---|---|---|---|---|")
    for paper, listed, n, fk, k, rate, rate_ne, surv, equiv, timeouts in summary:
        names = ", ".join(i + (" (eq.)" if i in equiv else "") for i in surv) or "—"
        print(f"| {paper} | {listed} | {n} | {listed - n if listed is not None else '?'} | {fk} | {k} | {rate:.0f} % | {rate_ne:.0f} % | {timeouts} | {names} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
