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
drives POST /v1/chat on 127.0.0.1 with 32 connections (scripts/chat-load.lua: 1,000 users
per wrk thread walking the prep flow from its start in every run, each request one stored turn): turns per second flat out for 10 s, then
p50/p99 latency at two fixed paces: a moderate one (each connection waits 60 ms between its
requests, about 500 turns/s) and the target rate (14 ms, a little over 1,500 turns/s on a 2-core machine).
Targets: >= 1,500 turns/s, and p99 <= 20 ms while sustaining about 1,500 turns/s.

Then the cost of each command as the store grows (BENCH_SIZES, default 100, 10,000 and 100,000
contacts), each contact with two meetings (one past and reflected, one ahead), two open
follow-ups, a note and a keep-in-touch cadence, and every kind of nudge but the digest routed to a destination.
The store is written with SQL and then opened once, which plans every nudge (the first open after
the plan's settings change does that). Printed: the median of BENCH_GROWTH_RUNS runs of `log`,
`done`, `followups --due`, the home screen, `nudge --dry-run` with nothing due, `prep` to its first
question, and one chat turn that finishes a prep in `rapport serve` (timed at the client over
loopback, so a little above the server's own time). Targets: at the largest size each is within
1.5x of its figure at the smallest, `log` and `done` <= 25 ms, home <= 30 ms, the chat turn <= 10 ms.

With PostgreSQL (`make bench` starts a throw-away cluster and sets RAPPORT_TEST_POSTGRES_URL), the
chat figures again with one and with two `rapport serve` replicas on it (wrk splits its two
threads, 32 connections and 2,000 users between them, each half walking users of its own, so both
runs are given the same load generator and the same mix of starts, answers and finishes); targets for two replicas:
>= 1,500 turns/s and p99 <= 30 ms at the target pace, no error. And the growth figures on
PostgreSQL (the rows written with COPY), where every command hands over to rapport-server:
the target there is that the cost does not grow, within 1.5x from the smallest to the largest.

Then the calendar reader (`rapport calendar parse FILE --timing`, a hidden subcommand that reads a
file without opening the store): a 5 MB feed of 2,000 events shaped like an Outlook or Google
export (attendees, long folded descriptions, three time zones, a third of them recurring since
as long as seven years, with exceptions and moved instances), parsed and expanded over two
weeks. Printed: the median of BENCH_RUNS runs of the time the reader reports for parse and
expansion, the whole process's time, and the peak memory. Targets: <= 100 ms, <= 40 MB.
Then Slack's Events API (BENCH_ONLY=events): 200 people each write to the bot in their DM once a
second for 10 s (a prep from "prep Anna Berg" to its card, then "help"), 200 signed events a second
sent open-loop to one `rapport serve` on SQLite, whose replies go through the outbox to a fake
Slack Web API on 127.0.0.1. Printed: the acknowledgement's p50/p99, timed from when each event was
due to be sent (so a server that falls behind is charged for it), every reply delivered, and the
most posts one DM got in any one second. Targets: p99 <= 50 ms (Slack retries after 3 s), every
reply posted, none faster than Slack's one message a second per conversation.
BENCH_ONLY=calendar (or core, nudge, serve, growth, events, comma-separated) runs only those parts;
serve and growth include their PostgreSQL runs when a cluster is given.
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
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))


def wanted(part):
    return not ONLY or part in ONLY
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


# On Linux a child's ru_maxrss starts from the memory of the process it was forked (or vforked)
# from: the kernel carries that address space's high-water mark across exec. A child of this
# script counts this script's own peak (after writing the calendar feed, some 50 MB, which is
# what `rapport --help` then "used"). A fresh small interpreter forks the binary instead and
# reports that child's own peak and time on its last stderr line.
MEASURED_CHILD = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nmeasured: {usage.ru_maxrss} {time.perf_counter() - start}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command, env):
    """Runs a command to its end: its exit code, stdout, and its own peak memory (MB) and time (s)."""
    process = subprocess.run([sys.executable, "-S", "-c", MEASURED_CHILD] + command, capture_output=True, env=env)
    found = re.search(rb"measured: (\d+) ([0-9.e-]+)\s*$", process.stderr)
    if not found:
        raise SystemExit(f"could not measure {command[0]}:\n" + process.stderr.decode(errors="replace"))
    return process.returncode, process.stdout.decode(), int(found.group(1)) / 1024.0, float(found.group(2))


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
        db.execute("INSERT INTO contacts (owner, name, name_key, created_at, updated_at) VALUES ('local', 'Anna Berg', 'anna berg', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')")
        db.executemany("INSERT INTO followups (contact_id, kind, text, due_at, has_time, created_at) VALUES (1, 'action', ?, '2026-11-25 23:00:00.000', 0, '2026-11-20 10:00:00.000')",
                       [(f"task {index}",) for index in range(count)])
        db.execute("DELETE FROM meta WHERE key = 'plan_fingerprint'")  # written behind the store's back: planned at the next open
        db.commit()
        db.close()
        subprocess.run([binary, "meetings"], env=env, check=True, stdout=subprocess.DEVNULL)  # plans them, before the timed run
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


