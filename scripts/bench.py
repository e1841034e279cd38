#!/usr/bin/env python3
"""rapport's terminal benchmark (`make bench`).

Runs the release binary against a real SQLite store in a temporary folder and prints the median
of N runs of:
  - start to first question: from spawning `rapport prep --new` until "Who are you meeting?" is
    read from its standard output (the store already exists, as on any day after the first);
  - a whole scripted prep: every answer piped in, until the process has stored the prep card and
    exited;
  - peak memory (maximum resident set size) of those processes.
Targets from the issue: first question <= 20 ms, whole prep <= 60 ms, peak memory <= 30 MB.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
ANSWERS = [
    "Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no",
    "She chairs the CFO network in Karlstad", "partly",
    "I help mid-size builders cut heating costs with better windows",
    "A speaker for her network", "Who decides on the pilot budget?",
]
# From the second prep on, the saved pitch is offered again: answer "yes" instead of typing it.
ANSWERS_AGAIN = ANSWERS[:6] + ["yes"] + ANSWERS[7:]
FIRST_QUESTION = b"Who are you meeting?"


def environment(folder):
    return {
        "PATH": "/usr/bin:/bin", "HOME": folder, "LANG": "C.UTF-8", "TZ": "Europe/Stockholm",
        "XDG_CONFIG_HOME": os.path.join(folder, "config"),
        "RAPPORT_STORE": os.path.join(folder, "rapport.sqlite"),
        "RAPPORT_NOW": "2026-11-23T10:00:00+01:00",
    }


def wait_with_rusage(process):
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024.0  # KiB -> MiB on Linux


def first_question(binary, env):
    start = time.perf_counter()
    process = subprocess.Popen([binary, "prep", "--new"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    seen = b""
    while FIRST_QUESTION not in seen:
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            raise SystemExit("rapport exited before asking its first question:\n" + seen.decode(errors="replace"))
        seen += chunk
    elapsed = time.perf_counter() - start
    process.stdin.close()  # end of input: the prep is paused and saved
    process.stdout.read()
    peak = wait_with_rusage(process)
    return elapsed, peak


def whole_prep(binary, env, answers=ANSWERS_AGAIN):
    script = ("\n".join(answers) + "\n").encode()
    start = time.perf_counter()
    process = subprocess.Popen([binary, "prep", "--new"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    process.stdin.write(script)
    process.stdin.close()
    output = process.stdout.read()
    peak = wait_with_rusage(process)
    elapsed = time.perf_counter() - start
    if process.returncode != 0 or b"Saved as meeting" not in output:
        raise SystemExit("the scripted prep did not finish:\n" + output.decode(errors="replace"))
    return elapsed, peak


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/rapport")
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as folder:
        env = environment(folder)
        cold, _ = whole_prep(binary, env, ANSWERS)  # creates and migrates the store
        for _ in range(3):  # warm the page cache
            first_question(binary, env)
        firsts = [first_question(binary, env) for _ in range(RUNS)]
        preps = [whole_prep(binary, env) for _ in range(RUNS)]

    first_ms = statistics.median(t for t, _ in firsts) * 1000
    prep_ms = statistics.median(t for t, _ in preps) * 1000
    peak_mb = max(m for _, m in firsts + preps)
    rows = [
        ("start to first question (median)", f"{first_ms:.1f} ms", "<= 20 ms", first_ms <= 20),
        ("whole scripted prep, stored (median)", f"{prep_ms:.1f} ms", "<= 60 ms", prep_ms <= 60),
        ("peak memory (max RSS of all runs)", f"{peak_mb:.1f} MB", "<= 30 MB", peak_mb <= 30),
    ]
    print(f"rapport bench: {binary}, {RUNS} runs each, store on disk (WAL, synchronous=FULL)")
    for name, value, target, ok in rows:
        print(f"  {name:<40} {value:>10}   target {target:<9} {'ok' if ok else 'MISSED'}")
    print(f"  (first prep on a new store, with migration: {cold * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
