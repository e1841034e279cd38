#!/usr/bin/env python3
"""rapport's benchmarks (`make bench`).

Runs the release binary against a real SQLite store in a temporary folder and prints the median
of N runs of:
  - start to first question: from spawning `rapport prep --new` until "Who are you meeting?" is
    read from its standard output (the store already exists, as on any day after the first);
  - a whole scripted prep: every answer piped in, until the process has stored the prep card and
    exited;
  - peak memory (maximum resident set size) of those processes.
Targets: first question <= 20 ms, whole prep <= 60 ms, peak memory <= 30 MB.

Then nudges: 1,000 due follow-ups routed to a generic webhook on 127.0.0.1 (an asyncio sink that
answers 200 at once), delivered by one `rapport nudge` run (generic destinations have no pacing).
Prints messages per second and the run's peak memory; targets >= 1,000/s and <= 40 MB.

Then `rapport serve`, when rapport-server is built next to rapport and wrk is installed: wrk
drives POST /v1/chat on 127.0.0.1 with 32 connections (scripts/chat-load.lua: 2,000 users
walking the prep flow, each request one stored turn): turns per second flat out for 10 s, then
p50/p99 latency at two fixed paces: a moderate one (each connection waits 60 ms between its
requests, about 500 turns/s) and the target rate (14 ms, a little over 1,500 turns/s on a 2-core machine).
Targets: >= 1,500 turns/s, and p99 <= 20 ms while sustaining about 1,500 turns/s.
"""
import asyncio
import re
import shutil
import socket
import urllib.request
import sqlite3
import threading
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


class Sink:
    """A minimal keep-alive HTTP/1.1 server that counts POSTs and answers 200 ok."""

    def __init__(self):
        self.count = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait()

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    async def _serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                self.count += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError):
            writer.close()


def nudge_bench(binary, count=1000):
    sink = Sink()
    with tempfile.TemporaryDirectory(prefix="rapport-nudge-bench-") as folder:
        env = environment(folder)
        env["RAPPORT_NOW"] = "2026-11-27T10:00:00+01:00"
        config = os.path.join(folder, "config.yaml")
        with open(config, "w") as file:
            file.write(f"destinations:\n  sink: {{ kind: generic, url: 'http://127.0.0.1:{sink.port}/hook' }}\n"
                       "nudges:\n  routes: { followup: sink }\n")
        env["RAPPORT_CONFIG"] = config
        subprocess.run([binary, "meetings"], env=env, check=True, stdout=subprocess.DEVNULL)
        db = sqlite3.connect(env["RAPPORT_STORE"])
        db.execute("INSERT INTO contacts (name, name_key, created_at, updated_at) VALUES ('Anna Berg', 'anna berg', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')")
        db.executemany("INSERT INTO followups (contact_id, kind, text, due_at, has_time, created_at) VALUES (1, 'action', ?, '2026-11-25 23:00:00.000', 0, '2026-11-20 10:00:00.000')",
                       [(f"task {index}",) for index in range(count)])
        db.commit()
        db.close()
        start = time.perf_counter()
        process = subprocess.Popen([binary, "nudge"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate()
        elapsed = time.perf_counter() - start
        # communicate() has reaped the child; its peak RSS is in the children's usage.
        import resource
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
        if process.returncode != 0 or sink.count != count:
            raise SystemExit(f"nudge run failed: {sink.count} of {count} arrived\n{out.decode()}{err.decode()}")
    return count / elapsed, elapsed, peak


def wrk(url, seconds, extra_env=None):
    env = dict(os.environ, **(extra_env or {}))
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "chat-load.lua")
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, env=env, check=True).stdout
    def ms(label):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return rate, ms("50%"), ms("99%"), int(errors.group(1)) if errors else 0, socket_errors.group(1) if socket_errors else None


def serve_bench(binary):
    server = os.path.join(os.path.dirname(binary), "rapport-server")
    if not os.path.exists(server) or shutil.which("wrk") is None:
        print("rapport bench: serve skipped (needs rapport-server next to rapport and wrk: make bench builds and installs both)")
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="rapport-bench-serve-") as folder:
        config = os.path.join(folder, "rapport.yaml")
        with open(config, "w") as f:
            f.write("server:\n  token: env:BENCH_TOKEN\n  allow_anyone: true\n")
        env = dict(environment(folder), RAPPORT_CONFIG=config, BENCH_TOKEN="bench-token")
        log = open(os.path.join(folder, "server.log"), "w")
        process = subprocess.Popen([server, "--port", str(port), "--nudge-every", "0"], env=env, stdout=log, stderr=log)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.05)
            url = f"http://127.0.0.1:{port}"
            wrk(url, 3)  # warm up: the first turns of 2,000 users create their conversations
            rate, p50_busy, p99_busy, errors, socket_errors = wrk(url, 10)
            paced_rate, p50, p99, paced_errors, _ = wrk(url, 10, {"RAPPORT_BENCH_DELAY_MS": "60"})
            target_rate, p50_target, p99_target, target_errors, _ = wrk(url, 10, {"RAPPORT_BENCH_DELAY_MS": "14"})
            with open(f"/proc/{process.pid}/status") as status:
                peak = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024.0
            store = sqlite3.connect(os.path.join(folder, "rapport.sqlite"))
            stored = store.execute("select (select count(*) from answers), (select count(*) from conversations)").fetchone()
        finally:
            process.terminate()
            code = process.wait(timeout=10)
    print("rapport bench: rapport serve, POST /v1/chat on 127.0.0.1, wrk 2 threads 32 connections, store on disk")
    print(f"  {'turns per second, flat out (10 s)':<40} {rate:>8.0f}/s   target >= 1500/s  {'ok' if rate >= 1500 else 'MISSED'}  (p50 {p50_busy:.1f} ms, p99 {p99_busy:.1f} ms, non-2xx {errors}{', socket errors ' + socket_errors if socket_errors else ''})")
    print(f"  {'latency at a moderate pace, p50 / p99':<40} {p50:>5.1f} / {p99:.1f} ms   ({paced_rate:.0f} turns/s, non-2xx {paced_errors})")
    print(f"  {'latency at the target pace, p50 / p99':<40} {p50_target:>5.1f} / {p99_target:.1f} ms   target p99 <= 20 ms at >= 1500/s  {'ok' if p99_target <= 20 and target_rate >= 1500 else 'MISSED'}  ({target_rate:.0f} turns/s, non-2xx {target_errors})")
    print(f"  {'server peak memory':<40} {peak:>8.1f} MB   ({stored[0]} answers in {stored[1]} conversations stored; exit code on SIGTERM {code})")


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

    rate, elapsed, peak = nudge_bench(binary)
    print(f"rapport bench: 1000 due nudges, one rapport nudge run, generic webhook on 127.0.0.1")
    print(f"  {'messages per second':<40} {rate:>8.0f}/s   target >= 1000/s  {'ok' if rate >= 1000 else 'MISSED'}  ({elapsed * 1000:.0f} ms in all)")
    print(f"  {'peak memory (max RSS of the bench children)':<40} {peak:>8.1f} MB  target <= 40 MB   {'ok' if peak <= 40 else 'MISSED'}")

    serve_bench(binary)


if __name__ == "__main__":
    main()
