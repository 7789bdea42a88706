"""First-time check-ins through POST /api/v1/checkin under gunicorn: at a door's pace, and saturated against a bare
Flask endpoint.

1. A conference with BENCH_DELEGATES delegates (default 10,000) and 8 device tokens (8 desks), on DATABASE_URL
   (else a temporary SQLite file, WAL). Tokens are made with ``flask device-token``, so this script also runs
   against older trees (bench/NOTES.md, "Before and after").
2. eventapp (``eventapp.wsgi:app``) and bench/bare_app.py (a Flask endpoint that only parses the JSON and
   answers), each under ``gunicorn -w 2`` (sync workers) on a free loopback port.
3. The door: 8 scanners, each on its own connection with its own device token, each scanning a new pass
   every DOOR_INTERVAL_S on average (default 0.5 s, drawn uniformly between half and one and a half of it), so 16
   scans a second, about six times the busiest door (5,000 delegates in 30 minutes is under 3 a second):
   BENCH_DOOR_SCANS scans each (default 120). Its p99 latency is the figure with a target (< 25 ms); the CPU the
   gunicorn workers spend per scan is recorded too (steadier than latencies when the machine is shared).
4. Saturation: BENCH_ROUNDS rounds (default 5), alternating: 8 connections post distinct first check-ins as fast
   as they are answered, BENCH_PER_ROUND requests a round (default 1,500), to each server. The check-in rate as a
   fraction of the bare endpoint's is recorded (no target).
5. In-process, on the same database: the statements a first scan sends, counted on the wire on PostgreSQL
   (libpq's trace: at most 7, BEGIN, the pool's ping, the device, the pass with that day's check-in and the
   nonce's first answer, the check-in, the scan, COMMIT), through SQLAlchemy's events on SQLite (at most 4).
6. Afterwards the database must hold exactly one check-in per first scan sent, and no request may have had
   another answer than 201.

    .venv/bin/python bench/bench_checkin.py        # DATABASE_URL=postgresql://... for PostgreSQL
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DELEGATES = int(os.environ.get("BENCH_DELEGATES", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PER_ROUND = int(os.environ.get("BENCH_PER_ROUND", "1500"))
DOOR_SCANS = int(os.environ.get("BENCH_DOOR_SCANS", "120"))
DOOR_INTERVAL_S = float(os.environ.get("BENCH_DOOR_INTERVAL_S", "0.5"))
SCANNERS = 8
BADGES = 1000
#: Requests that warm each server up before anything is timed.
WARMUP = 50
#: First scans whose statements are counted in-process.
COUNTED = 5
BADGE_TARGET_S = 5.0
P99_TARGET_MS = 25.0
#: Most statements a first scan may send: on PostgreSQL's wire, and through SQLAlchemy (SQLite).
STATEMENTS_TARGET = {"PostgreSQL": 7, "SQLite": 4}


def prepare(app, delegates: int, tokens: int = 0) -> tuple[int, list[str], list[str]]:
    """A conference with delegates: its id, their pass texts, and ``tokens`` device tokens."""
    import sqlalchemy as sa

    from eventapp.extensions import db
    from eventapp.models import Conference, Delegate, Invitation, utcnow
    from eventapp.passes import new_pass_code, qr_text

    with app.app_context():
        now = utcnow()
        conference = Conference(kind="tong_ket", title="Hội nghị tổng kết (benchmark đón tiếp)", starts_at=now,
                                ends_at=now.replace(hour=23, minute=59))
        db.session.add(conference)
        db.session.flush()
        invitation = Invitation(conference_id=conference.id, kind="person", invitee_name="Đại biểu benchmark",
                                status="attending", seats=500)
        db.session.add(invitation)
        db.session.flush()
        rows = [{"conference_id": conference.id, "invitation_id": invitation.id, "kind": "named",
                 "full_name": f"Nguyễn Văn Thử {n}", "position": "Chuyên viên", "agency_name": "Sở Tài chính",
                 "pass_code": new_pass_code(), "status": "attending", "precedence": 100,
                 "search_text": f"nguyen van thu {n}", "created_at": now}
                for n in range(delegates)]
        db.session.execute(sa.insert(Delegate), rows)
        db.session.commit()
        conference_id = conference.id
        codes = [qr_text(conference_id, r["pass_code"]) for r in rows]
    made = []
    for n in range(tokens):
        result = app.test_cli_runner().invoke(args=["device-token", str(conference_id), f"Bàn quét {n + 1}"])
        if result.exit_code != 0:
            raise RuntimeError(f"flask device-token: {result.output}")
        made.append(result.output.strip())
    return conference_id, codes, made


def badge_sheet_seconds(app, runs: int = 3) -> list[float]:
    """Wall time of the A4 badge sheet of a 1,000-delegate conference, rendered in-process (cold QR cache
    on the first run: every run uses its own conference, so no run is helped by the previous one)."""
    import sqlalchemy as sa

    from eventapp import qr
    from eventapp.checkin import badges
    from eventapp.extensions import db
    from eventapp.models import User

    with app.app_context():
        if db.session.scalar(sa.select(User.id).where(User.username == "bench-reception")) is None:
            user = User(username="bench-reception", full_name="Bàn đón tiếp", role="reception")
            user.set_password("mat-khau-benchmark")
            db.session.add(user)
            db.session.commit()
    client = app.test_client()
    client.post("/dang-nhap", data={"username": "bench-reception", "password": "mat-khau-benchmark"})
    times = []
    for _ in range(runs):
        conference_id, _codes, _tokens = prepare(app, BADGES)
        for cached in (*vars(qr).values(), *vars(badges).values()):  # the lru_caches, wherever a tree keeps them
            if getattr(type(cached), "cache_clear", None):
                cached.cache_clear()
        t0 = time.perf_counter()
        response = client.get(f"/hoi-nghi/{conference_id}/the-dai-bieu")
        times.append(time.perf_counter() - t0)
        printed = response.get_data(as_text=True).count('class="badge-card"')
        if response.status_code != 200 or printed != BADGES:
            raise RuntimeError(f"badge sheet: HTTP {response.status_code}, {printed} badges")
    return times


def checkin_count(app, conference_id: int) -> int:
    import sqlalchemy as sa

    from eventapp.extensions import db
    from eventapp.models import CheckIn

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                                 .where(CheckIn.conference_id == conference_id))


# --- load ----------------------------------------------------------------------------------------

def _request(port: int, token: str, body: bytes) -> bytes:
    return (f"POST /api/v1/checkin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nUser-Agent: eventapp-bench\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body


class Scanner:
    """One keep-alive connection posting check-ins, noting each answer's latency, status and any error."""

    def __init__(self, port: int, token: str, result: dict):
        self.port, self.token, self.result = port, token, result
        self.reader = self.writer = None

    async def post(self, body: bytes) -> None:
        from bench.common import _read_response

        t0 = time.perf_counter()
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.writer.write(_request(self.port, self.token, body))
            status, close, answer = await _read_response(self.reader)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            self._error(f"{type(exc).__name__}: {exc}")
            self.close()
            return
        self.result["latencies"].append((time.perf_counter() - t0) * 1000)
        self.result["statuses"][status] = self.result["statuses"].get(status, 0) + 1
        if status != 201:
            self._error(f"HTTP {status}: {answer[:120]!r}")
        if close:
            self.close()

    def _error(self, sample: str) -> None:
        self.result["errors"] += 1
        if len(self.result["samples"]) < 5:
            self.result["samples"].append(sample)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def worker_cpu_seconds(server) -> float:
    """CPU time (user + system) the server's workers have used so far: steadier than latencies on a shared
    machine, where other work stretches wall time."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in server.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _new_result() -> dict:
    return {"latencies": [], "statuses": {}, "errors": 0, "samples": []}


def saturate(port: int, bodies: list[bytes], tokens: list[str]) -> dict:
    """POST each body once over one connection per token, each sending its next as soon as it is answered."""
    result = _new_result()
    queue = iter(bodies)

    async def run(token: str) -> None:
        scanner = Scanner(port, token, result)
        for body in queue:
            await scanner.post(body)
        scanner.close()

    async def main() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(run(token) for token in tokens))
        return time.perf_counter() - t0

    result["seconds"] = asyncio.run(main())
    result["rate"] = len(result["latencies"]) / result["seconds"]
    return result


def door(port: int, shares: list[list[bytes]], tokens: list[str], interval: float, seed: int = 7) -> dict:
    """Each scanner (one per token) posts its share one scan at a time, a scan every ``interval`` seconds on
    average (uniform between half and one and a half of it), starting at a random moment of the first interval.
    The times are drawn in advance: a slow answer does not push the later scans back (a scan due while the
    scanner waits for an answer is sent when the answer comes)."""
    result = _new_result()
    rng = random.Random(seed)
    schedules = [[rng.uniform(0, interval)] for _ in tokens]
    for schedule, share in zip(schedules, shares, strict=True):
        while len(schedule) < len(share):
            schedule.append(schedule[-1] + rng.uniform(interval / 2, interval * 1.5))

    async def run(token: str, share: list[bytes], schedule: list[float], start: float) -> None:
        scanner = Scanner(port, token, result)
        for body, at in zip(share, schedule, strict=True):
            await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
            await scanner.post(body)
        scanner.close()

    async def main() -> float:
        start = time.perf_counter()
        await asyncio.gather(*(run(token, share, schedule, start)
                               for token, share, schedule in zip(tokens, shares, schedules, strict=True)))
        return time.perf_counter() - start

    result["seconds"] = asyncio.run(main())
    return result


# --- statements of a scan ---------------------------------------------------------------------------

@contextmanager
def count_statements(engine):
    """Count the statements sent to the database inside the block: ``with count_statements(engine) as n: ...;
    n()`` (so far).

    On PostgreSQL they are counted on the wire: libpq traces every connection the pool hands out or takes back
    during the block, and each Execute or Query message is a statement: BEGIN and COMMIT included, and the
    pool's ping on checkout once the connection is traced (the ping comes before a checkout's listeners run).
    psycopg preparing a statement sends a Parse of its own, which runs nothing and is not counted. SQLite runs
    in-process: SQLAlchemy's events count what goes through it (not the driver's own BEGIN and COMMIT, nor the
    ping)."""
    import sqlalchemy as sa

    if engine.dialect.name != "postgresql":
        statements = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield lambda: len(statements)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return
    from psycopg import pq

    traced = {}
    with tempfile.TemporaryFile("w+") as log:

        def trace(dbapi_connection) -> None:
            dbapi_connection.pgconn.trace(os.dup(log.fileno()))
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
            traced[id(dbapi_connection)] = dbapi_connection

        def on_pool_event(dbapi_connection, *_):
            if id(dbapi_connection) not in traced:
                trace(dbapi_connection)

        def untrace() -> None:  # libpq writes its trace out when it stops tracing
            for dbapi_connection in traced.values():
                if not dbapi_connection.closed:
                    dbapi_connection.pgconn.untrace()

        def counted() -> int:
            untrace()
            for dbapi_connection in list(traced.values()):
                if not dbapi_connection.closed:
                    trace(dbapi_connection)
            log.seek(0)
            messages = [line.split("\t") for line in log.read().splitlines()]
            return sum(1 for m in messages if len(m) > 2 and m[0] == "F" and m[2] in ("Execute", "Query"))

        sa.event.listen(engine, "checkout", on_pool_event)
        sa.event.listen(engine, "checkin", on_pool_event)
        try:
            yield counted
        finally:
            sa.event.remove(engine, "checkout", on_pool_event)
            sa.event.remove(engine, "checkin", on_pool_event)
            untrace()


def statements_per_scan(app, codes: list[str], token: str) -> tuple[list[int], int]:
    """Statements of each first scan of ``codes`` (but the first one, which warms up and notes the device as
    seen), and of a repeat, sent in-process by the test client as a scanner sends them (with a nonce). One
    trace covers them all, so that the pool's ping on checkout is counted from the second request on."""
    from eventapp.extensions import db

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def scan(n: int, code: str, expected: int) -> None:
        response = client.post("/api/v1/checkin", json={"code": code, "nonce": f"counted-{n}"}, headers=headers)
        if response.status_code != expected:
            raise RuntimeError(f"counted scan: HTTP {response.status_code} {response.get_data()[:200]!r}")

    with app.app_context():
        engine = db.engine
    firsts = []
    with count_statements(engine) as counted:
        scan(0, codes[0], 201)
        for n, code in enumerate(codes[1:], start=1):
            before = counted()
            scan(n, code, 201)
            firsts.append(counted() - before)
        before = counted()
        scan(len(codes), codes[-1], 200)
        repeat = counted() - before
    return firsts, repeat


