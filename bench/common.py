"""Shared helpers of the benchmarks: the app on DATABASE_URL (or a temporary SQLite file), statistics, the
``RESULT`` line, a gunicorn launcher and a small keep-alive HTTP load generator (pure Python, asyncio).

Every ``bench/bench_<name>.py`` can use it after ``sys.path.insert(0, <repo root>)``::

    from bench.common import make_app, figure, emit, median_spread
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: A fixed key for benchmark servers, so every gunicorn worker and instance signs and checks alike.
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789"


# --- database and app -----------------------------------------------------------------------------

_TEMP_DIRS: list[tempfile.TemporaryDirectory] = []


def temp_dir(prefix: str = "eventapp-bench-") -> Path:
    """A temporary folder removed when the process exits."""
    tmp = tempfile.TemporaryDirectory(prefix=prefix)
    _TEMP_DIRS.append(tmp)
    return Path(tmp.name)


def database_url() -> str:
    """DATABASE_URL as SQLAlchemy wants it, or a new temporary SQLite file (the embedded default)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(temp_dir() / "bench.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def make_app(url: str | None = None, **config):
    """The application on ``url`` (default: :func:`database_url`), schema made by the migrations."""
    os.environ.setdefault("INSTANCE_PATH", str(temp_dir("eventapp-bench-instance-")))
    from flask_migrate import upgrade

    from eventapp import create_app

    settings = {
        "SECRET_KEY": BENCH_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": url or database_url(),
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(temp_dir("eventapp-bench-uploads-")),
        "BACKUP_FOLDER": str(temp_dir("eventapp-bench-backups-")),
        "MAIL_PORT": 1,
    }
    settings.update(config)
    app = create_app(settings)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def server_env(url: str, **extra: str) -> dict[str, str]:
    """Environment for a gunicorn serving ``eventapp.wsgi:app`` on ``url``."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": BENCH_SECRET_KEY,
            "SESSION_COOKIE_SECURE": "0",
            "INSTANCE_PATH": os.environ.get("INSTANCE_PATH") or str(temp_dir("eventapp-bench-instance-")),
            "MAIL_PORT": "1",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
    )
    env.update(extra)
    return env


# --- statistics and the RESULT line ---------------------------------------------------------------

def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100), by linear interpolation."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median_spread(samples: list[float], digits: int = 1, unit: str = "") -> tuple[float, str]:
    """The median and a spread string "IQR a–b, min–max c–d"."""
    med = statistics.median(samples)
    q1, q3 = percentile(samples, 25), percentile(samples, 75)
    fmt = f"{{:.{digits}f}}"
    u = f" {unit}" if unit else ""
    spread = (f"IQR {fmt.format(q1)}–{fmt.format(q3)}{u}, min–max {fmt.format(min(samples))}–"
              f"{fmt.format(max(samples))}{u}, n={len(samples)}")
    return round(med, digits + 2), spread


def figure(name: str, value: float | None, unit: str, target: str, ok: bool, spread: str = "") -> dict:
    return {"figure": name, "value": value, "unit": unit, "target": target, "ok": bool(ok), "spread": spread}


def emit(figures: list[dict]) -> None:
    """The last line of every benchmark: ``RESULT <json list of figures>``."""
    sys.stdout.flush()
    print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)


def say(*args) -> None:
    print(*args, flush=True)


# --- gunicorn -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


@dataclass
class Server:
    """A gunicorn serving ``app_spec`` on a loopback port."""

    app_spec: str
    env: dict[str, str]
    workers: int = 2
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path | None = None
    extra_args: list[str] = field(default_factory=list)

    def start(self) -> Server:
        self.port = self.port or free_port()
        self.log = temp_dir("eventapp-bench-gunicorn-") / "gunicorn.log"
        cmd = [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
               "--log-level", "warning", *self.extra_args, self.app_spec]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=str(ROOT), stdout=subprocess.DEVNULL,
                                     stderr=open(self.log, "w"), start_new_session=True)  # noqa: SIM115
        wait_for_port(self.port, self.proc)
        # Wait until every worker has booted (imported the app), so a run does not time the boot.
        deadline = time.monotonic() + 30
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker, in MB (from /proc/<pid>/status)."""
        sizes = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return sizes

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:]) if self.log else ""
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


