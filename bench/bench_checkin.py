"""First-time check-ins through POST /api/v1/checkin under gunicorn, against a bare Flask endpoint.

1. A conference with BENCH_DELEGATES delegates (default 8,000) and a device token, on DATABASE_URL (else a
   temporary SQLite file, WAL).
2. eventapp (``eventapp.wsgi:app``) and bench/bare_app.py (a Flask endpoint that only parses the JSON
   and answers), each under ``gunicorn -w 2`` (sync workers) on a free loopback port.
3. BENCH_ROUNDS rounds (default 5), alternating: 8 concurrent keep-alive connections post distinct codes,
   each a first check-in (201), BENCH_PER_ROUND requests a round (default 1,500) to each server.
4. Then one desk: DESK_SCANS first scans one after another on one connection (the door, not a load test).
5. Figures: the check-in rate as a fraction of the bare endpoint's (target >= 0.3), p99 latency of the
   check-ins (target < 25 ms), the one desk's p99, errors (anything but 201; target 0), and afterwards the
   database must hold exactly one check-in per request.

    .venv/bin/python bench/bench_checkin.py        # DATABASE_URL for PostgreSQL
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DELEGATES = int(os.environ.get("BENCH_DELEGATES", "8000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PER_ROUND = int(os.environ.get("BENCH_PER_ROUND", "1500"))
CONNECTIONS = 8
BADGES = 1000
#: Requests (codes from the end of the list) that warm each server up before the timed rounds.
WARMUP = 50
#: First scans sent one after another on one connection: a desk at the door, not a load test.
DESK_SCANS = 300
BADGE_TARGET_S = 5.0
RATIO_TARGET = 0.3
P99_TARGET_MS = 25.0


def prepare(app, delegates: int | None = None) -> tuple[list[str], str]:
    """A conference with delegates; their pass texts, and a device token."""
    import sqlalchemy as sa

    from eventapp.checkin.devices import create_device
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
                for n in range(delegates or DELEGATES)]
        db.session.execute(sa.insert(Delegate), rows)
        db.session.commit()
        codes = [qr_text(conference.id, r["pass_code"]) for r in rows]
        _, token = create_device(conference, "Máy quét benchmark")
        return codes, token


def badge_sheet_seconds(app, runs: int = 3) -> list[float]:
    """Wall time of the A4 badge sheet of a 1,000-delegate conference, rendered in-process (cold QR cache
    on the first run: every run uses its own conference, so no run is helped by the previous one)."""
    import sqlalchemy as sa

    from eventapp.checkin import badges
    from eventapp.extensions import db
    from eventapp.models import Conference, User

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
        prepare(app, BADGES)
        with app.app_context():
            conference_id = db.session.scalar(sa.select(sa.func.max(Conference.id)))
        badges.badge_qr_svg.cache_clear()
        t0 = time.perf_counter()
        response = client.get(f"/hoi-nghi/{conference_id}/the-dai-bieu")
        times.append(time.perf_counter() - t0)
        printed = response.get_data(as_text=True).count('class="badge-card"')
        if response.status_code != 200 or printed != BADGES:
            raise RuntimeError(f"badge sheet: HTTP {response.status_code}, {printed} badges")
    return times


def checkin_count(app) -> int:
    import sqlalchemy as sa

    from eventapp.extensions import db
    from eventapp.models import CheckIn

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


def post_load(port: int, bodies: list[bytes], token: str, connections: int = CONNECTIONS) -> dict:
    """POST each body once to /api/v1/checkin over ``connections`` keep-alive connections."""
    from bench.common import _read_response

    head = (f"POST /api/v1/checkin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nUser-Agent: eventapp-bench\r\n")
    requests = [(head + f"Content-Length: {len(b)}\r\n\r\n").encode() + b for b in bodies]
    result = {"latencies": [], "statuses": {}, "errors": 0, "samples": []}
    queue = iter(requests)

    async def client():
        reader = writer = None
        for req in queue:
            t0 = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(req)
                status, close, body = await _read_response(reader)
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
                result["errors"] += 1
                if len(result["samples"]) < 5:
                    result["samples"].append(f"{type(exc).__name__}: {exc}")
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            result["latencies"].append((time.perf_counter() - t0) * 1000)
            result["statuses"][status] = result["statuses"].get(status, 0) + 1
            if status != 201:
                result["errors"] += 1
                if len(result["samples"]) < 5:
                    result["samples"].append(f"HTTP {status}: {body[:120]!r}")
            if close:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    async def main() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(connections)))
        return time.perf_counter() - t0

    result["seconds"] = asyncio.run(main())
    result["rate"] = len(result["latencies"]) / result["seconds"]
    return result


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
    if ROUNDS * PER_ROUND + DESK_SCANS + WARMUP > DELEGATES:
        raise SystemExit("BENCH_DELEGATES must be at least BENCH_ROUNDS × BENCH_PER_ROUND + DESK_SCANS + WARMUP "
                         "(first check-ins only)")
    say(f"Check-in API benchmark on {label}: {DELEGATES} delegates, {ROUNDS} rounds × {PER_ROUND} first check-ins, "
        f"{CONNECTIONS} connections, gunicorn -w 2")
    app = make_app(url)
    codes, token = prepare(app)
    bodies = [json.dumps({"code": c, "nonce": f"bench-{i}"}).encode() for i, c in enumerate(codes)]
    env = server_env(url)
    app_rates, bare_rates, latencies, errors, samples = [], [], [], 0, []
    with serving("eventapp.wsgi:app", env) as server, serving("bench.bare_app:app", env) as bare:
        # warm up both (imports, connections, caches) with requests that are not counted
        post_load(bare.port, bodies[-WARMUP:], token)
        post_load(server.port, bodies[-WARMUP:], token)
        for r in range(ROUNDS):
            chunk = bodies[r * PER_ROUND:(r + 1) * PER_ROUND]
            base = post_load(bare.port, chunk, token)
            real = post_load(server.port, chunk, token)
            bare_rates.append(base["rate"])
            app_rates.append(real["rate"])
            latencies += real["latencies"]
            errors += real["errors"] + base["errors"]
            samples += real["samples"] + base["samples"]
            say(f"  round {r + 1}: bare {base['rate']:.0f} req/s (p99 {percentile(base['latencies'], 99):.1f} ms), "
                f"check-in {real['rate']:.0f} req/s (p50 {percentile(real['latencies'], 50):.1f} ms, "
                f"p99 {percentile(real['latencies'], 99):.1f} ms), statuses {real['statuses']}")
        start = ROUNDS * PER_ROUND
        desk = post_load(server.port, bodies[start:start + DESK_SCANS], token, connections=1)
        errors += desk["errors"]
        samples += desk["samples"]
        say(f"  one desk, one connection: {len(desk['latencies'])} first scans, p50 "
            f"{percentile(desk['latencies'], 50):.1f} ms, p99 {percentile(desk['latencies'], 99):.1f} ms")
        if errors:
            say("  errors: " + "; ".join(samples[:5]) + "\n" + server.log_tail())
    stored = checkin_count(app)
    expected = ROUNDS * PER_ROUND + DESK_SCANS + WARMUP
    sheet, sheet_spread = median_spread(badge_sheet_seconds(app), 2, "s")
    say(f"badge sheet of {BADGES} delegates (A4, 8 a page, QR inline SVG): {sheet:.2f} s ({sheet_spread})")
    ratios = [a / b for a, b in zip(app_rates, bare_rates, strict=True)]
    ratio, ratio_spread = median_spread(ratios, 2)
    p99 = percentile(latencies, 99)
    say(f"ratio {ratio:.2f} (check-in {statistics.median(app_rates):.0f} req/s vs bare "
        f"{statistics.median(bare_rates):.0f} req/s), p99 {p99:.1f} ms, errors {errors}, "
        f"check-ins stored {stored}/{expected}")
    emit([
        figure(f"check-in API req/s as a fraction of a bare Flask JSON endpoint ({label}, gunicorn -w 2, 8 conn.)",
               round(ratio, 2), "×", f">= {RATIO_TARGET}", ratio >= RATIO_TARGET,
               f"{ratio_spread}; check-in {statistics.median(app_rates):.0f} req/s, bare "
               f"{statistics.median(bare_rates):.0f} req/s"),
        figure(f"check-in API p99 latency ({label}, 8 concurrent connections)", round(p99, 1), "ms",
               f"< {P99_TARGET_MS:g}", p99 < P99_TARGET_MS,
               f"p50 {percentile(latencies, 50):.1f} ms, n={len(latencies)}"),
        figure(f"one desk scanning on one connection: p99 latency of a first scan ({label})",
               round(percentile(desk["latencies"], 99), 1), "ms", f"< {P99_TARGET_MS:g}",
               percentile(desk["latencies"], 99) < P99_TARGET_MS,
               f"p50 {percentile(desk['latencies'], 50):.1f} ms, n={len(desk['latencies'])}"),
        figure(f"check-in API errors ({label})", errors, "requests", "0", errors == 0,
               f"{ROUNDS * PER_ROUND + DESK_SCANS} timed requests (+{WARMUP} warm-up), {stored} check-ins stored"),
        figure(f"check-ins stored once per first scan ({label})", stored, "rows", f"= {expected}", stored == expected,
               ""),
        figure(f"badge sheet of {BADGES} delegates, A4 8 a page, cold QR cache ({label})", round(sheet, 2), "s",
               f"< {BADGE_TARGET_S:g}", sheet < BADGE_TARGET_S, sheet_spread),
    ])


if __name__ == "__main__":
    main()
