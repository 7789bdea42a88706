"""Faults: the database busy or restarted during check-in, a full disk on upload, a worker killed during an
import; and the load of eight reception devices scanning while organizers work."""

from __future__ import annotations

import errno
import io
import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp.checkin.devices import create_device
from eventapp.models import CheckIn, Delegate, Invitation, PaperFile, Scan
from eventapp.passes import qr_text

from .test_privacy import make_people


def _post_scan(client, token, code, nonce):
    return client.post("/api/v1/checkin", json={"code": code, "nonce": nonce},
                       headers={"Authorization": f"Bearer {token}"})


def _checkins(db, delegate_id) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.delegate_id == delegate_id))


# --- the database busy or restarted during a check-in --------------------------------------------------

def test_sqlite_busy_during_checkin_then_retry_with_the_nonce_checks_in_once(app, db, client, make_conference):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL is covered by the restart test")
    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    _, delegate, _ = make_people(db, conference)
    db.session.execute(sa.delete(CheckIn))
    db.session.commit()
    _, token = create_device(conference, "Bàn 1")
    code = qr_text(conference.id, delegate.pass_code)

    import sqlite3

    locker = sqlite3.connect(db.engine.url.database, timeout=5, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    answers = []

    def scan(nonce_client):
        answers.append(_post_scan(nonce_client, token, code, "nonce-1"))

    first = threading.Thread(target=scan, args=(app.test_client(),))
    retry = threading.Thread(target=scan, args=(app.test_client(),))  # the device gave up waiting and resent
    first.start()
    time.sleep(0.3)
    retry.start()
    time.sleep(0.7)
    assert not answers, "nothing may be answered while the database is locked"
    locker.execute("COMMIT")
    locker.close()
    first.join(20)
    retry.join(20)
    assert sorted(a.status_code for a in answers) == [201, 201], [a.get_json() for a in answers]
    assert answers[0].get_json() == answers[1].get_json(), "the retry replays the first answer"
    again = _post_scan(client, token, code, "nonce-1")
    assert again.status_code == 201 and again.get_json()["checkin_id"] == answers[0].get_json()["checkin_id"]
    assert _checkins(db, delegate.id) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan).where(Scan.nonce == "nonce-1")) == 1


def _restart_postgresql(db) -> None:
    """Cut every connection the app holds, as a database restart does: the backends are gone (waited for, up
    to 5 s each) before the server answers again."""
    database = db.engine.url.database
    admin = sa.create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                             "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})
    admin.dispose()


def test_postgresql_restarted_during_checkin_then_retry_with_the_nonce_checks_in_once(app, db, client,
                                                                                       make_conference):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    _, delegate, _ = make_people(db, conference)
    db.session.execute(sa.delete(CheckIn))
    db.session.commit()
    _, token = create_device(conference, "Bàn 1")
    code = qr_text(conference.id, delegate.pass_code)

    db.session.remove()
    _restart_postgresql(db)
    first = _post_scan(client, token, code, "nonce-pg")
    assert first.status_code == 201, first.get_json()
    _restart_postgresql(db)  # the answer was lost on the way back; the device resends
    retry = _post_scan(client, token, code, "nonce-pg")
    assert retry.status_code == 201 and retry.get_json() == first.get_json()
    db.session.remove()
    assert _checkins(db, delegate.id) == 1


