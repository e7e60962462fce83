#!/usr/bin/env python3
"""Hand-written fault injection for the IPM, logistic, k-LPM and stochastic-rounding areas (claimsB).

Each mutant is one exact-text replacement in one file (operator flip, off-by-one, sign or constant change). For each mutant:
apply it, build the test project (Debug), run the paper's tests (unit + smoke-scale experiment claims) with the mutant's
filter, record killed / survived / invalid (does not compile), and restore the file with `git checkout`.

Usage: tools/mutate/claimsB_mutate.py MUTANTS.tsv RESULTS.tsv
MUTANTS.tsv columns (tab-separated): paper, file, old text, new text, dotnet test filter. Lines starting with # are skipped.
"""
import subprocess, sys, time

def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, "timeout"

def main(spec, out):
    rows = [l.rstrip('\n').split('\t') for l in open(spec, encoding='utf-8') if l.strip() and not l.startswith('#')]
    with open(out, 'a', encoding='utf-8') as res:
        for paper, path, old, new, filt in rows:
            src = open(path, encoding='utf-8').read()
            if src.count(old) != 1:
                res.write(f"{paper}\t{path}\t{old}\t{new}\tnot-unique({src.count(old)})\t0\n"); res.flush(); continue
            open(path, 'w', encoding='utf-8').write(src.replace(old, new))
            t0 = time.time()
            try:
                rc, log = run("dotnet build Reproduce.Tests -v q", 900)
                if rc != 0:
                    verdict = "invalid"
                else:
                    rc, log = run(f'dotnet test Reproduce.Tests --no-build --filter "{filt}"', 1200)
                    verdict = "survived" if rc == 0 else ("killed-timeout" if rc == 124 else "killed")
            finally:
                subprocess.run(["git", "checkout", "--", path], check=True)
            res.write(f"{paper}\t{path}\t{old}\t{new}\t{verdict}\t{time.time() - t0:.0f}\n"); res.flush()
            print(paper, verdict, old, '->', new, flush=True)

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
