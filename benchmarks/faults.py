"""Load and fault probes of issue 15, against 127.0.0.1 only, bounded in count
and time; prints one table row per probe.

    python benchmarks/faults.py            # every probe (~2 minutes on 2 cores)
    python benchmarks/faults.py --only serve   # the endpoint probes only
    python benchmarks/faults.py --only build   # the build probes only

The seed graph is built into a temporary folder first (seeds/ of the
repository). The endpoint runs as ``python -m kgraph serve`` in a subprocess,
with ``--timeout 3`` so that the probes of the time limit stay short. The
disk-full probe mounts a 64 KB tmpfs in a user namespace (``unshare -rm``);
where that is not allowed it says so and is left out.

Targets: 8 concurrent clients x 100 queries with no error and p99 under
50 ms; a new client answered within 1 s while 2,000 idle connections are
open. Exit status 1 if any probe or target fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PY = sys.executable
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
TIMEOUT = 3  # --timeout of the probed endpoint

DEEP = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
CRASH = "SELECT (" + "+".join(["1"] * 15000) + " AS ?x) {}"
CROSS = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"
ASK = "ASK { ?s ?p ?o }"

ROWS: list[tuple[str, str, bool]] = []


def row(probe: str, result: str, ok: bool) -> None:
    ROWS.append((probe, result, ok))
    print(f"{'ok  ' if ok else 'FAIL'} {probe}: {result}", file=sys.stderr, flush=True)


def kgraph(*args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "kgraph", *args], capture_output=True, text=True, timeout=timeout,
                          env=ENV, cwd=kwargs.pop("cwd", None), **kwargs)


# --- the endpoint -----------------------------------------------------------


class Server:
    def __init__(self, graph: Path, *extra: str) -> None:
        self.proc = subprocess.Popen([PY, "-m", "kgraph", "serve", str(graph), "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        line = self.proc.stdout.readline()
        if "SPARQL endpoint" not in line:
            raise SystemExit(f"the endpoint did not start: {line}{self.proc.stderr.read()}")
        self.url = line.split(": ", 1)[1].split("/query")[0]
        self.port = int(self.url.rsplit(":", 1)[1])
        self.token = None
        if "--writable" in extra:
            self.token = self.proc.stdout.readline().split()[2]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def query(self, text: str, headers: dict | None = None, timeout: float = 30):
        return self.request("GET", "/query?" + urllib.parse.urlencode({"query": text}), headers=headers,
                            timeout=timeout)

    def alive(self) -> bool:
        try:
            status, _, body = self.query(ASK, timeout=10)
        except OSError:
            return False
        return status == 200 and json.loads(body)["boolean"] is True and self.proc.poll() is None

    def tree(self) -> list[int]:
        """The server's pid and its descendants' (workers under the forkserver)."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += children.get(pid, [])
        return found

    def memory_mb(self) -> float:
        total = 0
        for pid in self.tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
            except OSError:
                pass
        return total / ticks

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def probe_deep(server: Server, graph: Path, tmp: Path) -> None:
    status, _, body = server.query(DEEP)
    size = len(urllib.parse.urlencode({"query": DEEP}))
    row(f"GET of {size / 1000:.0f} KB, 3,000 nested braces",
        f"HTTP {status} '{body.decode().strip()[:70]}…'; server alive: {server.alive()}",
        status == 400 and server.alive())
    query_file = tmp / "deep.rq"
    query_file.write_text(DEEP)
    done = kgraph("query", str(graph), "--file", str(query_file))
    row("kgraph query --file deep.rq", f"exit {done.returncode}: {done.stderr.strip()[:80]}…",
        done.returncode == 1 and done.stderr.startswith("Error: query nested too deeply"))
    status, _, body = server.request("POST", "/query", CRASH.encode(), {"Content-Type": "application/sparql-query"})
    row("a query that crashes the engine (15,000 chained '+', SIGSEGV)",
        f"HTTP {status} '{body.decode().strip()}'; server alive: {server.alive()}",
        status == 500 and server.alive())
    query_file.write_text(CRASH)
    done = kgraph("query", str(graph), "--file", str(query_file))
    row("kgraph query --file crash.rq", f"exit {done.returncode}: {done.stderr.strip()}",
        done.returncode == 1 and "crashed" in done.stderr)