def test_postgresql_restarted_pages_keep_working(app, db, organizer_client, make_conference):
    """Pooled connections the server closed are replaced before a request uses them (pool_pre_ping): six times
    over, every backend of the app is terminated while the pool holds several connections, then pages are
    opened one after the other and four at once: never a 500 (one first page in six used to be one)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    conference_id = make_conference().id
    pages = [f"/hoi-nghi/{conference_id}", "/hoi-nghi/", f"/hoi-nghi/{conference_id}/theo-doi", "/nhat-ky/"]

    def at_once() -> list[int]:
        with ThreadPoolExecutor(max_workers=len(pages)) as pool:
            return list(pool.map(lambda url: organizer_client.get(url).status_code, pages))

    assert at_once() == [200] * len(pages)  # the pool now holds a connection per page
    for restart in range(6):
        db.session.remove()
        _restart_postgresql(db)
        assert [organizer_client.get(url).status_code for url in pages] == [200] * len(pages), restart
        _restart_postgresql(db)
        assert at_once() == [200] * len(pages), restart


# --- a full disk during an upload --------------------------------------------------------------------

def test_full_disk_on_upload_says_so_and_saves_nothing(app, db, client, make_conference, monkeypatch):
    from eventapp import uploads

    conference = make_conference()
    _, _, paper = make_people(db, conference)
    folder = Path(app.config["UPLOAD_FOLDER"])
    before = set(folder.iterdir()) if folder.exists() else set()
    real_open_temp = uploads._open_temp

    class FullDisk(io.RawIOBase):
        def __init__(self, inner):
            self.inner = inner

        def writable(self):
            return True

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.inner.close()
            super().close()

    def open_temp_on_full_disk(folder):
        path, handle = real_open_temp(folder)
        return path, FullDisk(handle)

    monkeypatch.setattr(uploads, "_open_temp", open_temp_on_full_disk)
    response = client.post(f"/tham-luan/{paper.token}", data={
        "title": "Chuyển đổi số trong nông nghiệp", "summary": "",
        "file": (io.BytesIO(b"%PDF-1.4\n" + b"x" * 200_000), "tham-luan.pdf")},
        content_type="multipart/form-data")
    assert 400 <= response.status_code < 500
    assert "hết chỗ lưu tệp" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperFile)) == 0
    assert set(folder.iterdir()) == before, "no partial file stays behind"


# --- a worker killed in the middle of an import --------------------------------------------------------

KILLED_IMPORT = """
import sys, time
from eventapp import create_app
from eventapp.invitations import importing

app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x", "UPLOAD_FOLDER": sys.argv[3]})
with app.app_context():
    from eventapp.extensions import db
    from eventapp.models import Conference

    conference = db.session.get(Conference, int(sys.argv[2]))
    rows = ["STT,Nhóm,Cơ quan/đơn vị,Họ và tên,Chức vụ,Số chỗ"]
    rows += [f"{n},Sở, ban, ngành,Cơ quan thử {n},Người thử {n},Chuyên viên,1" for n in range(1, 201)]
    rows = [rows[0]] + [r.replace("Sở, ban, ngành", '"Sở, ban, ngành"') for r in rows[1:]]
    preview = importing.preview_import(conference.id, "\\n".join(rows).encode(), "ds.csv")
    assert preview.valid_count == 200, [r.problems for r in preview.rows if r.problems][:3]
    added = []
    original = importing.add_imported_invitation

    def slow_add(invitation):
        original(invitation)
        added.append(invitation)
        if len(added) == 100:
            db.session.flush()  # half of the rows are in the database's transaction
            print("HALF", flush=True)
            time.sleep(60)

    importing.add_imported_invitation = slow_add
    token = importing.store_preview(preview, None)
    importing.confirm_import(conference, importing.load_preview(token, conference.id, None), token)
    print("DONE", flush=True)
