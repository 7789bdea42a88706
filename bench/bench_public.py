"""The delegate's pages under gunicorn: RSVP page and pass page against a bare Flask page, QR caching, worker
memory, and two gunicorn instances sharing one database.

On the issue-7 data set (bench/generate.py), in the same run:

1. eventapp (``eventapp.wsgi:app``) and bench/bare_app.py, each under ``gunicorn -w 2`` (sync workers,
   the README's command) on loopback; a pure-Python asyncio load generator with 8 connections (keep-alive;
   gunicorn's sync workers close after each answer, so it reconnects) drives, in BENCH_ROUNDS rounds of
   BENCH_SECONDS each, the bare page, the RSVP page (rsvp.respond, cycling a random sample of 200 attending
   invitations' links) and the pass page (rsvp.pass_page, cycling 500 random delegates' passes). Figures: the median over rounds of each page's
   req/s divided by the bare page's req/s in the same round (target >= 0.3), and p99 latency.
   The app runs as behind one reverse proxy (PROXY_COUNT=1) and every request carries its own
   X-Forwarded-For address, so the per-address rate limit on secret links stays on and is paid for, as it is
   for real delegates arriving from many addresses.
2. QR images (rsvp.pass_qr): time of the first generation vs a cached one (in-process, per code), and over
   HTTP: an ETag, Cache-Control with max-age, and 304 for If-None-Match.
3. Check-in (issue 4's benchmark on this data set): POST /api/v1/checkin with a device token, each delegate not
   yet checked in scanned once, vs the bare app's JSON endpoint (parse, answer 201), in the same rounds.
4. VmRSS of each gunicorn worker after all the load (target < 150 MB).
5. A second gunicorn instance on another port against the same database; the RSVP page driven through both
   at once: combined req/s and errors (target: none).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Server,
    database_label,
    database_url,
    emit,
    figure,
    load,
    make_app,
    median_spread,
    post_json,
    say,
    server_env,
)
from bench.generate import generate

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = 8
RATIO_TARGET = 0.3
RSS_TARGET_MB = 150
DISTINCT_CLIENTS = 16384


def http_get(port: int, path: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def main() -> None:
    url = database_url()
    label = database_label(url)
    app = make_app(url)
    data = generate(app, quiet=False)
    figures: list[dict] = []

    have = {e: e in app.view_functions for e in ("rsvp.respond", "rsvp.pass_page", "rsvp.pass_qr")}
    with app.test_request_context():
        from flask import url_for

        # A fixed random sample of the links (agencies with their seats and named persons, as they come).
        rng = random.Random(7)
        tokens = rng.sample(data.rsvp_tokens, min(200, len(data.rsvp_tokens)))
        passes = rng.sample(data.passes, min(530, len(data.passes)))
        rsvp_paths = [url_for("rsvp.respond", token=t) for t in tokens] if have["rsvp.respond"] else []
        pass_paths = ([url_for("rsvp.pass_page", pass_code=p[2]) for p in passes[:500]]
                      if have["rsvp.pass_page"] else [])
        qr_paths = ([url_for("rsvp.pass_qr", pass_code=p[2]) for p in passes[500:530]]
                    if have["rsvp.pass_qr"] else [])

    env = server_env(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT="1", RATELIMIT_ENABLED="1")
    bare = Server("bench.bare_app:app", env).start()
    eventapp = Server("eventapp.wsgi:app", env).start()
    second = None
    try:
        # Warm-up: every worker imports templates and fills its caches.
        load(bare.port, ["/"], duration=1.0)
        for paths in (rsvp_paths, pass_paths):
            if paths:
                warm = load(eventapp.port, paths, duration=1.5, vary_ip=DISTINCT_CLIENTS)
                if warm.errors:
                    say(f"warm-up errors: {warm.error_samples} statuses {warm.statuses}")

        pages = [("RSVP page (rsvp.respond)", rsvp_paths), ("pass page (rsvp.pass_page)", pass_paths)]
        rates: dict[str, list[float]] = {"bare": []}
        p99s: dict[str, list[float]] = {"bare": []}
        errors: dict[str, int] = {"bare": 0}
        samples: dict[str, list[str]] = {}
        for name, _ in pages:
            rates[name], p99s[name], errors[name] = [], [], 0
        for r in range(ROUNDS):
            result = load(bare.port, ["/"], connections=CONNECTIONS, duration=SECONDS, vary_ip=DISTINCT_CLIENTS)
            rates["bare"].append(result.rate)
            p99s["bare"].append(result.p99)
            errors["bare"] += result.errors
            line = f"round {r + 1}: bare {result.rate:.0f} req/s p99 {result.p99:.1f} ms"
            for name, paths in pages:
                if not paths:
                    continue
                result = load(eventapp.port, paths, connections=CONNECTIONS, duration=SECONDS,
                              vary_ip=DISTINCT_CLIENTS)
                rates[name].append(result.rate)
                p99s[name].append(result.p99)
                errors[name] += result.errors
                if result.errors:
                    samples.setdefault(name, result.error_samples)
                line += f"; {name.split(' (')[0]} {result.rate:.0f} req/s p99 {result.p99:.1f} ms"
                if result.errors:
                    line += f" ({result.errors} errors: {result.statuses})"
            say(line)

        bare_med, bare_spread = median_spread(rates["bare"], 0, "req/s")
        figures.append(figure("bare Flask page under gunicorn -w 2: req/s", round(bare_med), "req/s",
                              "baseline", errors["bare"] == 0, f"{bare_spread}; {errors['bare']} errors"))
        for name, paths in pages:
            if not paths:
                figures.append(figure(f"{name}: req/s ÷ bare page", None, "×", f"≥ {RATIO_TARGET}", False,
                                      "not built"))
                continue
            ratios = [a / b for a, b in zip(rates[name], rates["bare"], strict=True)]
            med, spread = median_spread(ratios, 2)
            rate_med = statistics.median(rates[name])
            note = f"{spread}; {rate_med:.0f} req/s; {errors[name]} errors"
            if samples.get(name):
                note += f" e.g. {samples[name][0]}"
            figures.append(figure(f"{name}: req/s ÷ bare page", round(med, 3), "×", f"≥ {RATIO_TARGET}",
                                  med >= RATIO_TARGET and errors[name] == 0, note))
            p99_med, p99_spread = median_spread(p99s[name], 1, "ms")
            figures.append(figure(f"{name}: p99 latency, 8 connections", round(p99_med, 1), "ms",
                                  "reported (no target)", True, p99_spread))

        # Check-in on this data set: first scans of delegates not yet checked in, vs a bare JSON endpoint.
        figures += checkin_figures(app, data, bare, eventapp)

        # QR images: generated once per code, then served from the cache; HTTP caching headers.
        if qr_paths:
            figures += qr_figures(app, qr_paths, eventapp.port)
        else:
            figures.append(figure("pass QR image: first generation", None, "ms", "once per code", False,
                                  "not built (rsvp.pass_qr)"))

        # Two instances on one database.
        if rsvp_paths:
            second = Server("eventapp.wsgi:app", env).start()
            load(second.port, rsvp_paths, connections=CONNECTIONS, duration=2.0, vary_ip=DISTINCT_CLIENTS)
            one = load(eventapp.port, rsvp_paths, connections=CONNECTIONS, duration=SECONDS * 2,
                       vary_ip=DISTINCT_CLIENTS)
            both = load([eventapp.port, second.port], rsvp_paths, connections=CONNECTIONS,
                        duration=SECONDS * 2, vary_ip=DISTINCT_CLIENTS)
            one_rate = one.rate
            say(f"two instances: {both.rate:.0f} req/s combined, {both.requests} requests, {both.errors} errors "
                f"{both.statuses}")
            figures.append(figure("two gunicorn instances (2 workers each), one database: RSVP page req/s",
                                  round(both.rate), "req/s", "no errors", both.errors == 0 and both.requests > 0,
                                  f"{both.requests} requests in {both.seconds:.1f} s, {both.errors} errors; one "
                                  f"instance just before: {one_rate:.0f} req/s; p99 {both.p99:.1f} ms; all on "
                                  f"{os.cpu_count()} cores"))

        # Resident memory of the workers after all the load.
        rss = eventapp.worker_rss_mb()
        if rss:
            say(f"worker VmRSS: {', '.join(f'{x:.1f}' for x in rss)} MB")
            figures.append(figure("gunicorn worker resident memory after the benchmarks (max)", round(max(rss), 1),
                                  "MB", f"< {RSS_TARGET_MB} MB", max(rss) < RSS_TARGET_MB,
                                  "workers: " + ", ".join(f"{x:.1f}" for x in rss) + " MB (VmRSS)"))
    finally:
        for server in (bare, eventapp, second):
            if server is not None:
                tail = server.log_tail(5)
                if "Traceback" in tail or "Error" in tail:
                    say(f"server log ({server.app_spec}):\n{tail}")
                server.stop()
    say(f"database: {label}")
    emit(figures)


def checkin_figures(app, data, bare: Server, eventapp: Server) -> list[dict]:
    """POST /api/v1/checkin with a device token, first scans only, on the 5,000-delegate conference (issue 4's
    benchmark, on this data set): req/s vs the bare app's JSON endpoint in the same rounds, p99, errors."""
    name = "check-in API on this data set (first scans)"
    if "checkin.api_checkin" not in app.view_functions:
        return [figure(f"{name}: req/s ÷ bare JSON endpoint", None, "×", "≥ 0.3", False, "not built")]
    from eventapp.checkin.devices import create_device
    from eventapp.extensions import db
    from eventapp.models import Conference, utcnow
    from eventapp.passes import qr_text

    with app.test_request_context():
        conference = db.session.get(Conference, data.conference_id)
        if hasattr(Conference, "checkin_opens_at"):  # the door open now, three weeks before the conference
            conference.checkin_opens_at = utcnow() - timedelta(hours=1)
        _, token = create_device(conference, "Bàn đón tiếp (benchmark)")
        codes = [qr_text(data.conference_id, code) for code in data.unchecked_pass_codes]
    auth = {"Authorization": f"Bearer {token}"}
    checkins = [post_json("/api/v1/checkin", {"code": code, "nonce": f"bench-{i}"}, auth)
                for i, code in enumerate(codes)]
    bares = [post_json("/json", {"code": code}) for code in codes] * 4
    per_round = len(checkins) // ROUNDS
    ratios, p99s, rates, errors, done, statuses = [], [], [], 0, 0, {}
    for r in range(ROUNDS):
        b = load(bare.port, [], connections=CONNECTIONS, duration=SECONDS, raw_requests=bares,
                 ok_statuses=frozenset({201}))
        c = load(eventapp.port, [], connections=CONNECTIONS, duration=SECONDS,
                 raw_requests=checkins[r * per_round:(r + 1) * per_round], ok_statuses=frozenset({201}))
        ratios.append(c.rate / b.rate)
        p99s.append(c.p99)
        rates.append(c.rate)
        errors += c.errors + b.errors
        done += c.requests
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
        say(f"check-in round {r + 1}: bare JSON {b.rate:.0f} req/s, check-in {c.rate:.0f} req/s "
            f"p99 {c.p99:.1f} ms, statuses {c.statuses}" + (f", errors {c.error_samples}" if c.errors else ""))
    with app.app_context():
        import sqlalchemy as sa

        from eventapp.models import CheckIn

        stored = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(
            CheckIn.conference_id == data.conference_id, CheckIn.undone_at.is_(None)))
    expected = data.counts.get("checkins", 0) + statuses.get(201, 0)
    med, spread = median_spread(ratios, 2)
    p_med, p_spread = median_spread(p99s, 1, "ms")
    return [
        figure(f"{name}: req/s ÷ bare JSON endpoint", round(med, 3), "×", "≥ 0.3", med >= 0.3 and errors == 0,
               f"{spread}; {statistics.median(rates):.0f} check-ins/s; {errors} errors"),
        figure(f"{name}: p99 latency, 8 connections", round(p_med, 1), "ms", "< 25 ms", p_med < 25, p_spread),
        figure(f"{name}: check-ins stored once", stored, "rows", f"= {expected}", stored == expected,
               f"{done} first scans answered {statuses}"),
    ]


