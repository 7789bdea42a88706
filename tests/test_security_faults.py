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
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp.checkin.services import create_device
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
    conference = make_conference()
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


def test_postgresql_restarted_during_checkin_then_retry_with_the_nonce_checks_in_once(app, db, client,
                                                                                       make_conference):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    conference = make_conference()
    _, delegate, _ = make_people(db, conference)
    db.session.execute(sa.delete(CheckIn))
    db.session.commit()
    _, token = create_device(conference, "Bàn 1")
    code = qr_text(conference.id, delegate.pass_code)
    database = db.engine.url.database

    def restart():
        """Cut every connection the app holds, as a database restart does."""
        admin = sa.create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})
        admin.dispose()

    db.session.remove()
    restart()
    first = _post_scan(client, token, code, "nonce-pg")
    assert first.status_code == 201, first.get_json()
    restart()  # the answer was lost on the way back; the device resends
    retry = _post_scan(client, token, code, "nonce-pg")
    assert retry.status_code == 201 and retry.get_json() == first.get_json()
    db.session.remove()
    assert _checkins(db, delegate.id) == 1


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

def test_import_is_one_transaction_so_a_killed_worker_leaves_nothing(app, db, make_conference):
    """The invitation-list import writes all rows in one transaction: killing the worker (simulated by an
    exception after half of the rows were added) leaves none of them."""
    invitations = pytest.importorskip("eventapp.invitations.services")
    confirm = getattr(invitations, "confirm_import", None) or getattr(invitations, "import_rows", None)
    if confirm is None:
        pytest.skip("no import service in eventapp.invitations yet")
    pytest.skip("wired once the import service's signature is known")


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

    conference = make_conference()
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
