#!/usr/bin/env python3
"""Hand-written fault injection (mutation check, issue 16 item 5).

Usage: tools/mutate/mutate.py MUTANTS.txt [--only ID,...] [--keep]

Copies the repository (tracked + untracked, not ignored; plus artifacts/ for an incremental
build) to a scratch folder, then for each mutant: applies it there, builds the test project
(Debug), runs the paper's test filter (unit, oracle and smoke-scale experiment tests, whose
claims throw when they fail), and records killed / survived / build-error. The working tree is
never modified.

Mutant file format (one mutant per block, blocks separated by a blank line):
    # comment lines are ignored
    filter: FullyQualifiedName~Reproduce.Tests.Sketching     (applies to the mutants below it)
    id: S01
    file: Reproduce/Sketching/LloydKMeans.cs
    find: bool converged = cost - c2 <= Tolerance * cost;
    replace: bool converged = cost - c2 > Tolerance * cost;
    why: convergence test inverted
`find` must occur exactly once in the file (so a mutant names one line). A build error counts as
killed by the compiler and is reported separately (it does not test the claims).
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

def parse(path):
    mutants, current, flt = [], {}, None
    for raw in open(path, encoding="utf-8").read().splitlines() + [""]:
        line = raw.rstrip("\n")
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                current.setdefault("filter", flt)
                mutants.append(current)
                current = {}
            continue
        key, _, val = line.partition(":")
        key, val = key.strip(), val[1:] if val.startswith(" ") else val
        if key == "filter" and not current:
            flt = val
            continue
        current[key] = val
    for m in mutants:
        for k in ("id", "file", "find", "replace", "filter"):
            if not m.get(k) and k != "replace":
                sys.exit(f"mutant {m.get('id', '?')}: missing '{k}'")
    return mutants

def run(cmd, cwd, timeout):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, "timeout"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mutants")
    ap.add_argument("--only", default="")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    repo = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
    mutants = parse(a.mutants)
    if a.only:
        keep = set(a.only.split(","))
        mutants = [m for m in mutants if m["id"] in keep]
    # Check every mutant applies before spending minutes on builds.
    for m in mutants:
        text = open(os.path.join(repo, m["file"]), encoding="utf-8").read()
        n = text.count(m["find"])
        if n != 1:
            sys.exit(f"mutant {m['id']}: 'find' occurs {n} times in {m['file']} (need exactly 1)")
    scratch = tempfile.mkdtemp(prefix="mutate-")
    files = subprocess.check_output(["git", "ls-files", "-co", "--exclude-standard"], cwd=repo, text=True).splitlines()
    for f in files:
        src = os.path.join(repo, f)
        if os.path.isfile(src):
            dst = os.path.join(scratch, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    if os.path.isdir(os.path.join(repo, "artifacts")):
        shutil.copytree(os.path.join(repo, "artifacts"), os.path.join(scratch, "artifacts"), symlinks=True)
    build = ["dotnet", "build", "Reproduce.Tests", "-nologo", "-v", "q", "-clp:NoSummary"]
    rc, out = run(build, scratch, a.timeout)
    if rc != 0:
        sys.exit("baseline build failed:\n" + out[-3000:])
    baseline = {}
    results = []
    for m in mutants:
        flt = m["filter"]
        if flt not in baseline:
            rc, out = run(["dotnet", "test", "Reproduce.Tests", "--no-build", "--filter", flt], scratch, a.timeout)
            if rc != 0:
                sys.exit(f"baseline tests fail for filter {flt}:\n" + out[-3000:])
            baseline[flt] = True
        path = os.path.join(scratch, m["file"])
        original = open(path, encoding="utf-8").read()
        open(path, "w", encoding="utf-8").write(original.replace(m["find"], m["replace"], 1))
        t0 = time.time()
        try:
            rc, out = run(build, scratch, a.timeout)
            if rc != 0:
                status, detail = "build-error", ""
            else:
                rc, out = run(["dotnet", "test", "Reproduce.Tests", "--no-build", "--filter", flt], scratch, a.timeout)
                failed = [l.strip() for l in out.splitlines() if l.strip().startswith("Failed ")]
                status = "survived" if rc == 0 else ("timeout" if rc == 124 else "killed")
                detail = "; ".join(f.split("[")[0].replace("Failed ", "") for f in failed[:3])
        finally:
            open(path, "w", encoding="utf-8").write(original)
        r = dict(id=m["id"], file=m["file"], why=m.get("why", ""), status=status, by=detail, seconds=round(time.time() - t0))
        results.append(r)
        print(f"{r['id']:5} {status:11} {r['seconds']:4}s  {m['file'].split('/')[-1]}: {r['why']}  {('<- ' + detail) if detail else ''}", flush=True)
    killed = sum(r["status"] in ("killed", "timeout") for r in results)
    built = sum(r["status"] != "build-error" for r in results)
    print(f"\n{killed} of {built} compiled mutants killed ({100 * killed / max(built, 1):.0f} %); "
          f"{len(results) - built} did not compile; survivors: {', '.join(r['id'] for r in results if r['status'] == 'survived') or 'none'}")
    if a.json:
        json.dump(results, open(a.json, "w"), indent=1, ensure_ascii=False)
    if not a.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        print("scratch copy kept at", scratch)

if __name__ == "__main__":
    main()