"""


def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_half_imported(app, db, make_conference,
                                                                                 tmp_path):
    """A1's import confirm runs in a real subprocess that is killed (SIGKILL) after half of its rows were
    written to the database: nothing of the import remains, and the list can be imported again."""
    import os
    import signal
    import subprocess
    import sys

    from eventapp.models import Agency, AgencyGroup

    from .conftest import ROOT

    conference = make_conference()
    db.session.add(AgencyGroup(name="Sở, ban, ngành"))
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    process = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, url, str(conference.id), str(tmp_path)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = process.stdout.readline()
        assert line.strip() == "HALF", process.stderr.read()[-2000:]
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.stderr.close()
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 0
    from eventapp.invitations import importing

    rows = ["STT,Nhóm,Cơ quan/đơn vị,Họ và tên", '1,"Sở, ban, ngành",Cơ quan thử 1,Người thử 1']
    preview = importing.preview_import(conference.id, "\n".join(rows).encode(), "ds.csv")
    token = importing.store_preview(preview, None)
    assert importing.confirm_import(conference, preview, token) == 1


# --- load: eight desks scanning while organizers work ------------------------------------------------

def _http(method, url, body=None, headers=None, timeout=30):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.parametrize("delegates_count", [1000])
def test_eight_devices_scan_a_thousand_delegates_while_organizers_work(app, db, live_server, make_conference,
                                                                       make_user, delegates_count):
    from eventapp.models import Agency, AgencyGroup

    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    group = AgencyGroup(name="Sở, ban, ngành")
    agency = Agency(group=group, name="Sở Tài chính")
    db.session.add_all([group, agency])
    db.session.flush()
    codes = []
    for n in range(delegates_count):
        invitation = Invitation(conference_id=conference.id, kind="person", agency_id=agency.id,
                                invitee_name=f"Đại biểu {n}", status="attending")
        delegate = Delegate(conference_id=conference.id, invitation=invitation, kind="invitee",
                            full_name=f"Đại biểu {n}", agency_name="Sở Tài chính")
        db.session.add_all([invitation, delegate])
        codes.append(delegate)
    db.session.commit()
    codes = [qr_text(conference.id, d.pass_code) for d in codes]
    tokens = [create_device(conference, f"Bàn {i + 1}")[1] for i in range(8)]
    organizer_name = make_user("organizer").username
    conference_id = conference.id
    base = live_server.url
    errors: list[str] = []
    stop = threading.Event()

    def device(index: int):
        token = tokens[index]
        # Each desk scans its share, and the first tenth of the next desk's share (people shown twice).
        share = delegates_count // 8
        mine = codes[index * share:(index + 1) * share]
        extra = codes[((index + 1) % 8) * share:((index + 1) % 8) * share + share // 10]
        results = []
        for n, code in enumerate(mine + extra):
            body = json.dumps({"code": code, "nonce": f"d{index}-{n}"}).encode()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            status, raw = _http("POST", base + "/api/v1/checkin", body, headers)
            if status == 503:  # busy: the device retries with the same nonce
                status, raw = _http("POST", base + "/api/v1/checkin", body, headers)
            if status not in (200, 201):
                errors.append(f"desk {index}: {status} {raw[:200]!r}")
            results.append(status)
        return results

    def organizer_pages():
        import http.cookiejar

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        from .conftest import PASSWORD

        data = f"username={organizer_name}&password={PASSWORD}".encode()
        opener.open(urllib.request.Request(base + "/dang-nhap", data=data, method="POST"), timeout=30)
        pages = [f"/hoi-nghi/{conference_id}", f"/hoi-nghi/{conference_id}/theo-doi", "/hoi-nghi/",
                 f"/hoi-nghi/{conference_id}/theo-doi"]
        loads = 0
        while not stop.is_set():
            for page in pages:
                try:
                    with opener.open(base + page, timeout=30) as response:
                        response.read()
                        if response.status != 200 or "/dang-nhap" in response.url:
                            errors.append(f"{page}: {response.status} {response.url}")
                except urllib.error.HTTPError as exc:
                    errors.append(f"{page}: {exc.code}")
                loads += 1
        return loads

    with ThreadPoolExecutor(max_workers=9) as pool:
        watcher = pool.submit(organizer_pages)
        desks = [pool.submit(device, i) for i in range(8)]
        statuses = [s for desk in desks for s in desk.result(timeout=600)]
        stop.set()
        loads = watcher.result(timeout=60)
    assert not errors, errors[:10]
    assert loads > 0
    assert statuses.count(201) == delegates_count
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == delegates_count
    per_delegate = db.session.execute(
        sa.select(CheckIn.delegate_id, sa.func.count()).group_by(CheckIn.delegate_id).having(sa.func.count() > 1)
    ).all()
    assert per_delegate == []