@contextmanager
def serving(app_spec: str, env: dict[str, str], workers: int = 2, **kwargs):
    server = Server(app_spec, env, workers, **kwargs).start()
    try:
        yield server
    finally:
        server.stop()


# --- a keep-alive HTTP/1.1 load generator ---------------------------------------------------------

@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]
    error_samples: list[str]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies_ms, 99)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        body = bytearray()
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        return status, close, bytes(body)
    return status, close, (await reader.readexactly(length) if length else b"")


async def _client(port: int, requests: list[bytes], start: int, deadline: float, limit: int | None,
                  result: dict, ok_statuses: set[int], unique: bool = False) -> None:
    reader = writer = None
    i = start
    while time.perf_counter() < deadline and (limit is None or result["count"] < limit):
        if limit is not None:
            result["count"] += 1
        if unique:  # each request is sent once, by whichever connection is free
            if result["next"] >= len(requests):
                break
            i = result["next"]
            result["next"] += 1
        request = requests[i % len(requests)]
        i += 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, close, _ = await _read_response(reader)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            result["errors"] += 1
            if len(result["samples"]) < 5:
                result["samples"].append(f"{type(exc).__name__}: {exc}")
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        result["latencies"].append((time.perf_counter() - t0) * 1000)
        result["statuses"][status] = result["statuses"].get(status, 0) + 1
        if status not in ok_statuses:
            result["errors"] += 1
            if len(result["samples"]) < 5:
                result["samples"].append(f"HTTP {status} for {request.split(b' ')[1].decode()[:80]}")
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def load(port: int | list[int], paths: list[str], *, connections: int = 8, duration: float = 5.0,
         count: int | None = None, headers: dict[str, str] | None = None,
         ok_statuses: frozenset[int] = frozenset({200}), vary_ip: int = 0,
         raw_requests: list[bytes] | None = None) -> LoadResult:
    """GET ``paths`` (cycled) over ``connections`` keep-alive connections for ``duration`` seconds (or until
    ``count`` requests), spread over one or several ports. Reconnects when the server closes (gunicorn's
    sync workers close after each response). Any status outside ``ok_statuses`` counts as an error.
    ``vary_ip=N`` sends each request with an ``X-Forwarded-For`` from N distinct client addresses (for an app
    behind a proxy, PROXY_COUNT=1, whose per-address rate limits then apply as to N real clients).
    ``raw_requests`` (one port only): complete HTTP/1.1 requests (see :func:`post_json`), each sent exactly
    once, in order, until they run out or the time is up."""
    ports = port if isinstance(port, list) else [port]
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    n = max(len(paths), vary_ip)

    def request(p: int, k: int) -> bytes:
        forwarded = f"X-Forwarded-For: 10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}\r\n" if vary_ip else ""
        return (f"GET {paths[k % len(paths)]} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nUser-Agent: eventapp-bench\r\n"
                f"{forwarded}{extra}\r\n").encode()

    per_port = {p: raw_requests or [request(p, k) for k in range(n)] for p in ports}
    result = {"count": 0, "next": 0, "errors": 0, "latencies": [], "statuses": {}, "samples": []}

    async def main() -> float:
        t0 = time.perf_counter()
        deadline = t0 + duration
        await asyncio.gather(*(
            _client(ports[c % len(ports)], per_port[ports[c % len(ports)]], c * 7919, deadline, count, result,
                    set(ok_statuses), unique=raw_requests is not None)
            for c in range(connections)
        ))
        return time.perf_counter() - t0

    seconds = asyncio.run(main())
    return LoadResult(len(result["latencies"]), result["errors"], seconds, result["latencies"],
                      result["statuses"], result["samples"])


def post_json(path: str, payload: dict, headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 POST of ``payload`` as JSON, for ``load(raw_requests=...)``."""
    body = json.dumps(payload).encode()
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: eventapp-bench\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n")
    return head.encode() + body