def wrk(url, seconds, extra_env=None, connections=32, threads=2):
    env = dict(os.environ, **(extra_env or {}))
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "chat-load.lua")
    out = subprocess.run(["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, env=env, check=True).stdout
    def ms(label):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return rate, ms("50%"), ms("99%"), int(errors.group(1)) if errors else 0, socket_errors.group(1) if socket_errors else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(port, tries=400):
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"rapport serve on port {port} did not answer /healthz")


wrk_runs = 0


def wrk_replicas(urls, seconds, extra_env=None):
    """wrk against each replica at once (its 2 threads, 32 connections and 2,000 users shared out,
    users of their own per replica, so every replica count is given the same load generator and
    the same mix of turns: a prep's start, its answers, its finish): the summed rate, the mean
    p50 and the worst p99, the summed errors."""
    from concurrent.futures import ThreadPoolExecutor
    each = 32 // len(urls)
    threads = max(1, 2 // len(urls))
    users = str(2000 // (threads * len(urls)))  # per wrk thread
    global wrk_runs
    wrk_runs += 1  # each run walks users of its own from their first message
    with ThreadPoolExecutor(len(urls)) as pool:
        runs = list(pool.map(lambda pair: wrk(pair[1], seconds, dict(extra_env or {}, RAPPORT_BENCH_USER_PREFIX=f"r{pair[0]}u",
                                                                      RAPPORT_BENCH_RUN=str(wrk_runs),
                                                                      RAPPORT_BENCH_USERS_PER_THREAD=users), each, threads), enumerate(urls)))
    socket_errors = "; ".join(run[4] for run in runs if run[4])
    return (sum(run[0] for run in runs), statistics.mean(run[1] for run in runs), max(run[2] for run in runs),
            sum(run[3] for run in runs), socket_errors or None)


def serve_bench(binary, postgres=None, replicas=1):
    """Chat turns per second and latency through rapport serve: on the SQLite store, or with
    `replicas` servers on one PostgreSQL (a schema of its own in the `postgres` cluster)."""
    server = os.path.join(os.path.dirname(binary), "rapport-server")
    if not os.path.exists(server) or shutil.which("wrk") is None:
        print("rapport bench: serve skipped (needs rapport-server next to rapport and wrk: make bench builds and installs both)")
        return
    with tempfile.TemporaryDirectory(prefix="rapport-bench-serve-") as folder:
        config = os.path.join(folder, "rapport.yaml")
        with open(config, "w") as f:
            f.write("server:\n  token: env:BENCH_TOKEN\n  allow_anyone: true\n")
        env = dict(environment(folder), RAPPORT_CONFIG=config, BENCH_TOKEN="bench-token")
        schema = None
        if postgres:
            schema = "bench_serve_" + str(os.getpid()) + "_" + str(replicas)
            env["RAPPORT_STORE"] = postgres_url(postgres, schema)
        ports = [free_port() for _ in range(replicas)]
        log = open(os.path.join(folder, "server.log"), "w")
        processes = []
        try:
            for port in ports:
                processes.append(subprocess.Popen([server, "--port", str(port), "--nudge-every", "0"], env=env, stdout=log, stderr=log))
                wait_healthy(port)  # one after the other: the first migrates a new store
            urls = [f"http://127.0.0.1:{port}" for port in ports]
            wrk_replicas(urls, 3)  # warm up: the server, its pools and page cache
            rate, p50_busy, p99_busy, errors, socket_errors = wrk_replicas(urls, 10)
            paced_rate, p50, p99, paced_errors, _ = wrk_replicas(urls, 10, {"RAPPORT_BENCH_DELAY_MS": "60"})
            target_rate, p50_target, p99_target, target_errors, _ = wrk_replicas(urls, 10, {"RAPPORT_BENCH_DELAY_MS": "14"})
            peak = 0.0
            for process in processes:
                with open(f"/proc/{process.pid}/status") as status:
                    peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024.0)
            # Every scripted answer of a user's prep is a different text, and each prep is a
            # conversation of its own: the same text twice in one conversation is a turn stored twice.
            counts = ("select (select count(*) from answers), (select count(*) from conversations), "
                      "(select count(*) from (select conversation_id, raw from answers group by 1, 2 having count(*) > 1) twice)")
            if postgres:
                stored = [int(value) for value in psql(postgres, schema, counts).split("|")]
            else:
                store = sqlite3.connect(os.path.join(folder, "rapport.sqlite"))
                stored = store.execute(counts).fetchone()
        finally:
            codes = []
            for process in processes:
                process.terminate()
            for process in processes:
                codes.append(process.wait(timeout=10))
            if postgres:
                psql(postgres, None, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    where = f"{replicas} replica{'s' if replicas > 1 else ''} on PostgreSQL" if postgres else "one server, SQLite store on disk"
    p99_limit = 30 if postgres else 20
    print(f"rapport bench: rapport serve, POST /v1/chat on 127.0.0.1, wrk 32 connections in all, {where}")
    print(f"  {'turns per second, flat out (10 s)':<40} {rate:>8.0f}/s   target >= 1500/s  {'ok' if rate >= 1500 else 'MISSED'}  (p50 {p50_busy:.1f} ms, p99 {p99_busy:.1f} ms, non-2xx {errors}{', socket errors ' + socket_errors if socket_errors else ''})")
    print(f"  {'latency at a moderate pace, p50 / p99':<40} {p50:>5.1f} / {p99:.1f} ms   ({paced_rate:.0f} turns/s, non-2xx {paced_errors})")
    met = p99_target <= p99_limit and target_rate >= 1500 and target_errors == 0 and stored[2] == 0
    print(f"  {'latency at the target pace, p50 / p99':<40} {p50_target:>5.1f} / {p99_target:.1f} ms   target p99 <= {p99_limit} ms at >= 1500/s, no error or duplicate  {'ok' if met else 'MISSED'}  ({target_rate:.0f} turns/s, non-2xx {target_errors})")
    print(f"  {'server peak memory':<40} {peak:>8.1f} MB   ({stored[0]} answers in {stored[1]} conversations stored, {stored[2]} stored twice; exit codes on SIGTERM {codes})")


class FakeSlackAPI:
    """Slack's Web API as the bot sees it, on 127.0.0.1: chat.postMessage answered ok with the
    time of each post kept per channel, users.info answered with a time zone."""

    def __init__(self):
        self.posts = {}
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

    def delivered(self):
        return sum(len(times) for times in list(self.posts.values()))

    async def _serve(self, reader, writer):
        import json
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = await reader.readexactly(length)
                path = head.split(b" ")[1]
                if path.startswith(b"/api/chat.postMessage"):
                    channel = json.loads(body)["channel"]
                    self.posts.setdefault(channel, []).append(time.monotonic())
                    answer = json.dumps({"ok": True, "channel": channel, "ts": "1503435956.%06d" % self.delivered()}).encode()
                else:
                    answer = b'{"ok":true,"user":{"id":"U0","tz":"Europe/Stockholm","tz_offset":3600}}'
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError):
            writer.close()


def slack_events_bench(binary, people=200, seconds=10, connections=24):
    """Slack DMs to the bot: the acknowledgement's latency at 200 events/s, and the replies."""
    import hashlib
    import hmac
    import json
    server = os.path.join(os.path.dirname(binary), "rapport-server")
    if not os.path.exists(server):
        print("rapport bench: events skipped (needs rapport-server next to rapport)")
        return
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    slack = FakeSlackAPI()
    messages = ["prep Anna Berg"] + ANSWERS[1:] + ["help"]
    with tempfile.TemporaryDirectory(prefix="rapport-bench-events-") as folder:
        config = os.path.join(folder, "rapport.yaml")
        with open(config, "w") as f:
            f.write("server:\n  slack_signing_secret: env:BENCH_SLACK_SECRET\n  slack_bot_token: env:BENCH_SLACK_TOKEN\n"
                    f"  slack_api_url: http://127.0.0.1:{slack.port}/api\n  allow_anyone: true\n")
        env = dict(environment(folder), RAPPORT_CONFIG=config, RAPPORT_NOW="", BENCH_SLACK_SECRET=secret, BENCH_SLACK_TOKEN="xoxb-bench")
        port = free_port()
        log = open(os.path.join(folder, "server.log"), "w")
        process = subprocess.Popen([server, "--port", str(port), "--nudge-every", "0"], env=env, stdout=log, stderr=log)
        try:
            wait_healthy(port)

            def event(person, index, text):
                body = json.dumps({
                    "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "type": "event_callback",
                    "event_id": f"Ev{person:04d}x{index:02d}", "event_time": int(time.time()),
                    "event": {"type": "message", "channel": f"D{person:06d}", "channel_type": "im", "user": f"U{person:06d}",
                              "text": text, "ts": f"{int(time.time())}.{index:06d}"},
                }).encode()
                stamp = str(int(time.time()))
                signature = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
                return (f"POST /v1/slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        f"X-Slack-Request-Timestamp: {stamp}\r\nX-Slack-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body

            async def drive(schedule):
                pool = asyncio.Queue()
                for _ in range(connections):
                    pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
                latencies, failures = [], []
                start = time.monotonic()

                async def send(due, request):
                    reader, writer = await pool.get()
                    try:
                        writer.write(request)
                        await writer.drain()
                        head = await reader.readuntil(b"\r\n\r\n")
                        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
                        await reader.readexactly(length)
                        latencies.append((time.monotonic() - (start + due)) * 1000)
                        if not head.startswith(b"HTTP/1.1 200"):
                            failures.append(head.split(b"\r\n")[0].decode())
                    finally:
                        pool.put_nowait((reader, writer))

                tasks = []
                for due, person, index, text in schedule:
                    delay = start + due - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    tasks.append(asyncio.ensure_future(send(due, event(person, index, text))))
                await asyncio.gather(*tasks)
                for _, writer in [pool.get_nowait() for _ in range(connections)]:
                    writer.close()
                return latencies, failures

            # Warm up with people of their own, then the measured run.
            asyncio.run(drive([(i / 50, 10_000 + i, 0, "help") for i in range(100)]))
            time.sleep(1)
            warm = slack.delivered()
            schedule = sorted((index + person / people, person, index, text) for person in range(people) for index, text in enumerate(messages[:seconds]))
            latencies, failures = asyncio.run(drive(schedule))
            sent = time.monotonic()
            expected = warm + len(schedule)
            deadline = time.monotonic() + 60
            while slack.delivered() < expected and time.monotonic() < deadline:
                time.sleep(0.1)
            drained = time.monotonic()
            delivered = slack.delivered() - warm
            busiest = 0
            closest = float("inf")
            for channel, times in list(slack.posts.items()):
                for i in range(len(times)):
                    busiest = max(busiest, sum(1 for t in times[i:] if t - times[i] < 1.0))
                    if i > 0:
                        closest = min(closest, times[i] - times[i - 1])
        finally:
            process.terminate()
            process.wait(timeout=10)
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    rate = len(schedule) / seconds
    print(f"rapport bench: Slack Events API, {people} people writing in their DMs once a second for {seconds} s ({rate:.0f} events/s, open-loop), one rapport serve on SQLite")
    print(f"  {'event acknowledged, p50 / p99':<40} {p50:>5.1f} / {p99:.1f} ms   target p99 <= 50 ms  {'ok' if p99 <= 50 and not failures else 'MISSED'}  (non-200 {len(failures)}{': ' + failures[0] if failures else ''})")
    print(f"  {'replies posted with chat.postMessage':<40} {delivered:>8} of {len(schedule)}   {'ok' if delivered == len(schedule) else 'MISSED'}  (the last {drained - sent:.1f} s after the last event)")
    print(f"  {'most posts to one DM in any second':<40} {busiest:>8}   Slack: about 1 a second per conversation  {'ok' if busiest <= 1 else 'MISSED'}  (closest two: {closest:.3f} s apart)")


def postgres_url(base, schema):
    return base + ("&" if "?" in base else "?") + "sslmode=disable&schema=" + schema


def psql(base, schema, sql, stdin=None):
    """Runs SQL on the bench's cluster (in `schema`), returning what psql prints unaligned."""
    env = dict(os.environ, PGTZ="UTC")
    if schema:
        env["PGOPTIONS"] = f"-c search_path={schema}"
    result = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", base.split("?")[0], "-c", sql],
                            input=stdin, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"psql failed: {result.stderr}")
    return result.stdout.strip()


FIRSTS = ("Anna Jan Eva Per Maria Lars Karin Olof Ingrid Nils Sofia Erik Lena Anders Malin Johan Sara Mikael Emma Henrik "
          "Agnieszka Piotr Katarzyna Tomasz Magdalena Paweł Joanna Krzysztof Ewa Marcin Mette Søren Hanne Jens Lotte Niels Pia Rasmus "
          "Camilla Mads Birgitta Gunnar Astrid Sven Elin Oskar Ida Viktor Hedda Axel").split()
LASTS = ("Berg Lind Kowalski Nowak Hansen Jensen Nielsen Larsen Wójcik Holm Andersson Johansson Karlsson Nilsson Eriksson Persson "
         "Svensson Gustafsson Pettersson Jonsson Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur "
         "Kwiatkowski Krawczyk Pedersen Christensen Sørensen Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen "
         "Lindqvist Sandberg Forsberg Sjöberg Wallin Engström Lundgren Bergström Nyström Hedlund").split()


def contact_name(index):
    """A name of its own for each index: first, middle and last names from the seeds' countries."""
    first = FIRSTS[index % len(FIRSTS)]
    middle = FIRSTS[(index // len(FIRSTS)) % len(FIRSTS)]
    last = LASTS[(index // len(FIRSTS) ** 2) % len(LASTS)]
    suffix = "" if index < len(FIRSTS) ** 2 * len(LASTS) else f" {index}"
    return f"{first} {middle} {last}{suffix}"


def fold(name):
    """rapport's name key (TextFolding.fold): lowercase, no diacritics, ł ø æ folded by hand."""
    import unicodedata
    lowered = name.lower()
    for letter, plain in {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss"}.items():
        lowered = lowered.replace(letter, plain)
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))


def stamp(days, hours=0):
    """A moment `days` (and hours) from the bench's now, 2026-11-23 09:00 UTC, as GRDB stores dates."""
    import datetime
    moment = datetime.datetime(2026, 11, 23, 9, 0, 0) + datetime.timedelta(days=days, hours=hours)
    return moment.strftime("%Y-%m-%d %H:%M:%S.000")


def growth_rows(size):
    """The rows of `size` contacts shaped as the issue says, by table, with their columns."""
    contacts, words, meetings, reflections, followups, interactions = [], [], [], [], [], []
    for index in range(size):
        cid = index + 1
        name = contact_name(index)
        key = fold(name)
        contacts.append((cid, "local", name, key, "partly", 1 + index % 12, "month", stamp(-200), stamp(-1 - index % 20), stamp(-300), stamp(-1)))
        words.extend((cid, "local", word) for word in sorted(set(key.split(" "))))
        past, ahead = 2 * cid - 1, 2 * cid
        meetings.append((past, cid, "local", stamp(-30 - index % 60), 1, f"An introduction to the CFO of firm {cid}", "reflected", stamp(-90)))
        meetings.append((ahead, cid, "local", stamp(2 + index % 360, 5), 1, f"A pilot with firm {cid}", "planned", stamp(-1)))
        reflections.append((past, "yes", "An introduction", stamp(-20), stamp(-20)))
        followups.append((cid, past, "local", "action", f"send the proposal to {name}", stamp(3 + index % 300), stamp(-20)))
        followups.append((cid, past, "local", "referral-feedback", f"recommended a builder to {name}", stamp(10 + index % 200), stamp(-20)))
        interactions.append((cid, "local", "note", "coffee at the fair", stamp(-1 - index % 20)))
    return [
        ("contacts", "id, owner, name, name_key, knows_what_i_do, keep_in_touch_amount, keep_in_touch_unit, keep_in_touch_since, last_interaction_at, created_at, updated_at", contacts),
        ("contact_words", "contact_id, owner, word", words),
        ("meetings", "id, contact_id, owner, starts_at, has_time, goal, status, created_at", meetings),
        ("reflections", "meeting_id, goal_reached, outcome, created_at, updated_at", reflections),
        ("followups", "contact_id, meeting_id, owner, kind, text, due_at, created_at", followups),
        ("interactions", "contact_id, owner, kind, note, at", interactions),
    ]


def grow(store, size):
    """Writes `size` contacts through SQL into a migrated SQLite store."""
    db = sqlite3.connect(store)
    for table, columns, rows in growth_rows(size):
        marks = ", ".join("?" for _ in columns.split(","))
        db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    db.execute("DELETE FROM meta WHERE key = 'plan_fingerprint'")  # written behind the store's back: plan it all once
    db.commit()
    db.close()


def grow_postgres(base, schema, size):
    """The same rows into a migrated PostgreSQL store, with COPY."""
    for table, columns, rows in growth_rows(size):
        text = "".join("\t".join(str(value) for value in row) + "\n" for row in rows)
        psql(base, schema, f"COPY {table} ({columns}) FROM STDIN", stdin=text)
    for table in ("contacts", "meetings", "reflections", "followups", "interactions"):
        psql(base, schema, f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    psql(base, schema, "DELETE FROM meta WHERE key = 'plan_fingerprint'; ANALYZE")


def timed(binary, arguments, env, runs, each=None):
    """The median wall time of `runs` runs of rapport with `arguments` (or `each(run)`'s)."""
    times = []
    for run in range(runs):
        args = each(run) if each else arguments
        start = time.perf_counter()
        result = subprocess.run([binary] + args, env=env, stdin=subprocess.DEVNULL, capture_output=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"rapport {' '.join(args)} failed:\n{result.stdout.decode()}{result.stderr.decode()}")
    return statistics.median(times) * 1000


def finishing_chat_turns(binary, env, users=15):
    """Drives `users` preps through rapport serve and times each one's last, finishing turn."""
    import http.client, json
    server = os.path.join(os.path.dirname(binary), "rapport-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--nudge-every", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        connection = http.client.HTTPConnection("127.0.0.1", port)
        def say(user, text):
            body = json.dumps({"user": user, "text": text})
            start = time.perf_counter()
            connection.request("POST", "/v1/chat", body, {"Authorization": "Bearer bench-token", "Content-Type": "application/json"})
            reply = connection.getresponse().read().decode()
            return time.perf_counter() - start, reply
        answers = ["prep Growth Person", "tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network",
                   "yes", "A speaker for her network", "Who decides on the pilot budget?"]
        finishing = []
        for user in range(users):
            for text in answers[:-1]:
                say(f"grow{user}", text)
            elapsed, reply = say(f"grow{user}", answers[-1])
            if "Prep card" not in reply:
                raise SystemExit(f"the finishing chat turn did not finish the prep: {reply}")
            finishing.append(elapsed)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return statistics.median(finishing) * 1000


def growth_bench(binary, postgres=None):
    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "100,10000,100000").split(",")]
    runs = int(os.environ.get("BENCH_GROWTH_RUNS", "15"))
    serve = os.path.exists(os.path.join(os.path.dirname(binary), "rapport-server"))
    names = ["log", "done", "followups --due", "home", "nudge --dry-run (nothing due)", "prep to first question", "chat turn that finishes a prep"]
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="rapport-bench-growth-") as folder:
            config = os.path.join(folder, "config.yaml")
            with open(config, "w") as file:
                file.write("destinations:\n  team: { kind: generic, url: 'http://127.0.0.1:9/hook' }\n"
                           "nudges:\n  destination: team\n  routes: { digest: none }\n"
                           "server:\n  token: env:BENCH_TOKEN\n  allow_anyone: true\n")
            env = dict(environment(folder), RAPPORT_CONFIG=config, BENCH_TOKEN="bench-token", RAPPORT_NOW="2026-11-23T10:00:00+01:00")
            schema = f"bench_growth_{os.getpid()}_{size}"
            if postgres:
                env["RAPPORT_STORE"] = postgres_url(postgres, schema)
            subprocess.run([binary, "meetings"], env=env, check=True, stdout=subprocess.DEVNULL)
            started = time.perf_counter()
            if postgres:
                grow_postgres(postgres, schema, size)
            else:
                grow(env["RAPPORT_STORE"], size)
            written = time.perf_counter() - started
            started = time.perf_counter()
            subprocess.run([binary, "meetings", "--limit", "1"], env=env, check=True, stdout=subprocess.DEVNULL)
            planned = time.perf_counter() - started
            if postgres:
                waiting = int(psql(postgres, schema, "SELECT count(*) FROM outbox WHERE status = 'pending'"))
            else:
                waiting = sqlite3.connect(env["RAPPORT_STORE"]).execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
            for _ in range(2):  # warm the page cache
                timed(binary, ["followups", "--due"], env, 1)
            figures = [
                timed(binary, None, env, runs, lambda run: ["log", contact_name(run * 7 % size), "called about the pilot"]),
                timed(binary, None, env, runs, lambda run: ["done", str(2 * (run * 5 % size) + 1)]),
                timed(binary, ["followups", "--due"], env, runs),
                timed(binary, [], env, runs),
                timed(binary, ["nudge", "--dry-run"], env, runs),
                statistics.median(first_question(binary, env)[0] for _ in range(runs)) * 1000,
                finishing_chat_turns(binary, env) if serve else None,
            ]
            results[size] = figures
            if postgres:
                psql(postgres, None, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            print(f"  ({size:,} contacts: written in {written:.1f} s; first open planned {waiting:,} waiting nudges in {planned:.1f} s)")
    smallest, largest = sizes[0], sizes[-1]
    where = "PostgreSQL on 127.0.0.1 (each command hands over to rapport-server)" if postgres else "SQLite store on disk"
    print(f"rapport bench: command cost as the store grows (median of {runs} runs, release build, {where})")
    print("  " + f"{'':<34}" + "".join(f"{size:>12,}" for size in sizes) + "   target")
    for row, name in enumerate(names):
        values = [results[size][row] for size in sizes]
        if any(value is None for value in values):
            print(f"  {name:<34} skipped (needs rapport-server)")
            continue
        ratio = values[-1] / values[0]
        # The absolute figures are the SQLite store's; on PostgreSQL the cost must only not grow.
        limit = None if postgres else {"log": 25, "done": 25, "home": 30, "chat turn that finishes a prep": 10}.get(name)
        ok = ratio <= 1.5 and (limit is None or values[-1] <= limit)
        target = f"<= 1.5x of {smallest:,}" + (f", <= {limit} ms" if limit else "")
        print(f"  {name:<34}" + "".join(f"{value:>9.1f} ms" for value in values) + f"   {target}: {ratio:.2f}x {'ok' if ok else 'MISSED'}")


def calendar_feed(path, events=2000, target_bytes=5 * 1024 * 1024):
    """A feed like a busy work calendar's export, deterministic: 2,000 VEVENTs, a third recurring."""
    import random
    rng = random.Random(14)
    zones = ["Europe/Stockholm", "America/New_York", "W. Europe Standard Time"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rapport bench//EN", "X-WR-CALNAME:ada@firma.se"]
    lines += ["BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD", "DTSTART:16010101T030000", "TZOFFSETFROM:+0200",
              "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:16010101T020000",
              "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "END:DAYLIGHT", "END:VTIMEZONE"]
    words = "pipeline review pricing pilot budget renewal quarterly roadmap intro partner onboarding workshop demo contract".split()
    per_event = target_bytes // events
    rules = ["FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU", "FREQ=MONTHLY;BYDAY=2WE", "FREQ=MONTHLY;BYDAY=-1FR",
             "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1TH", "FREQ=WEEKLY;COUNT=400;BYDAY=FR"]
    for index in range(events):
        recurring = index % 3 == 0
        year = rng.randint(2019, 2026) if recurring else 2026
        month = rng.randint(1, 12) if recurring else rng.choice([3, 4])
        day, hour = rng.randint(1, 28), rng.randint(8, 17)
        zone = zones[index % 3]
        start = f"{year:04d}{month:02d}{day:02d}T{hour:02d}{rng.choice(['00', '30'])}00"
        event = ["BEGIN:VEVENT", f"UID:bench-{index}@rapport", "DTSTAMP:20260301T000000Z", f'DTSTART;TZID="{zone}":{start}',
                 f'DTEND;TZID="{zone}":{start[:9]}{hour + 1:02d}{start[11:]}', f"SUMMARY:{' '.join(rng.sample(words, 3)).capitalize()}",
                 "ORGANIZER;CN=Ada Lovelace:mailto:ada@firma.se"]
        for guest in range(rng.randint(3, 9)):
            event.append(f'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN="Guest {index}-{guest}";X-NUM-GUESTS=0:mailto:guest{index}.{guest}@customer{index % 50}.example')
        if recurring:
            event.append("RRULE:" + rules[index % len(rules)])
            if index % 5 == 0:
                event.append(f'EXDATE;TZID="{zone}":2026032{rng.randint(3, 6)}T{hour:02d}0000')
        body = len("\r\n".join(event)) + 40
        filler = ("Join the meeting: https://teams.example/l/meetup-join/" + "x" * 40 + "\\n" + " ".join(rng.choice(words) for _ in range(12)) + "\\, ")
        description = (filler * (max(0, per_event - body) // len(filler) + 1))[: max(0, per_event - body)]
        event.append("DESCRIPTION:" + description)
        event.append("END:VEVENT")
        lines += event
        if recurring and index % 7 == 0:  # a moved instance
            lines += ["BEGIN:VEVENT", f"UID:bench-{index}@rapport", f'RECURRENCE-ID;TZID="{zone}":{start}', f'DTSTART;TZID="{zone}":{start[:9]}{min(hour + 2, 20):02d}0000',
                      "DURATION:PT1H", "SUMMARY:Moved", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    folded = []
    for line in lines:
        while len(line) > 75:
            folded.append(line[:75])
            line = " " + line[75:]
        folded.append(line)
    with open(path, "w") as out:
        out.write("\r\n".join(folded) + "\r\n")
    return os.path.getsize(path)


def calendar_bench(binary):
    with tempfile.TemporaryDirectory(prefix="rapport-bench-calendar-") as folder:
        env = environment(folder)
        feed = os.path.join(folder, "work.ics")
        size = calendar_feed(feed)
        command = [binary, "calendar", "parse", feed, "--timing", "--from", "2026-03-23T00:00:00Z", "--days", "14"]
        inside, whole, peaks, report = [], [], [], ""
        for run in range(RUNS + 2):
            code, out, peak, elapsed = run_measured(command, env)
            if code != 0 or "in all" not in out:
                raise SystemExit("rapport calendar parse failed:\n" + out)
            if run < 2:
                continue  # the page cache
            report = out.strip()
            inside.append(float(re.search(r"([0-9.]+) ms in all", out).group(1)))
            whole.append(elapsed * 1000)
            peaks.append(peak)
    parse_ms = statistics.median(inside)
    peak_mb = max(peaks)
    print(f"rapport bench: calendar, {size / 1024 / 1024:.1f} MB feed, 2000 events (a third recurring), two-week window; rapport calendar parse --timing, {RUNS} runs")
    print(f"  {'parse and expand (median)':<40} {parse_ms:>8.1f} ms   target <= 100 ms  {'ok' if parse_ms <= 100 else 'MISSED'}  (whole process {statistics.median(whole):.1f} ms)")
    print(f"  {'peak memory (max RSS)':<40} {peak_mb:>8.1f} MB   target <= 40 MB   {'ok' if peak_mb <= 40 else 'MISSED'}")
    print(f"  ({report})")


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/rapport")
    if wanted("core"):
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

    if wanted("nudge"):
        rate, elapsed, peak = nudge_bench(binary)
        print(f"rapport bench: 1000 due nudges, one rapport nudge run, generic webhook on 127.0.0.1")
        print(f"  {'messages per second':<40} {rate:>8.0f}/s   target >= 1000/s  {'ok' if rate >= 1000 else 'MISSED'}  ({elapsed * 1000:.0f} ms in all)")
        print(f"  {'peak memory (max RSS of the bench children)':<40} {peak:>8.1f} MB  target <= 40 MB   {'ok' if peak <= 40 else 'MISSED'}")

    if wanted("calendar"):
        calendar_bench(binary)
    postgres = os.environ.get("RAPPORT_TEST_POSTGRES_URL")
    if wanted("serve"):
        serve_bench(binary)
        if postgres:
            serve_bench(binary, postgres, replicas=1)
            serve_bench(binary, postgres, replicas=2)
        else:
            print("rapport bench: PostgreSQL skipped (make bench runs it with a throw-away cluster: scripts/with-postgres.sh)")
    if wanted("events"):
        slack_events_bench(binary)
    if wanted("growth"):
        growth_bench(binary)
        if postgres:
            growth_bench(binary, postgres)


if __name__ == "__main__":
    main()