def probe_unbounded(server: Server) -> None:
    before = server.memory_mb()
    start = time.monotonic()
    status, _, body = server.query(CROSS)
    took = time.monotonic() - start
    row("SELECT * over a 3-way cross product",
        f"HTTP {status} in {took:.1f} s '{body.decode().strip()[:60]}…'; memory {before:.0f} -> {server.memory_mb():.0f} MB",
        status == 503 and server.alive())
    start = time.monotonic()
    status, _, body = server.query(CROSS + " ORDER BY ?a ?i LIMIT 1")
    took = time.monotonic() - start
    row("its ORDER BY form (--max-memory 1024)",
        f"HTTP {status} in {took:.1f} s '{body.decode().strip()[:60]}…'; memory after {server.memory_mb():.0f} MB",
        status == 503 and server.alive())
    start = time.monotonic()
    status, _, body = server.query(CROSS_COUNT)
    took = time.monotonic() - start
    row(f"its COUNT form (--timeout {TIMEOUT})", f"HTTP {status} after {took:.1f} s '{body.decode().strip()[:50]}…'",
        status == 503 and took < TIMEOUT + 2 and server.alive())
    # a client that leaves: its worker is killed at once, not at the limit
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(("GET /query?" + urllib.parse.urlencode({"query": CROSS_COUNT}) + " HTTP/1.1\r\n"
                  f"Host: 127.0.0.1:{server.port}\r\n\r\n").encode())
    time.sleep(0.5)
    sock.close()
    time.sleep(0.5)
    cpu = server.cpu_seconds()
    time.sleep(1.0)
    burnt = server.cpu_seconds() - cpu
    row("the client leaves after 0.5 s", f"CPU used by the server in the next second: {burnt:.2f} s; "
        f"memory {server.memory_mb():.0f} MB", burnt < 0.5 and server.alive())


def probe_service(server: Server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    start = time.monotonic()
    status, _, body = server.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
    took = time.monotonic() - start
    try:
        listener.accept()[0].close()
        called = True
    except OSError:
        called = False
    listener.close()
    row("SERVICE <http://127.0.0.1:PORT/x> (a host that never answers)",
        f"HTTP {status} in {took * 1000:.0f} ms '{body.decode().strip()[:60]}…'; the server called it: {called}",
        status == 403 and not called)


def probe_cors(server: Server, writable: Server) -> None:
    evil = {"Origin": "https://evil.example"}
    status, headers, _ = server.query(ASK, evil)
    acao = headers.get("access-control-allow-origin")
    row("Origin: https://evil.example", f"HTTP {status}, Access-Control-Allow-Origin: {acao}", acao is None)
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    status, _, body = writable.request("POST", "/update", form, {
        "Content-Type": "application/x-www-form-urlencoded", **evil})
    intact = writable.alive()
    row("--writable: cross-site form POST of DROP ALL", f"HTTP {status} '{body.decode().strip()}'; graph intact: {intact}",
        status == 403 and intact)
    status, _, body = writable.request("POST", "/update", b"DROP ALL", {"Content-Type": "application/sparql-update"})
    row("--writable: DROP ALL without the token", f"HTTP {status}; graph intact: {writable.alive()}",
        status == 401 and writable.alive())
    status, _, body = server.request("GET", "/query?query=ASK%7B%7D", headers={"Host": "evil.example"})
    row("Host: evil.example (DNS rebinding)", f"HTTP {status} '{body.decode().strip()}'", status == 421)


def probe_connections(server: Server) -> None:
    idle = []
    try:
        for _ in range(2000):
            idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        start = time.monotonic()
        status, _, _ = server.query(ASK, timeout=10)
        took = time.monotonic() - start
        row("a new client right behind 2,000 connects (the server still accepting them)",
            f"HTTP {status} in {took * 1000:.0f} ms", status == 200 and took < 1.0)
        time.sleep(1.0)
        start = time.monotonic()
        status, _, _ = server.query(ASK, timeout=10)
        took = time.monotonic() - start
        row("2,000 idle connections open, then a new client", f"HTTP {status} in {took * 1000:.0f} ms",
            status == 200 and took < 1.0)
        time.sleep(5.5)  # the idle timeout is 5 s
        closed = 0
        for sock in idle:
            sock.setblocking(False)
            try:
                closed += sock.recv(1) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        row("the 2,000 idle connections 6.5 s later", f"{closed} closed by the server", closed == len(idle))
    finally:
        for sock in idle:
            sock.close()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        start = time.monotonic()
        sock.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                     "Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK {".encode())
        answer = sock.recv(65536)
        took = time.monotonic() - start
    status = answer.split(b" ", 2)[1].decode() if answer else "none"
    row("a body shorter than its Content-Length", f"HTTP {status} after {took:.1f} s", status == "408")


