#!/usr/bin/env python3
"""Prints "N passed, N failed, N skipped" for a dotnet test TRX file and lists every skipped test
with its reason. With --only-skip PREFIX (repeatable), exits 1 when a test was skipped for any
other reason: CI's run with every optional part installed allows only the CUDA skips."""
import argparse, sys, xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
ap = argparse.ArgumentParser()
ap.add_argument("trx")
ap.add_argument("--only-skip", action="append", default=[], metavar="PREFIX",
                help="skip reasons allowed (prefix match); any other skip fails")
args = ap.parse_args()

root = ET.parse(args.trx).getroot()
counters = root.find(".//t:ResultSummary/t:Counters", ns)
total, executed = int(counters.get("total")), int(counters.get("executed"))
passed, failed = int(counters.get("passed")), int(counters.get("failed"))
skips = []
for r in root.iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") == "NotExecuted":
        m = r.find(".//t:Output/t:ErrorInfo/t:Message", ns)
        skips.append((r.get("testName"), (m.text or "").strip() if m is not None else ""))
print(f"{passed} passed, {failed} failed, {total - executed} skipped")
# A failed test's message and the top of its stack: a CI log that names only the test leaves the
# next engineer guessing which assertion failed (and a flaky one may not fail again locally).
for r in root.iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") == "Failed":
        msg = r.find(".//t:Output/t:ErrorInfo/t:Message", ns)
        stack = r.find(".//t:Output/t:ErrorInfo/t:StackTrace", ns)
        print(f"  FAILED {r.get('testName')} ({r.get('duration')}):")
        for line in ((msg.text or "") if msg is not None else "").strip().splitlines()[:40]:
            print(f"    {line}")
        for line in ((stack.text or "") if stack is not None else "").strip().splitlines()[:8]:
            print(f"    {line}")
by_reason = {}
for name, reason in skips:
    by_reason.setdefault(reason, []).append(name)
for reason, names in sorted(by_reason.items()):
    print(f"  skipped {len(names)}: {reason}")
if args.only_skip:
    bad = [(n, r) for n, r in skips if not any(r.startswith(p) for p in args.only_skip)]
    for n, r in bad:
        print(f"NOT ALLOWED here: {n} skipped ({r})", file=sys.stderr)
    if bad:
        print(f"{len(bad)} tests skipped although every optional part is installed (only {args.only_skip} may skip).", file=sys.stderr)
        sys.exit(1)
