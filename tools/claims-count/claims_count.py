#!/usr/bin/env python3
"""Claims per notebook, before and after, read from executed notebooks (never typed by hand).

    ./reproduce run --out out/claims-before   # on the base commit
    ./reproduce run --out out/claims-after    # on the branch
    tools/claims-count/claims_count.py out/claims-before out/claims-after [--before-label db5547a] [--after-label s3-audit]

Every claim the runner checks is printed into the executed notebook's stream output as
"[pass] NAME: expected E, got A" (or "[FAIL] ..."). This script collects the claim names per
notebook in both folders and prints a markdown table: claims before, after, how many failed, and
which claim names disappeared or appeared (a claim whose name changed shows up in both lists).
A notebook present in only one folder is listed with "—" on the other side."""
import argparse
import json
import re
import sys
from pathlib import Path

CLAIM = re.compile(r"^\[(pass|FAIL)\] (.*): expected .*, got .*$")


def claims(notebook: Path) -> list[tuple[str, bool]]:
    """(name, passed) for every claim line in the notebook's stream outputs, in order."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"claims_count: {notebook} is not a readable executed notebook ({e}); rerun './reproduce run --out {notebook.parent}'.")
    found = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") != "stream":
                continue
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            for line in text.splitlines():
                # Claims with a multi-line name are rare; only the first line carries "[pass]", so match per line
                # and fall back to the part before ": expected" when "got" sits on a later line.
                m = CLAIM.match(line)
                if m:
                    found.append((m.group(2), m.group(1) == "pass"))
                elif line.startswith(("[pass] ", "[FAIL] ")) and ": expected " in line:
                    found.append((line[7:].rsplit(": expected ", 1)[0], line.startswith("[pass]")))
    return found


VERDICT = re.compile(r"Verdict: ([a-z ]+)\.")


def verdicts(notebook: Path) -> list[str | None]:
    """For every figure the notebook displays (a Plotly output), the verdict label written under it, or None."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found: list[str | None] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "application/vnd.plotly.v1+json" not in data:
                continue
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            m = VERDICT.search(html)
            found.append(m.group(1) if m else None)
    return found


def folder(path: Path) -> dict[str, list[tuple[str, bool]]]:
    if not path.is_dir():
        sys.exit(f"claims_count: {path} is not a folder of executed notebooks (write one with './reproduce run --out {path}').")
    books = {nb.stem: claims(nb) for nb in sorted(path.glob("*.ipynb"))}
    if not books:
        sys.exit(f"claims_count: {path} holds no .ipynb files (write them with './reproduce run --out {path}').")
    return books


def audit_counts(path: Path) -> None:
    """Counts the first word of the status column of every item row (| id | item | review | status | where |)."""
    counts: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 5 and re.fullmatch(r"[A-Z]\d+[a-z]?", cols[0]):
            counts.setdefault(cols[3].split()[0] if cols[3] else "?", []).append(cols[0])
    total = sum(len(v) for v in counts.values())
    print(f"Audit items in {path.name}: {total}; " + "; ".join(f"{k}: {len(v)} ({', '.join(v)})" for k, v in sorted(counts.items())))
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--before-label", default="before")
    ap.add_argument("--after-label", default="after")
    ap.add_argument("--audit", type=Path, help="also count the status column of docs/review-audit.md's item tables")
    a = ap.parse_args()
    if a.audit is not None:
        audit_counts(a.audit)
    b, f = folder(a.before), folder(a.after)
    print(f"| notebook | claims {a.before_label} | claims {a.after_label} | failed {a.after_label} | removed (name gone) | added (new name) |")
    print("|---|---|---|---|---|---|")
    for name in sorted(set(b) | set(f)):
        cb, cf = b.get(name), f.get(name)
        nb_ = [c for c, _ in cb] if cb is not None else []
        nf = [c for c, _ in cf] if cf is not None else []
        removed = sorted(set(nb_) - set(nf)) if cb is not None and cf is not None else []
        added = sorted(set(nf) - set(nb_)) if cb is not None and cf is not None else []
        esc = lambda xs: "; ".join(x.replace("|", "\\|") for x in xs) or "—"
        print(f"| {name} | {len(cb) if cb is not None else '—'} | {len(cf) if cf is not None else '—'} | "
              f"{sum(1 for _, p in cf if not p) if cf is not None else '—'} | {esc(removed)} | {esc(added)} |")
    tb = sum(len(v) for v in b.values() if v is not None)
    tf = sum(len(v) for v in f.values() if v is not None)
    print(f"| **total** | {tb} | {tf} | {sum(1 for v in f.values() for _, p in v if not p)} | | |")
    print()
    print(f"Figures displayed in the executed notebooks of {a.after_label} and the verdict under each:")
    print()
    print("| notebook | figures | with a verdict | verdicts |")
    print("|---|---|---|---|")
    for nb in sorted(a.after.glob("*.ipynb")):
        v = verdicts(nb)
        labels = sorted({x for x in v if x is not None})
        summary = ", ".join(f"{sum(1 for x in v if x == lab)} {lab}" for lab in labels) or "—"
        print(f"| {nb.stem} | {len(v)} | {sum(1 for x in v if x is not None)} | {summary} |")


if __name__ == "__main__":
    main()
