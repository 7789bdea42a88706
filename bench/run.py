"""Run every bench/bench_*.py against the embedded default (a temporary SQLite file) and, when DATABASE_URL
points at PostgreSQL, against that server too; print one table and write BENCHMARKS.md.

Each script runs in its own subprocess with the same environment, except the database: on SQLite
DATABASE_URL is removed (the script makes a temporary file); on PostgreSQL the runner creates a fresh database
``eventapp_bench_<script>`` on the server named by DATABASE_URL, points the script at it and drops it after.
It never writes to the database DATABASE_URL names. A script that fails, times out or prints no
``RESULT <json>`` line shows as failed in the table.

    .venv/bin/python bench/run.py [--only pages,public] [--timeout 900] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
NOTES = BENCH / "NOTES.md"
REPORT = ROOT / "BENCHMARKS.md"


def scripts(only: list[str] | None) -> list[Path]:
    found = sorted(BENCH.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem.removeprefix("bench_") in only or p.stem in only]
    return found


def postgres_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return url
    return None


def _pg_admin(url: str) -> tuple[str, object]:
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url.replace("postgres://", "postgresql://", 1))
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return admin, parsed


def create_database(url: str, name: str) -> str:
    """A fresh database ``name`` on the server of ``url`` (only names starting with eventapp_bench_)."""
    import psycopg

    assert name.startswith("eventapp_bench_") and re.fullmatch(r"[a-z0-9_]+", name)
    admin, parsed = _pg_admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(drivername="postgresql", database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    import psycopg

    assert name.startswith("eventapp_bench_")
    admin, _ = _pg_admin(url)
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:
        print(f"  (could not drop {name}: {exc})", flush=True)


def postgres_version(url: str) -> str:
    try:
        import psycopg

        admin, _ = _pg_admin(url)
        with psycopg.connect(admin, autocommit=True) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"


def run_script(path: Path, database: str, env: dict[str, str], timeout: float) -> tuple[list[dict], str, float]:
    """(figures, status, seconds); status is "ok" or why it failed."""
    OUT.mkdir(exist_ok=True)
    log = OUT / f"{path.stem}.{database.lower()}.log"
    t0 = time.monotonic()
    print(f"== {path.name} on {database}", flush=True)
    try:
        proc = subprocess.run([sys.executable, str(path)], cwd=str(ROOT), env=env, capture_output=True, text=True,
                              timeout=timeout)
        out, err, code = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        code = f"timeout after {timeout:.0f} s"
    seconds = time.monotonic() - t0
    log.write_text(f"$ {path.name} ({database})\n--- stdout\n{out}\n--- stderr\n{err}\n")
    for line in out.splitlines():
        if not line.startswith("RESULT "):
            print("   " + line, flush=True)
    figures, status = [], "ok"
    result_lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if result_lines:
        try:
            figures = json.loads(result_lines[-1][len("RESULT "):])
            if not isinstance(figures, list):
                raise ValueError("RESULT is not a list")
        except ValueError as exc:
            figures, status = [], f"bad RESULT line ({exc})"
    if code != 0:
        last = next((ln for ln in reversed(err.strip().splitlines()) if ln.strip()), "")
        status = f"exit {code}: {last[:160]}"
    elif not result_lines:
        status = "no RESULT line"
    print(f"   -> {status} in {seconds:.0f} s, log {log.relative_to(ROOT)}", flush=True)
    return figures, status, seconds


def fmt_value(fig: dict) -> str:
    value = fig.get("value")
    unit = fig.get("unit") or ""
    if value is None:
        return "not built" if "not built" in (fig.get("spread") or "") else "—"
    if isinstance(value, float):
        text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def fmt_ok(fig: dict) -> str:
    if fig.get("value") is None and "not built" in (fig.get("spread") or ""):
        return "not built"
    return "yes" if fig.get("ok") else "**NO**"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        load = "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = ""
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "load": load,
            "os": f"{platform.system()} {platform.release()}"}


def versions(pg_url: str | None) -> dict[str, str]:
    import sqlite3

    def v(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    out = {"Python": platform.python_version(), "Flask": v("flask"), "SQLAlchemy": v("sqlalchemy"),
           "Flask-SQLAlchemy": v("flask-sqlalchemy"), "gunicorn": v("gunicorn"), "psycopg": v("psycopg"),
           "SQLite": sqlite3.sqlite_version}
    out["PostgreSQL server"] = postgres_version(pg_url) if pg_url else "not measured (DATABASE_URL not PostgreSQL)"
    return out


def git_commit() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "eventapp", "bench", "templates"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return rev + (" (with uncommitted changes in the tree)" if dirty else "")
    except Exception:
        return "unknown"


def table(rows: list[dict]) -> list[str]:
    lines = ["| benchmark | figure | value | target | ok | spread | database |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        cells = [r["script"], r["figure"], r["value"], r["target"], r["ok"], r["spread"], r["database"]]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks and write BENCHMARKS.md.")
    parser.add_argument("--only", help="comma-separated script names (pages,public...)")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-write", action="store_true", help="print the table, leave BENCHMARKS.md alone")
    args = parser.parse_args()

    only = [s.strip() for s in args.only.split(",")] if args.only else None
    pg_url = postgres_server_url()
    databases = ["SQLite"] + (["PostgreSQL"] if pg_url else [])
    started = datetime.now(UTC)
    load_at_start = machine()["load"]
    rows: list[dict] = []
    base_env = dict(os.environ)
    base_env["PYTHONPATH"] = str(ROOT) + os.pathsep + base_env.get("PYTHONPATH", "")
    base_env.pop("DATABASE_URL", None)
    for path in scripts(only):
        name = path.stem.removeprefix("bench_")
        for database in databases:
            env = dict(base_env)
            env["INSTANCE_PATH"] = tempfile.mkdtemp(prefix=f"eventapp-bench-{name}-")
            db_name = None
            if database == "PostgreSQL":
                db_name = f"eventapp_bench_{re.sub(r'[^a-z0-9_]', '_', name.lower())}"
                try:
                    env["DATABASE_URL"] = create_database(pg_url, db_name)
                except Exception as exc:
                    rows.append({"script": name, "figure": "(whole script)", "value": "—", "target": "—",
                                 "ok": "**FAILED**", "spread": f"could not create database: {exc}"[:200],
                                 "database": database})
                    continue
            try:
                figures, status, seconds = run_script(path, database, env, args.timeout)
            finally:
                if db_name:
                    drop_database(pg_url, db_name)
            for fig in figures:
                rows.append({"script": name, "figure": fig.get("figure", "?"), "value": fmt_value(fig),
                             "target": fig.get("target", ""), "ok": fmt_ok(fig), "spread": fig.get("spread", ""),
                             "database": database})
            if status != "ok":
                rows.append({"script": name, "figure": "(whole script)", "value": "—", "target": "runs to the end",
                             "ok": "**FAILED**", "spread": status, "database": database})
    finished = datetime.now(UTC)

    lines = table(rows)
    print()
    print("\n".join(lines))
    if args.no_write:
        return 0
    info = machine()
    info["load"] = f"{load_at_start} at the start, {info['load']} at the end"
    vers = versions(pg_url)
    doc = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit the figures by hand. Each figure is a median of "
        "several runs (or a ratio of medians measured in the same run) with its spread; the scripts are "
        "`bench/bench_*.py`, each runnable alone (see HACKING.md, \"Benchmarks\"). The data set is made by "
        "`bench/generate.py`: a national conference of 5,000 delegates from 400 agencies, 30 papers, "
        "200 budget lines, 300 tasks, plus 50 past conferences of 200–400 delegates each.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} – {finished:%H:%M} UTC; commit {git_commit()}",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM, {info['os']}; {info['load']} "
        "(the machine is shared: other work running at the same time slows every figure, which the spreads show)",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()),
        "- Databases: " + ", ".join(databases)
        + (" (PostgreSQL: a fresh database per script on the server of DATABASE_URL, dropped after)" if pg_url
           else " (set DATABASE_URL=postgresql://... to measure PostgreSQL too)"),
        "",
        *lines,
        "",
    ]
    if only:
        doc.insert(4, f"Partial run: only {', '.join(only)}.\n")
    if NOTES.exists():
        doc += [NOTES.read_text().rstrip(), ""]
    REPORT.write_text("\n".join(doc))
    print(f"\nwrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
