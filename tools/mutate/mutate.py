#!/usr/bin/env python3
"""Hand-written fault injection (mutation check, issue 16 item 5).

Usage: tools/mutate/mutate.py MUTANTS.txt [MORE.txt ...] [--only ID,...] [--json OUT.json] [--keep]
                              [--runner inproc|dotnet]

Copies the repository (tracked + untracked files that git does not ignore, plus artifacts/ for
an incremental build) to a scratch folder and never touches the working tree. Every mutant is
compiled into that copy at once behind a run-time switch (mutant schemata, as Stryker does):
    expr:  (MutantSwitch.Is("ID") ? (replace) : (find))
    stmt:  if (MutantSwitch.Is("ID")) { replace } else { find }
so the library builds once; each mutant is then one test run with REPRODUCE_MUTANT=ID. Tests run
in two stages: `filter` (unit and oracle tests), and only if they all pass, `filter2` (the paper's
smoke-scale experiment tests, whose claims fail the test when they do not hold). A mutant is
killed when a test fails (or times out), survived when both stages pass. Several lists can share one
build (their mutants must touch disjoint text). A filter whose tests fail without any mutant makes
its mutants "invalid" (reported, never counted).

Runners: `inproc` (default) adds tools/mutate/MutantRunner.cs to the scratch test project as its entry
point and runs `dotnet Reproduce.Tests.dll FILTER` per stage: the same [Fact]/[Theory] methods, one
process start instead of MSBuild + vstest + discovery (about 40 s of a loaded 2-core machine per
stage) and stops a mutant's stage at its first failing test (so "killed by" names that test only).
`dotnet` runs `dotnet test --no-build --filter FILTER` as before. --no-baseline skips the runs without
any mutant; use it only when the same filters passed on the same code in an earlier run (the log
says so). --json is rewritten after every mutant, so a stopped run keeps what it measured.

Mutant file format (blocks separated by blank lines; '#' lines are comments):
    filter: FullyQualifiedName~Reproduce.Tests.Sketching&FullyQualifiedName!~ExperimentTests
    filter2: FullyQualifiedName~Reproduce.Tests.Sketching.SketchingExperimentTests
    id: K04
    file: Reproduce/Sketching/LloydKMeans.cs
    kind: expr
    find: cost - c2 <= Tolerance * cost
    replace: cost - c2 > Tolerance * cost
    why: convergence test inverted
    equivalent: (optional) why the mutant cannot change any result; printed by report.py
`filter`/`filter2` lines outside a block apply to the blocks below them. `find` must occur exactly
once in its file. `kind` is stmt (default: find is one whole statement) or expr; \\n in find/replace is a line break.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

SWITCH = '''namespace Reproduce;

// Added to the scratch copy by tools/mutate/mutate.py only: selects one mutant at run time.
internal static class MutantSwitch
{
    private static readonly string? Active = System.Environment.GetEnvironmentVariable("REPRODUCE_MUTANT");

    internal static bool Is(string id) => Active == id;
}
'''

def parse(path):
    mutants, current, glob = [], {}, {}
    listname = os.path.splitext(os.path.basename(path))[0]
    for raw in open(path, encoding="utf-8").read().splitlines() + [""]:
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if current:
                for k, v in glob.items():
                    current.setdefault(k, v)
                mutants.append(current)
                current = {}
            continue
        key, _, val = raw.partition(":")
        key, val = key.strip(), val[1:] if val.startswith(" ") else val
        if key in ("filter", "filter2") and not current:
            glob[key] = val
            continue
        current[key] = val
    for m in mutants:
        for k in ("id", "file", "find", "filter"):
            if not m.get(k):
                sys.exit(f"mutant {m.get('id', '?')}: missing '{k}'")
        m.setdefault("replace", "")
        m["list"] = listname
        m.setdefault("kind", "stmt")
        for k in ("find", "replace"):  # "\\n" in the file stands for a line break (multi-line find)
            m[k] = m[k].replace("\\n", "\n")
    return mutants

def run(cmd, cwd, timeout, env=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, "timeout"

def failed_tests(out):
    names = []
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("Failed ") and "[" in s:
            names.append(s[len("Failed "):].split(" [")[0].split("(")[0].split(".")[-1])
    return names

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mutants", nargs="+")
    ap.add_argument("--runner", choices=["inproc", "dotnet"], default="inproc")
    ap.add_argument("--only", default="")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--json", default="")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    repo = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
    mutants = [m for path in a.mutants for m in parse(path)]
    ids = [m["id"] for m in mutants]
    if len(set(ids)) != len(ids):
        sys.exit("mutant ids must be unique across the lists")
    if a.only:
        keep = set(a.only.split(","))
        mutants = [m for m in mutants if m["id"] in keep]
    texts = {}
    for m in mutants:
        text = texts.setdefault(m["file"], open(os.path.join(repo, m["file"]), encoding="utf-8").read())
        n = text.count(m["find"])
        if n != 1:
            sys.exit(f"mutant {m['id']}: 'find' occurs {n} times in {m['file']} (need exactly 1)")
    scratch = tempfile.mkdtemp(prefix="mutate-")
    try:
        run_all(a, repo, mutants, scratch)
    finally:
        if a.keep:
            print("scratch copy kept at", scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

def run_all(a, repo, mutants, scratch):
    files = subprocess.check_output(["git", "ls-files", "-co", "--exclude-standard"], cwd=repo, text=True).splitlines()
    for f in files:
        src = os.path.join(repo, f)
        if os.path.isfile(src):
            dst = os.path.join(scratch, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    if os.path.isdir(os.path.join(repo, "artifacts")):
        shutil.copytree(os.path.join(repo, "artifacts"), os.path.join(scratch, "artifacts"), symlinks=True)
    # Insert every mutant behind its switch.
    for m in mutants:
        path = os.path.join(scratch, m["file"])
        text = open(path, encoding="utf-8").read()
        sw = f'global::Reproduce.MutantSwitch.Is("{m["id"]}")'
        if m["kind"] == "expr":
            new = f'({sw} ? ({m["replace"]}) : ({m["find"]}))'
        else:
            new = f'if ({sw}) {{ {m["replace"]} }} else {{ {m["find"]} }}'
        if text.count(m["find"]) != 1:
            sys.exit(f"mutant {m['id']}: overlaps another mutant in {m['file']}")
        open(path, "w", encoding="utf-8").write(text.replace(m["find"], new, 1))
    open(os.path.join(scratch, "Reproduce", "MutantSwitch.cs"), "w").write(SWITCH)
    if a.runner == "inproc":
        shutil.copy2(os.path.join(repo, "tools", "mutate", "MutantRunner.cs"), os.path.join(scratch, "Reproduce.Tests", "MutantRunner.cs"))
        proj = os.path.join(scratch, "Reproduce.Tests", "Reproduce.Tests.csproj")
        text = open(proj, encoding="utf-8").read()
        open(proj, "w", encoding="utf-8").write(text.replace("<PropertyGroup>", "<PropertyGroup>\n    <GenerateProgramFile>false</GenerateProgramFile>", 1))
    t0 = time.time()
    rc, out = run(["dotnet", "build", "Reproduce.Tests", "-nologo", "-v", "q", "-clp:NoSummary"], scratch, a.timeout)
    if rc != 0:
        sys.exit("build with the mutant schemata failed (a mutant does not compile):\n" + out[-4000:])
    print(f"built {len(mutants)} mutants in {time.time() - t0:.0f} s", flush=True)
    bindir = os.path.join(scratch, "artifacts", "bin", "Reproduce.Tests", "debug")
    if a.runner == "inproc":
        test = lambda flt, env: run(["dotnet", os.path.join(bindir, "Reproduce.Tests.dll"), flt]
                                    + (["--fail-fast"] if env.get("REPRODUCE_MUTANT") else []), bindir, a.timeout, env)
    else:
        test = lambda flt, env: run(["dotnet", "test", "Reproduce.Tests", "--no-build", "--filter", flt], scratch, a.timeout, env)
    base_env = dict(os.environ, REPRODUCE_MUTANT="")
    broken = set()
    for flt in sorted({m["filter"] for m in mutants} | {m.get("filter2") for m in mutants if m.get("filter2")}):
        if a.no_baseline:
            print(f"baseline skipped (--no-baseline): {flt}", flush=True)
            continue
        t1 = time.time()
        rc, out = test(flt, base_env)
        print(f"baseline {'ok' if rc == 0 else 'FAILS'} in {time.time() - t1:.0f} s: {flt}", flush=True)
        if rc != 0:
            broken.add(flt)
            print(out[-3000:], flush=True)
    results = []
    for m in mutants:
        if m["filter"] in broken or m.get("filter2") in broken:
            r = dict(id=m["id"], list=m["list"], file=m["file"], why=m.get("why", ""), status="invalid", stage="baseline", by=[], seconds=0)
            results.append(r)
            print(f"{r['id']:5} invalid      0s  {m['file'].split('/')[-1]}: {r['why']}  <- baseline fails", flush=True)
            continue
        env = dict(os.environ, REPRODUCE_MUTANT=m["id"])
        t1 = time.time()
        stage, killers = "unit", []
        rc, out = test(m["filter"], env)
        if rc == 0 and m.get("filter2"):
            stage = "experiments"
            rc, out = test(m["filter2"], env)
        status = "survived" if rc == 0 else ("timeout" if rc == 124 else "killed")
        killers = failed_tests(out) if rc not in (0, 124) else []
        r = dict(id=m["id"], list=m["list"], file=m["file"], why=m.get("why", ""), status=status, stage=stage, by=killers[:4], seconds=round(time.time() - t1))
        results.append(r)
        by = f"  <- {stage}: {', '.join(killers[:3])}" if killers else ""
        print(f"{r['id']:5} {status:9} {r['seconds']:4}s  {m['file'].split('/')[-1]}: {r['why']}{by}", flush=True)
        if a.json:
            json.dump(results, open(a.json, "w"), indent=1, ensure_ascii=False)
    for name in sorted({r["list"] for r in results}):
        rs = [r for r in results if r["list"] == name and r["status"] != "invalid"]
        killed = sum(r["status"] != "survived" for r in rs)
        print(f"\n{name}: {killed} of {len(rs)} mutants killed ({100 * killed / max(len(rs), 1):.0f} %); "
              f"survivors: {', '.join(r['id'] for r in rs if r['status'] == 'survived') or 'none'}", flush=True)
    if a.json:
        json.dump(results, open(a.json, "w"), indent=1, ensure_ascii=False)

if __name__ == "__main__":
    main()