LOOKUP = ("SELECT ?id WHERE { ?s a <https://kgraph.example.org/ontology#State> ; "
          "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id")


def load(server: Server, clients: int = 8, queries: int = 100, *, target_ms: float | None = 50,
         lookup: bool = False) -> None:
    sys.path.insert(0, str(ROOT))
    from kgraph.query import example_queries

    texts = [LOOKUP] if lookup else [q.text for q in example_queries().values()]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine, bad = [], []
        for i in range(queries):
            text = texts[(number + i) % len(texts)]
            start = time.perf_counter()
            try:
                conn.request("POST", "/query", text.encode(), {"Content-Type": "application/sparql-query"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(f"HTTP {response.status}")
            except (OSError, http.client.HTTPException) as err:
                bad.append(type(err).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - start
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    what = "state-list lookups" if lookup else "example queries"
    row(f"{clients} clients x {queries} {what} on the seed graph",
        f"{len(errors)} errors, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {len(latencies) / took:.0f} queries/s "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        not errors and (target_ms is None or p99 < target_ms))


def serve_probes(graph: Path, tmp: Path) -> None:
    server = Server(graph, "--timeout", str(TIMEOUT), "--max-rows", "10000", "--max-memory", "1024")
    writable = Server(graph, "--writable")
    try:
        load(server)
        load(server, lookup=True)  # the same with a small query: the server's own share
        load(server, 64, 10, target_ms=None)  # the old listen queue of 5 reset connections at 16 clients
        probe_deep(server, graph, tmp)
        probe_unbounded(server)
        probe_service(server)
        probe_cors(server, writable)
        probe_connections(server)
        row("the endpoint after every probe", f"alive: {server.alive()}", server.alive())
    finally:
        server.stop()
        writable.stop()


# --- the build ----------------------------------------------------------------


def build_probes(tmp: Path) -> None:
    one = SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]
    text = one.read_text(encoding="utf-8")

    folder = tmp / "jsonl"
    folder.mkdir()
    records = [json.dumps({"id": "a1", "text": text}),
               '{"id": ' + "9" * 5000 + ', "text": "France met Germany."}',
               json.dumps({"id": "a3", "text": text})]
    (folder / "a.jsonl").write_text("\n".join(records) + "\n")
    (folder / "b.txt").write_text(text)
    done = kgraph("build", str(folder), "-o", str(tmp / "out1"))
    errors = (tmp / "out1" / "errors.jsonl").read_text().splitlines() if (tmp / "out1" / "errors.jsonl").exists() else []
    row("a JSONL line whose id is a 5,000-digit integer",
        f"exit {done.returncode}; '{done.stdout.splitlines()[0] if done.stdout else ''}'; errors.jsonl: {len(errors)} line",
        done.returncode == 3 and "3 kept, 1 skipped" in done.stdout and len(errors) == 1)

    start = time.monotonic()
    two = kgraph("build", str(one), "-o", str(tmp / "out2"), "-j", "2", "--model", "no_such_model", timeout=120)
    took = time.monotonic() - start
    single = kgraph("build", str(one), "-o", str(tmp / "out2"), "--model", "no_such_model", timeout=120)
    row("kgraph build -j 2 --model no_such_model",
        f"exit {two.returncode} after {took:.1f} s; same error as -j 1: {two.stderr == single.stderr}",
        two.returncode == 1 and two.stderr == single.stderr)

    actors = tmp / "actors.tsv"
    actors.write_text("pattern\tid\tlabel\ttype\tcountry\tsector\nWagner\tRUS.GRP.wagner\tWagner\x07Group\tgroup\tRUS\tMIL\n")
    done = kgraph("build", str(one), "-o", str(tmp / "out3"), "--actors", str(actors))
    row("a control character in an --actors label", f"exit {done.returncode}: {done.stderr.strip()}",
        done.returncode == 1 and done.stderr.startswith(f"Error: {actors}:2: control character"))

    links = tmp / "links"
    links.mkdir()
    (links / "a.txt").write_text(text)
    (links / "dangling.txt").symlink_to(links / "nowhere.txt")
    (links / "loop1.txt").symlink_to(links / "loop2.txt")
    (links / "loop2.txt").symlink_to(links / "loop1.txt")
    done = kgraph("build", str(links), "-o", str(tmp / "out4"))
    listed = [json.loads(line)["reason"] for line in (tmp / "out4" / "errors.jsonl").read_text().splitlines()]
    row("a dangling link, a symlink loop", f"exit {done.returncode}; errors.jsonl: {listed}",
        done.returncode == 3 and listed == ["dangling symbolic link", "symbolic link loop", "symbolic link loop"])
    vanished = vanish_probe(tmp, text)
    row("a file deleted during the run", vanished[0], vanished[1])

    disk_full(tmp, one)

    nested = tmp / "nested"
    nested.mkdir()
    (nested / "a.txt").write_text(text)
    (nested / "empty.txt").write_text("")
    first = kgraph("build", str(nested), "-o", str(nested / "out"))
    size1 = (nested / "out" / "errors.jsonl").read_text().count("\n")
    second = kgraph("build", str(nested), "-o", str(nested / "out"))
    size2 = (nested / "out" / "errors.jsonl").read_text().count("\n")
    row("output folder inside the input folder, built twice",
        f"errors.jsonl {size1} -> {size2} lines; '{second.stdout.splitlines()[0]}'",
        size1 == size2 == 1 and first.stdout.splitlines()[0] == second.stdout.splitlines()[0])

    resume(tmp)


def vanish_probe(tmp: Path, text: str) -> tuple[str, bool]:
    code = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from kgraph.ingest import read_articles\n"
        "folder = Path(sys.argv[1]); skipped = []\n"
        "articles = read_articles([folder], on_error=skipped.append)\n"
        "first = next(articles).id\n"
        "(folder / 'b.txt').unlink()\n"
        "print(json.dumps([first] + [a.id for a in articles] + [s.reason for s in skipped]))\n"
    )
    folder = tmp / "vanish"
    folder.mkdir()
    for name in "abc":
        (folder / f"{name}.txt").write_text(text)
    done = subprocess.run([PY, "-c", code, str(folder)], capture_output=True, text=True, env=ENV, timeout=120)
    seen = json.loads(done.stdout) if done.returncode == 0 else done.stderr
    return f"read: {seen}", seen == ["a", "c", "the file vanished while the run read it"]


def disk_full(tmp: Path, one: Path) -> None:
    mount = tmp / "full"
    mount.mkdir()
    script = (f"mount -t tmpfs -o size=64k tmpfs {mount} && "
              f"{PY} -m kgraph build {one} -o {mount}/out --no-cache; echo \"exit $?\"")
    try:
        done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                              env=ENV, timeout=300)
    except FileNotFoundError:
        row("disk full while writing outputs", "left out: no unshare here", True)
        return
    if "exit" not in done.stdout:
        row("disk full while writing outputs", f"left out: cannot mount a tmpfs ({done.stderr.strip()[:60]})", True)
        return
    code = done.stdout.split("exit ")[-1].strip()
    error = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    row("disk full while writing outputs (64 KB tmpfs)", f"exit {code}: {error}",
        code == "1" and error.startswith("Error: no space left writing ") and "Traceback" not in done.stderr)


