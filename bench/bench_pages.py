"""Organizer pages on the issue-7 data set (5,000 delegates): median render time and SQL queries per request.

In-process (Flask's test client, signed in as an organizer), after a warm-up, BENCH_RUNS runs per page
(default 21). Endpoints are looked up in app.url_map at run time; a page whose endpoint does not exist yet is
reported as "not built". The query count is compared with the same page of a 10-delegate conference in the
same database: it must not grow with the rows (tests/test_query_counts.py asserts the same in the suite).

    .venv/bin/python bench/bench_pages.py        # DATABASE_URL, else a temporary SQLite file
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench.common import database_label, database_url, emit, figure, make_app, median_spread, say
from bench.generate import generate

TARGET_MS = 150
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
WARMUP = 3
SEARCH = "nguyen van"

#: (label, [candidate endpoints, first existing wins], query string)
PAGES = [
    ("conference overview", ["conferences.overview"], {}),
    ("invitation list", ["invitations.index"], {}),
    ("answers list", ["invitations.answers"], {}),
    ("delegates list, search «nguyen van»", ["invitations.delegates", "invitations.answers"], {"q": SEARCH}),
    ("reception search «nguyen van»", ["checkin.search"], {"q": SEARCH}),
    ("board", ["checkin.board"], {}),
    ("budget", ["budget.index"], {}),
    ("report", ["reports.conference"], {}),
    ("tasks of the conference", ["tasks.conference_tasks"], {}),
    ("papers", ["papers.index"], {}),
]


def signed_in_client(app, username: str, password: str):
    client = app.test_client()
    response = client.post("/dang-nhap", data={"username": username, "password": password})
    if response.status_code not in (302, 303):
        raise RuntimeError(f"sign-in failed: HTTP {response.status_code}")
    return client


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def __enter__(self):
        self.n = 0
        sa.event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def _hit(self, *args, **kwargs):
        self.n += 1

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._hit)


def badge_sheet_figures(app, client, data) -> list[dict]:
    """The A4 badge sheet (checkin.badge_sheet) for 1,000 chosen delegates: first render of each set (QR codes
    not yet drawn: disjoint sets of delegates) and a repeat of the same set (QR codes cached)."""
    name = "badge sheet, 1,000 delegates (A4, QR)"
    if "checkin.badge_sheet" not in app.view_functions:
        return [figure(f"{name}: first render", None, "ms", "< 5000 ms", False, "not built (checkin.badge_sheet)")]
    ids = [p[1] for p in data.passes]
    sets = [ids[i:i + 1000] for i in range(0, len(ids) - 999, 1000)][:3]
    cold, warm, size_kb = [], [], 0.0
    with app.test_request_context():
        from flask import url_for

        paths = [url_for("checkin.badge_sheet", conference_id=data.conference_id, id=chosen) for chosen in sets]
    for path in paths:
        t0 = time.perf_counter()
        response = client.get(path)
        cold.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            return [figure(f"{name}: first render", None, "ms", "< 5000 ms", False, f"HTTP {response.status_code}")]
        size_kb = len(response.data) / 1024
    for _ in range(3):
        t0 = time.perf_counter()
        client.get(paths[0])
        warm.append((time.perf_counter() - t0) * 1000)
    c_med, c_spread = median_spread(cold, 0, "ms")
    w_med, w_spread = median_spread(warm, 0, "ms")
    say(f"{name}: first {c_med:.0f} ms ({c_spread}), again {w_med:.0f} ms, {size_kb:.0f} KiB")
    return [figure(f"{name}: first render", round(c_med), "ms", "< 5000 ms", c_med < 5000,
                   f"{c_spread} (disjoint sets); {size_kb:.0f} KiB"),
            figure(f"{name}: same set again (QR cached)", round(w_med), "ms", "< 5000 ms", w_med < 5000, w_spread)]


def main() -> None:
    url = database_url()
    label = database_label(url)
    app = make_app(url)
    big = generate(app, quiet=False)
    small = generate(app, delegates=10, agencies=4, papers=3, budget_lines=10, tasks=10, past_conferences=0,
                     seed=7)
    client = signed_in_client(app, big.organizer_username, big.password)
    from eventapp.extensions import db

    with app.app_context():
        engine = db.engine
    figures = []
    for name, candidates, query in PAGES:
        endpoint = next((e for e in candidates if e in app.view_functions), None)
        if endpoint is None:
            say(f"{name}: not built ({' / '.join(candidates)})")
            figures.append(figure(f"{name}: median render", None, "ms", f"< {TARGET_MS} ms", False,
                                  f"not built ({candidates[0]})"))
            continue
        with app.test_request_context():
            from flask import url_for

            path_big = url_for(endpoint, conference_id=big.conference_id, **query)
            path_small = url_for(endpoint, conference_id=small.conference_id, **query)
        response = client.get(path_big)
        if response.status_code != 200:
            say(f"{name}: {path_big} answered HTTP {response.status_code}")
            figures.append(figure(f"{name}: median render", None, "ms", f"< {TARGET_MS} ms", False,
                                  f"HTTP {response.status_code} from {endpoint}"))
            continue
        size_kb = len(response.data) / 1024
        for _ in range(WARMUP - 1):
            client.get(path_big)
        samples = []
        counter = QueryCounter(engine)
        for _ in range(RUNS):
            with counter:
                t0 = time.perf_counter()
                response = client.get(path_big)
                samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        queries_big = counter.n
        with counter:
            client.get(path_small)
        client.get(path_small)
        with counter:
            client.get(path_small)
        queries_small = counter.n
        med, spread = median_spread(samples, 1, "ms")
        say(f"{name} [{endpoint}] {path_big}: median {med:.1f} ms ({spread}), {size_kb:.0f} KiB, "
            f"{queries_big} queries (10-delegate conference: {queries_small})")
        figures.append(figure(f"{name}: median render", round(med, 1), "ms", f"< {TARGET_MS} ms", med < TARGET_MS,
                              f"{spread}; {size_kb:.0f} KiB"))
        # SQLAlchemy's selectinload loads related rows in batches of 500 parents: one more query per 500
        # rows shown is a constant per page, not N+1; more than 2 extra is a defect.
        figures.append(figure(f"{name}: SQL queries per request", queries_big, "queries",
                              "no growth with rows", queries_big - queries_small <= 2,
                              f"{queries_small} on a 10-delegate conference"
                              + (" (+1 per 500 rows: selectinload batches)" if queries_big > queries_small else "")))
    figures += badge_sheet_figures(app, client, big)
    say(f"database: {label}")
    emit(figures)


if __name__ == "__main__":
    main()