def qr_figures(app, qr_paths: list[str], port: int) -> list[dict]:
    """First vs cached QR generation (in-process, per code), and the HTTP caching contract."""
    app.config["RATELIMIT_ENABLED"] = False
    client = app.test_client()
    first, cached, not_modified = [], [], []
    for path in qr_paths:
        t0 = time.perf_counter()
        response = client.get(path)
        first.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        etag = response.headers.get("ETag", "")
        t0 = time.perf_counter()
        client.get(path)
        cached.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        again = client.get(path, headers={"If-None-Match": etag})
        not_modified.append((time.perf_counter() - t0) * 1000)
        assert again.status_code == 304, again.status_code
    f_med, f_spread = median_spread(first, 2, "ms")
    c_med, c_spread = median_spread(cached, 2, "ms")
    n_med, n_spread = median_spread(not_modified, 2, "ms")
    say(f"QR: first {f_med:.2f} ms, cached {c_med:.2f} ms, 304 {n_med:.2f} ms")
    # Over HTTP, through gunicorn.
    status, headers, body = http_get(port, qr_paths[0], {"X-Forwarded-For": "10.250.0.1"})
    etag = headers.get("ETag", "")
    cache_control = headers.get("Cache-Control", "")
    status2, headers2, body2 = http_get(port, qr_paths[0], {"If-None-Match": etag, "X-Forwarded-For": "10.250.0.2"})
    http_ok = status == 200 and body[:4] == b"\x89PNG" and bool(etag) and "max-age" in cache_control and status2 == 304
    say(f"QR over HTTP: {status}, ETag {etag}, Cache-Control {cache_control!r}; If-None-Match -> {status2}")
    return [
        figure("pass QR image: first generation (in-process request)", round(f_med, 2), "ms", "once per code", True,
               f_spread),
        figure("pass QR image: cached (same code again)", round(c_med, 2), "ms", "faster than first",
               c_med < f_med, f"{c_spread}; {f_med / c_med:.1f}× faster" if c_med else c_spread),
        figure("pass QR image: If-None-Match → 304", round(n_med, 2), "ms", "304, no body", True, n_spread),
        figure("pass QR image over HTTP: ETag, Cache-Control, 304", 1 if http_ok else 0, "", "all present",
               http_ok, f"Cache-Control: {cache_control}; ETag {etag[:14]}…; revalidation → {status2}"),
    ]


if __name__ == "__main__":
    main()