def main() -> None:
    from bench.common import (
        database_label,
        database_url,
        emit,
        figure,
        make_app,
        median_spread,
        percentile,
        say,
        server_env,
        serving,
    )

    url = database_url()
    label = database_label(url)
    door_total = SCANNERS * DOOR_SCANS
    expected = WARMUP + door_total + ROUNDS * PER_ROUND + COUNTED + 1
    if expected > DELEGATES:
        raise SystemExit(f"BENCH_DELEGATES must be at least {expected}: warm-up + door + saturation rounds + "
                         "counted scans, first check-ins only")
    say(f"Check-in API benchmark on {label}: {DELEGATES} delegates, gunicorn -w 2; the door: {SCANNERS} scanners, "
        f"one scan every {DOOR_INTERVAL_S:g} s on average, {DOOR_SCANS} each; saturation: {ROUNDS} rounds × "
        f"{PER_ROUND} over {SCANNERS} connections")
    app = make_app(url)
    conference_id, codes, tokens = prepare(app, DELEGATES, tokens=SCANNERS + 1)
    tokens, counting_token = tokens[:SCANNERS], tokens[SCANNERS]
    bodies = [json.dumps({"code": c, "nonce": f"bench-{i}"}).encode() for i, c in enumerate(codes)]
    warmup, bodies = bodies[:WARMUP], bodies[WARMUP:]
    door_bodies, bodies = bodies[:door_total], bodies[door_total:]
    saturation_bodies, bodies = bodies[:ROUNDS * PER_ROUND], bodies[ROUNDS * PER_ROUND:]
    counted_codes = codes[-(COUNTED + 1):]
    env = server_env(url)
    errors, samples = 0, []
    with serving("eventapp.wsgi:app", env) as server, serving("bench.bare_app:app", env) as bare:
        # warm up both (imports, connections, caches) with requests that are not counted
        saturate(bare.port, warmup, tokens)
        saturate(server.port, warmup, tokens)

        shares = [door_bodies[i::SCANNERS] for i in range(SCANNERS)]
        cpu_before = worker_cpu_seconds(server)
        at_door = door(server.port, shares, tokens, DOOR_INTERVAL_S)
        door_cpu_ms = (worker_cpu_seconds(server) - cpu_before) * 1000 / max(1, len(at_door["latencies"]))
        errors += at_door["errors"]
        samples += at_door["samples"]
        door_p50, door_p99 = percentile(at_door["latencies"], 50), percentile(at_door["latencies"], 99)
        say(f"  the door: {len(at_door['latencies'])} first scans in {at_door['seconds']:.0f} s "
            f"({len(at_door['latencies']) / at_door['seconds']:.1f} a second), p50 {door_p50:.1f} ms, "
            f"p99 {door_p99:.1f} ms, max {max(at_door['latencies'], default=0):.1f} ms, "
            f"workers' CPU {door_cpu_ms:.2f} ms a scan, statuses {at_door['statuses']}")

        app_rates, bare_rates, saturated = [], [], []
        for r in range(ROUNDS):
            chunk = saturation_bodies[r * PER_ROUND:(r + 1) * PER_ROUND]
            base = saturate(bare.port, chunk, tokens)
            real = saturate(server.port, chunk, tokens)
            bare_rates.append(base["rate"])
            app_rates.append(real["rate"])
            saturated += real["latencies"]
            errors += real["errors"] + base["errors"]
            samples += real["samples"] + base["samples"]
            say(f"  saturation round {r + 1}: bare {base['rate']:.0f} req/s, check-in {real['rate']:.0f} req/s "
                f"(p50 {percentile(real['latencies'], 50):.1f} ms, p99 {percentile(real['latencies'], 99):.1f} ms "
                f"in the queue), statuses {real['statuses']}")
        if errors:
            say("  errors: " + "; ".join(samples[:5]) + "\n" + server.log_tail())
    firsts, repeat = statements_per_scan(app, counted_codes, counting_token)
    say(f"statements per first scan (in-process): {firsts}; a repeat: {repeat}")
    stored = checkin_count(app, conference_id)
    sheet, sheet_spread = median_spread(badge_sheet_seconds(app), 2, "s")
    say(f"badge sheet of {BADGES} delegates (A4, 8 a page, QR inline SVG): {sheet:.2f} s ({sheet_spread})")
    ratios = [a / b for a, b in zip(app_rates, bare_rates, strict=True)]
    ratio, ratio_spread = median_spread(ratios, 2)
    say(f"ratio {ratio:.2f} (check-in {statistics.median(app_rates):.0f} req/s vs bare "
        f"{statistics.median(bare_rates):.0f} req/s), door p99 {door_p99:.1f} ms, errors {errors}, "
        f"check-ins stored {stored}/{expected}")
    wire = "on the wire" if label == "PostgreSQL" else "through SQLAlchemy, in-process"
    emit([
        figure(f"the door: p99 latency of a first scan, {SCANNERS} scanners each scanning every "
               f"{DOOR_INTERVAL_S:g} s ({label}, gunicorn -w 2)", round(door_p99, 1), "ms", f"< {P99_TARGET_MS:g}",
               door_p99 < P99_TARGET_MS,
               f"p50 {door_p50:.1f} ms, max {max(at_door['latencies'], default=0):.1f} ms, "
               f"n={len(at_door['latencies'])}, {len(at_door['latencies']) / at_door['seconds']:.1f} scans/s"),
        figure(f"the door: CPU of the gunicorn workers per first scan ({label})", round(door_cpu_ms, 2), "ms",
               "recorded", True, "user + system time of both workers over the door's run ÷ scans answered"),
        figure(f"saturated: check-in req/s as a fraction of a bare Flask JSON endpoint ({label}, gunicorn -w 2, "
               f"{SCANNERS} conn.)", round(ratio, 2), "×", "recorded", True,
               f"{ratio_spread}; check-in {statistics.median(app_rates):.0f} req/s, bare "
               f"{statistics.median(bare_rates):.0f} req/s; p99 {percentile(saturated, 99):.1f} ms in the queue"),
        figure(f"statements a first scan sends ({label}, {wire})", statistics.mode(firsts), "statements",
               f"≤ {STATEMENTS_TARGET[label]}", max(firsts) <= STATEMENTS_TARGET[label],
               f"each of {len(firsts)}: {firsts}; a repeat: {repeat}"),
        figure(f"check-in API errors ({label})", errors, "requests", "0", errors == 0,
               f"{door_total + ROUNDS * PER_ROUND} timed requests (+{WARMUP} warm-up)"),
        figure(f"check-ins stored once per first scan ({label})", stored, "rows", f"= {expected}", stored == expected,
               ""),
        figure(f"badge sheet of {BADGES} delegates, A4 8 a page, cold QR cache ({label})", round(sheet, 2), "s",
               f"< {BADGE_TARGET_S:g}", sheet < BADGE_TARGET_S, sheet_spread),
    ])


if __name__ == "__main__":
    main()