def resume(tmp: Path) -> None:
    sentences = [line for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text().splitlines() if len(line) > 60]
    corpus = tmp / "corpus.jsonl"
    with corpus.open("w") as handle:
        for i in range(300):
            handle.write(json.dumps({"id": f"d{i}", "text": sentences[i % len(sentences)] + f" ({i})"}) + "\n")
    out = tmp / "out5"
    proc = subprocess.Popen([PY, "-m", "kgraph", "build", str(corpus), "-o", str(out), "-v"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    done = 0
    for line in proc.stderr:
        if line.startswith("d") and ": " in line and line.rstrip().endswith("events"):
            done += 1
            if done == 256:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait()
    import sqlite3

    cache = out / "kgraph-cache.sqlite"
    with sqlite3.connect(cache) as db:
        kept = db.execute("SELECT count(*) FROM extractions").fetchone()[0]
    row("SIGKILL at 256 of 300 documents", f"{kept} documents in the cache for the rerun", kept >= 256 - 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["serve", "build"])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kgraph-faults-"))
    try:
        if args.only != "build":
            graph = tmp / "seed-graph"
            built = kgraph("build", str(SEEDS), "-o", str(graph), "-q")
            if built.returncode != 0:
                raise SystemExit(f"cannot build the seed graph: {built.stderr}")
            serve_probes(graph, tmp)
        if args.only != "serve":
            build_probes(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(p) for p, _, _ in ROWS)
    print(f"| {'probe'.ljust(width)} | result | holds |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for probe, result, ok in ROWS:
        print(f"| {probe.ljust(width)} | {result.replace('|', '/')} | {'yes' if ok else 'NO'} |")
    return 0 if all(ok for _, _, ok in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
