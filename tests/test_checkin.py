"""Reception: the check-in service, the device API, the desk, badges and the live board."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp.checkin import devices, scanning
from eventapp.models import (
    Agency,
    AgencyGroup,
    AuditEntry,
    CheckIn,
    Conference,
    Delegate,
    Device,
    Scan,
)
from eventapp.passes import qr_text

from .conftest import count_queries

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture()
def conference(make_conference):
    """A conference that started an hour ago (scans of today are plausible)."""
    return make_conference(starts_at=NOW - timedelta(hours=1))


@pytest.fixture()
def device_token(db, conference):
    _, token = devices.create_device(conference, "Máy quét bàn 1")
    return token


def code_of(delegate) -> str:
    return qr_text(delegate.conference_id, delegate.pass_code)


def post(client, url, payload, token):
    return client.post(url, data=json.dumps(payload), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


# --- the API: every answer -----------------------------------------------------------------------

def test_first_scan_checks_in_and_second_is_already_checked_in(client, conference, make_delegate, device_token, db):
    delegate = make_delegate(conference, "Trần Thị Lan", position="Phó Giám đốc", agency_name="Sở Y tế")
    first = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, device_token)
    assert first.status_code == 201
    body = first.get_json()
    assert body["result"] == "ok"
    assert body["delegate"] == {"id": delegate.id, "name": "Trần Thị Lan", "position": "Phó Giám đốc",
                                "agency": "Sở Y tế", "kind": "invitee", "replaces_name": ""}
    second = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, device_token)
    assert second.status_code == 200
    assert second.get_json()["result"] == "already_checked_in"
    assert second.get_json()["checked_in_at"] == body["checked_in_at"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
    scans = db.session.scalars(sa.select(Scan).order_by(Scan.id)).all()
    assert [s.result for s in scans] == ["ok", "already_checked_in"]
    assert all(s.device_id is not None for s in scans)


def test_invalid_forged_unknown_and_other_conference_codes(client, conference, make_conference, make_delegate,
                                                           device_token, db):
    delegate = make_delegate(conference)
    other = make_conference(title="Hội nghị giao ban KH&CN", starts_at=NOW)
    stranger = make_delegate(other)
    forged = code_of(delegate)[:-1] + str((int(code_of(delegate)[-1]) + 1) % 10)
    cases = [
        ("xin chào", 400, "invalid_code"),
        ("", 400, "invalid_code"),
        (forged, 400, "invalid_code"),
        (qr_text(conference.id, "1" * 40), 404, "unknown_code"),
        (code_of(stranger), 409, "other_conference"),
    ]
    for code, status, result in cases:
        response = post(client, "/api/v1/checkin", {"code": code}, device_token)
        assert (response.status_code, response.get_json()["result"]) == (status, result), code
    # the scanner keeps working after bad codes
    assert post(client, "/api/v1/checkin", {"code": code_of(delegate)}, device_token).status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 6


NOT_ADMITTED = {
    "declined": "Đã báo không tham dự",
    "cancelled": "Đại biểu đã hủy tham dự",
    "erased": "Dữ liệu đại biểu đã bị xóa theo yêu cầu",
    "conference cancelled": "Hội nghị đã hủy",
}


@pytest.mark.parametrize("state", list(NOT_ADMITTED))
def test_who_may_not_come_in_is_refused_alike_by_every_way_in(state, client, reception_client, conference,
                                                              make_delegate, device_token, db):
    """One rule (scanning.NOT_ADMITTED_REASON): a scanner, a batch from an offline desk, the desk screen (a scan,
    and a check-in by name) and the offline list all refuse with the same reason, and nothing is checked in."""
    delegate = make_delegate(conference, invitation_status="declined" if state == "declined" else "attending",
                             status="cancelled" if state == "cancelled" else "attending")
    if state == "erased":
        delegate.erased_at = NOW
    if state == "conference cancelled":
        conference.status = "cancelled"
    db.session.commit()
    reason = NOT_ADMITTED[state]
    scanner = post(client, "/api/v1/checkin", {"code": code_of(delegate), "nonce": "live"}, device_token)
    batch = post(client, "/api/v1/checkin/batch", {"scans": [{"code": code_of(delegate), "nonce": "queued"}]},
                 device_token).get_json()["results"][0]
    desk = reception_client.post(f"/api/v1/checkin?conference_id={conference.id}", json={"code": code_of(delegate)})
    by_name = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/dai-bieu/{delegate.id}/check-in",
                                    headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "result-bad" in by_name and reason in by_name
    for status, answer in ((scanner.status_code, scanner.get_json()), (batch["status"], batch),
                           (desk.status_code, desk.get_json())):
        assert (status, answer["result"], answer["reason"]) == (409, "not_admitted", reason)
    listed = {d["id"]: d for d in client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {device_token}"})
              .get_json()["delegates"]}
    if state == "erased":
        assert delegate.id not in listed  # an offline desk is not sent what was erased
    else:
        assert (listed[delegate.id]["admitted"], listed[delegate.id]["reason"]) == (False, reason)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 4


def test_a_pass_whose_code_belongs_to_another_conference_is_unknown(client, conference, make_conference,
                                                                    make_delegate, device_token, db):
    """A QR signed for this conference but carrying another conference's pass code is not checked in (the pass
    is looked up by its code alone, and its conference compared)."""
    stranger = make_delegate(make_conference(title="Hội nghị giao ban KH&CN", starts_at=NOW))
    response = post(client, "/api/v1/checkin", {"code": qr_text(conference.id, stranger.pass_code)}, device_token)
    assert (response.status_code, response.get_json()["result"]) == (404, "unknown_code")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_a_scanner_gets_no_session_cookie(client, conference, make_delegate, device_token):
    """A device API call with a bearer token is the token's alone: it sets no session cookie."""
    response = post(client, "/api/v1/checkin", {"code": code_of(make_delegate(conference))}, device_token)
    assert response.status_code == 201 and "Set-Cookie" not in response.headers


def test_a_bearer_call_is_decided_by_its_token_alone(reception_client, conference, make_delegate, db):
    """A wrong bearer token sent with a signed-in reception session is refused: the session does not stand in
    for the token."""
    code = code_of(make_delegate(conference))
    response = reception_client.post(f"/api/v1/checkin?conference_id={conference.id}", json={"code": code},
                                     headers={"Authorization": "Bearer sai-ma"})
    assert response.status_code == 401 and response.get_json()["result"] == "unauthorized"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer sai-ma"}, {"Authorization": "Basic abc"}])
def test_without_a_valid_token_is_unauthorized(client, conference, headers):
    for method, url in (("get", "/api/v1/delegates"), ("post", "/api/v1/checkin"), ("post", "/api/v1/checkin/batch")):
        response = getattr(client, method)(url, json={"code": "1"}, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["result"] == "unauthorized"


def test_revoked_token_is_unauthorized(client, conference, make_delegate, db):
    device, token = devices.create_device(conference, "Điện thoại chị Lan")
    delegate = make_delegate(conference)
    assert post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token).status_code == 201
    devices.revoke_device(db.session.get(Device, device.id))
    response = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token)
    assert response.status_code == 401
    answer = response.get_json()
    assert answer["result"] == "unauthorized" and answer["message"].startswith("Mã thiết bị này đã bị thu hồi lúc ")


def test_token_is_stored_hashed_and_last_seen_is_noted(client, conference, db):
    device, token = devices.create_device(conference, "Máy quét")
    stored = db.session.get(Device, device.id)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.last_seen_at is None
    client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {token}"})
    db.session.expire_all()
    assert db.session.get(Device, device.id).last_seen_at is not None


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"code"', b"", b"null", b"12"])
def test_a_body_that_is_not_an_object_is_an_invalid_code(client, device_token, db, body):
    """The contract: input that is not a scan is 400 invalid_code, never a 500 (and nothing is logged)."""
    response = client.post("/api/v1/checkin", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["result"] == "invalid_code" and "đối tượng JSON" in answer["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 0


@pytest.mark.parametrize("body", [{}, {"code": None}, {"code": 12}, {"code": 1.5}, {"code": ["1-2"]},
                                  {"code": {"code": "1"}}, {"code": True}, {"code": "   "}])
def test_a_missing_null_or_numeric_code_is_an_invalid_code(client, device_token, db, body):
    """A missing, null or non-text code is answered like a code that is not a pass: 400 invalid_code, logged as
    a scan (what was presented at the door)."""
    response = post(client, "/api/v1/checkin", body, device_token)
    assert (response.status_code, response.get_json()["result"]) == (400, "invalid_code")
    assert "Thiếu mã quét" in response.get_json()["message"]
    assert db.session.scalars(sa.select(Scan.result)).all() == ["invalid_code"]


def test_nonce_replays_the_first_answer_and_changes_nothing(client, conference, make_delegate, device_token, db):
    delegate = make_delegate(conference)
    first = post(client, "/api/v1/checkin", {"code": code_of(delegate), "nonce": "scan-1"}, device_token)
    again = post(client, "/api/v1/checkin", {"code": code_of(delegate), "nonce": "scan-1"}, device_token)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    # even with another code, the nonce's first answer comes back
    replay = post(client, "/api/v1/checkin", {"code": "rác", "nonce": "scan-1"}, device_token)
    assert replay.get_json() == first.get_json()
    # another delegate's valid pass with that nonce: replayed too, and that delegate is not checked in
    other = post(client, "/api/v1/checkin", {"code": code_of(make_delegate(conference)), "nonce": "scan-1"},
                 device_token)
    assert other.status_code == 201 and other.get_json() == first.get_json()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
    fresh = post(client, "/api/v1/checkin", {"code": code_of(delegate), "nonce": "scan-2"}, device_token)
    assert fresh.status_code == 200 and fresh.get_json()["result"] == "already_checked_in"


def test_scanned_at_becomes_the_checkin_time_and_implausible_times_are_refused(client, conference, make_delegate,
                                                                               device_token, db):
    delegate = make_delegate(conference)
    scanned = (NOW - timedelta(minutes=17)).isoformat().replace("+00:00", "Z")
    for bad in ((NOW + timedelta(hours=1)).isoformat(), "hôm qua", 12):
        response = post(client, "/api/v1/checkin", {"code": code_of(delegate), "scanned_at": bad}, device_token)
        assert response.status_code == 400 and response.get_json()["result"] == "invalid_request"
    early = post(client, "/api/v1/checkin", {"code": code_of(delegate),
                                             "scanned_at": (NOW - timedelta(days=3)).isoformat()}, device_token)
    assert (early.status_code, early.get_json()["result"]) == (409, "outside_window")  # tests/test_door_window.py
    response = post(client, "/api/v1/checkin", {"code": code_of(delegate), "scanned_at": scanned}, device_token)
    assert response.status_code == 201
    checkin = db.session.scalars(sa.select(CheckIn)).one()
    assert checkin.checked_in_at == NOW - timedelta(minutes=17)
    assert checkin.recorded_at > checkin.checked_in_at


def test_batch_answers_each_scan_in_order(client, conference, make_delegate, device_token, db):
    a, b = make_delegate(conference), make_delegate(conference)
    scans = [{"code": code_of(a), "nonce": "n1"}, {"code": code_of(b), "nonce": "n2"}, {"code": "sai", "nonce": "n3"},
             {"code": code_of(a), "nonce": "n4"}, "không phải đối tượng", {"code": code_of(a), "nonce": "n1"}]
    response = post(client, "/api/v1/checkin/batch", {"scans": scans}, device_token)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["result"] for r in results] == ["ok", "ok", "invalid_code", "already_checked_in", "invalid_code",
                                              "ok"]
    assert [r["status"] for r in results] == [201, 201, 400, 200, 400, 201]
    # sending the whole batch again changes nothing
    again = post(client, "/api/v1/checkin/batch", {"scans": scans}, device_token).get_json()["results"]
    assert [r["result"] for r in again] == [r["result"] for r in results]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 2


def test_a_batch_costs_each_scan_the_queries_of_one_scan(client, conference, make_delegate, device_token):
    """A batch authenticates once, then each scan runs what a single scan runs after authenticating: nothing is
    read again per scan (the conference, the device)."""
    codes = [code_of(make_delegate(conference)) for _ in range(8)]
    post(client, "/api/v1/checkin", {"code": codes[0], "nonce": "warm-up"}, device_token)  # the device noted as seen
    with count_queries() as single:
        post(client, "/api/v1/checkin", {"code": codes[1], "nonce": "single"}, device_token)
    with count_queries() as batch:
        response = post(client, "/api/v1/checkin/batch",
                        {"scans": [{"code": c, "nonce": f"b{n}"} for n, c in enumerate(codes[2:])]}, device_token)
    assert [r["status"] for r in response.get_json()["results"]] == [201] * 6
    authenticating = 1
    assert batch() == authenticating + 6 * (single() - authenticating)


def test_batch_limits(client, device_token):
    too_many = [{"code": "1"}] * 501
    response = post(client, "/api/v1/checkin/batch", {"scans": too_many}, device_token)
    assert response.status_code == 400 and response.get_json()["result"] == "invalid_request"
    for payload in ({"scans": "x"}, {}, {"scans": None}):
        response = post(client, "/api/v1/checkin/batch", payload, device_token)
        assert response.status_code == 400 and response.get_json()["result"] == "invalid_request"
    assert post(client, "/api/v1/checkin/batch", {"scans": []}, device_token).get_json() == {"result": "ok",
                                                                                          "results": []}


def test_delegates_list_for_offline_desks(client, conference, make_delegate, device_token):
    a = make_delegate(conference, "Lê Văn Hùng")
    declined = make_delegate(conference, invitation_status="declined")
    post(client, "/api/v1/checkin", {"code": code_of(a)}, device_token)
    response = client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {device_token}"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["result"] == "ok" and data["synced_at"].endswith("Z")
    by_id = {d["id"]: d for d in data["delegates"]}
    assert by_id[a.id]["code"] == code_of(a)
    assert by_id[a.id]["checked_in_at"] is not None
    assert set(by_id[a.id]) >= {"id", "name", "position", "agency", "code", "checked_in_at"}
    assert by_id[declined.id]["admitted"] is False and by_id[declined.id]["checked_in_at"] is None


def test_the_desk_session_may_use_the_api_with_a_csrf_token(app, reception_client, conference, make_delegate):
    delegate = make_delegate(conference)
    url = f"/api/v1/checkin?conference_id={conference.id}"
    assert reception_client.get(f"/api/v1/delegates?conference_id={conference.id}").status_code == 200
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = reception_client.post(url, json={"code": code_of(delegate)})
        assert refused.status_code == 401
        page = reception_client.get(f"/hoi-nghi/{conference.id}/don-tiep").get_data(as_text=True)
        token = page.split('"X-CSRFToken": "')[1].split('"')[0]
        accepted = reception_client.post(url, json={"code": code_of(delegate)}, headers={"X-CSRFToken": token})
        assert accepted.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_cli_prints_a_working_device_token(app, client, conference, make_delegate):
    delegate = make_delegate(conference)
    result = app.test_cli_runner().invoke(args=["device-token", str(conference.id), "Máy quét cửa chính"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token).status_code == 201
    missing = app.test_cli_runner().invoke(args=["device-token", "999999", "X"])
    assert missing.exit_code != 0


# --- concurrency: the acceptance test -------------------------------------------------------------

def test_concurrent_desks_never_count_twice(app, db, conference, make_delegate, device_token):
    """8 clients scan the same 200 codes twice each in random order: 200 ok, 200 already, no error."""
    codes = []
    for n in range(200):
        delegate = make_delegate(conference, f"Đại biểu {n}")
        codes.append(code_of(delegate))
    work = codes * 2
    random.Random(4).shuffle(work)
    shares = [work[i::8] for i in range(8)]
    answers: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def desk(share):
        client = app.test_client()
        try:
            start.wait()
            for code in share:
                response = post(client, "/api/v1/checkin", {"code": code}, device_token)
                with lock:
                    answers.append((response.status_code, response.get_json()["result"]))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert sorted(set(answers)) == [(200, "already_checked_in"), (201, "ok")]
    assert answers.count((201, "ok")) == 200
    assert answers.count((200, "already_checked_in")) == 200
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 400


def test_a_batch_stops_trying_while_the_database_stays_locked(app, db, conference, make_delegate, monkeypatch):
    """SQLite locked by another process for longer than a check-in waits: the first scan of a batch is answered
    busy, the others are not tried (each would wait as long) but answered busy too, and the desk sends them
    again later: then they check in once each."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    import sqlite3

    conference_id = conference.id
    scans = [{"code": code_of(make_delegate(conference)), "nonce": f"queued-{n}"} for n in range(3)]
    locker = sqlite3.connect(db.engine.url.database, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr(scanning, "LOCK_WAIT_SECONDS", 0.2)
        with app.test_request_context():
            conference = db.session.get(Conference, conference_id)
            with count_queries() as queries:
                _, body = scanning.record_batch(conference, scans)
    finally:
        locker.rollback()
        locker.close()
    assert [(r["status"], r["result"]) for r in body["results"]] == [(503, "busy")] * 3
    assert queries() == 1  # the first scan's one read (the pass and the nonce's first answer); nothing for the others
    with app.test_request_context():
        _, body = scanning.record_batch(db.session.get(Conference, conference_id), scans)
    assert [r["status"] for r in body["results"]] == [201] * 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 3


# --- the desk ------------------------------------------------------------------------------------

def test_desk_page_has_the_scan_box(reception_client, conference):
    response = reception_client.get(f"/hoi-nghi/{conference.id}/don-tiep")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="scan-code"' in html and "checkin.js" in html
    assert "<script>" not in html


def test_desk_form_without_javascript(reception_client, conference, make_delegate, db):
    delegate = make_delegate(conference)
    response = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/quet", data={"code": code_of(delegate)})
    assert response.status_code == 303
    assert "Check-in thành công" in reception_client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1


def test_search_ignores_accents_and_checks_in_from_the_result(reception_client, conference, make_delegate, db):
    duc = make_delegate(conference, "Nguyễn Văn Đức", agency_name="UBND xã Nghĩa Hành")
    make_delegate(conference, "Phạm Thị Hoa")
    response = reception_client.get(f"/hoi-nghi/{conference.id}/don-tiep/tim?q=nguyen van duc",
                                    headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "Nguyễn Văn Đức" in html and "Phạm Thị Hoa" not in html and "<html" not in html
    assert "nghia hanh" not in html  # the search key stays internal
    response = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/dai-bieu/{duc.id}/check-in",
                                     headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "result-ok" in response.get_data(as_text=True)
    checkin = db.session.scalars(sa.select(CheckIn)).one()
    assert (checkin.delegate_id, checkin.method) == (duc.id, "search")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "checkin.by_name")).one()
    assert "Nguyễn Văn Đức" in entry.summary


def test_walk_in_is_registered_and_checked_in_in_one_step(reception_client, conference, db):
    response = reception_client.post(
        f"/hoi-nghi/{conference.id}/don-tiep/khach-moi",
        data={"walkin-full_name": "Võ Thị Sáu", "walkin-position": "Phóng viên", "walkin-agency_name": "Báo Quảng Ngãi"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Võ Thị Sáu" in response.get_data(as_text=True)
    delegate = db.session.scalars(sa.select(Delegate)).one()
    assert (delegate.kind, delegate.invitation_id, delegate.search_text) == (
        "walk_in", None, "vo thi sau phong vien bao quang ngai")
    assert delegate.precedence == 50  # ranked by eventapp.seniority: a position it does not know
    checkin = db.session.scalars(sa.select(CheckIn)).one()
    assert (checkin.delegate_id, checkin.method) == (delegate.id, "walk_in")
    empty = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/khach-moi", data={"walkin-full_name": " "},
                                  headers={"HX-Request": "true"})
    assert empty.status_code == 422 and empty.headers["HX-Retarget"] == "#flash-area"
    assert "Vui lòng nhập họ và tên khách" in empty.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)) == 1


def test_substitute_replaces_the_invited_person(reception_client, conference, make_delegate, db):
    invited = make_delegate(conference, "Đặng Văn Minh", position="Giám đốc", agency_name="Sở Công Thương")
    response = reception_client.post(
        f"/hoi-nghi/{conference.id}/don-tiep/nguoi-di-thay",
        data={"sub-replaced_id": invited.id, "sub-full_name": "Hồ Thị Thu", "sub-position": "Phó Giám đốc"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hồ Thị Thu" in html and "Đặng Văn Minh" in html
    substitute = db.session.scalars(sa.select(Delegate).where(Delegate.kind == "substitute")).one()
    assert (substitute.replaces_name, substitute.agency_name, substitute.invitation_id) == (
        "Đặng Văn Minh", "Sở Công Thương", invited.invitation_id)
    assert substitute.precedence == 20  # a deputy director, ranked by her own position (eventapp.seniority)
    db.session.expire_all()
    assert db.session.get(Delegate, invited.id).status == "cancelled"
    assert db.session.scalars(sa.select(CheckIn)).one().delegate_id == substitute.id


def test_undo_the_last_checkin_is_audited_and_allows_a_new_scan(reception_client, client, conference,
                                                                make_delegate, device_token, db):
    delegate = make_delegate(conference, "Bùi Thị Xuân")
    reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/dai-bieu/{delegate.id}/check-in")
    response = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/hoan-tac", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Đã hoàn tác" in response.get_data(as_text=True)
    checkin = db.session.scalars(sa.select(CheckIn)).one()
    assert checkin.undone_at is not None and checkin.undone_by_id is not None
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "checkin.undo")).one()
    assert "Bùi Thị Xuân" in entry.summary
    assert post(client, "/api/v1/checkin", {"code": code_of(delegate)}, device_token).status_code == 201
    nothing = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/hoan-tac", data={"checkin_id": "999999"},
                                    headers={"HX-Request": "true"})
    assert "Không có lượt check-in nào để hoàn tác" in nothing.get_data(as_text=True)


def test_reception_cannot_manage_device_tokens(reception_client, conference):
    assert reception_client.get(f"/hoi-nghi/{conference.id}/thiet-bi").status_code == 403


def test_department_staff_cannot_open_the_desk(department_client, conference, client):
    assert client.get(f"/hoi-nghi/{conference.id}/don-tiep").status_code in {302, 403}
    assert department_client.get(f"/hoi-nghi/{conference.id}/don-tiep").status_code == 403
    assert department_client.get(f"/hoi-nghi/{conference.id}/theo-doi").status_code == 403


# --- devices --------------------------------------------------------------------------------------

def test_organizer_creates_a_token_shown_once_and_revokes_it(organizer_client, conference, db):
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi", data={"name": "Máy quét cửa Đông"})
    html = response.get_data(as_text=True)
    device = db.session.scalars(sa.select(Device)).one()
    token = html.split('data-token="')[1].split('"')[0]
    assert devices.hash_token(token) == device.token_hash
    assert token not in organizer_client.get(f"/hoi-nghi/{conference.id}/thiet-bi").get_data(as_text=True)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/{device.id}/thu-hoi")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Device, device.id).revoked_at is not None


# --- badges and the board ------------------------------------------------------------------------

def test_badge_sheet_has_eight_per_page_with_readable_qr(reception_client, conference, make_delegate):
    import io

    import zxingcpp
    from PIL import Image

    delegates = [make_delegate(conference, f"Trương Văn {n}") for n in range(10)]
    html = reception_client.get(f"/hoi-nghi/{conference.id}/the-dai-bieu").get_data(as_text=True)
    assert html.count('class="badge-card"') == 10 and html.count('class="sheet"') == 2
    chosen = reception_client.get(f"/hoi-nghi/{conference.id}/the-dai-bieu?id={delegates[0].id}&id={delegates[1].id}")
    assert chosen.get_data(as_text=True).count('class="badge-card"') == 2
    # the fast QR decodes to the pass text
    from eventapp.qr import qr_svg

    svg = str(qr_svg(code_of(delegates[0])))
    path = svg.split(' d="')[1].split('"')[0]
    size = int(svg.split('viewBox="-2 -2 ')[1].split(" ")[0])
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    pixels = image.load()
    for part in path.split("z"):
        if not part:
            continue
        x, y = (int(v) for v in part[1:].split("h")[0].split(" "))
        width = int(part.split("h")[1].split("v")[0])
        for px in range((x + 2) * scale, (x + 2 + width) * scale):
            for py in range((y + 2) * scale, (y + 3) * scale):
                pixels[px, py] = 0
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    assert decoded and decoded[0].text == code_of(delegates[0])


def test_single_badge_at_the_desk(reception_client, conference, make_delegate):
    delegate = make_delegate(conference, "Mai Văn Tùng", position="Trưởng phòng")
    html = reception_client.get(f"/hoi-nghi/{conference.id}/the-dai-bieu/{delegate.id}").get_data(as_text=True)
    assert "Mai Văn Tùng" in html and "Trưởng phòng" in html and "<svg" in html


def test_board_counts_by_group_and_agency_in_constant_queries(reception_client, conference, make_delegate, db,
                                                              device_token, client):
    group = AgencyGroup(name="Sở, ban, ngành", position=1)
    db.session.add(group)
    db.session.flush()
    finance = Agency(name="Sở Tài chính", group_id=group.id)
    db.session.add(finance)
    db.session.commit()
    leader = make_delegate(conference, "Phạm Văn Lãnh Đạo", agency=finance, precedence=1)
    others = [make_delegate(conference, agency=finance) for _ in range(3)]
    for delegate in others[:2]:
        post(client, "/api/v1/checkin", {"code": code_of(delegate)}, device_token)
    response = reception_client.get(f"/hoi-nghi/{conference.id}/theo-doi", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "2/4" in html.replace(" ", "") and "Sở, ban, ngành" in html
    assert html.index("Phạm Văn Lãnh Đạo") < html.index(others[2].full_name)
    assert "<svg" in html
    reception_client.get(f"/hoi-nghi/{conference.id}/theo-doi", headers={"HX-Request": "true"})
    with count_queries() as few:
        reception_client.get(f"/hoi-nghi/{conference.id}/theo-doi", headers={"HX-Request": "true"})
    for _ in range(20):
        post(client, "/api/v1/checkin", {"code": code_of(make_delegate(conference, agency=finance))}, device_token)
    reception_client.get(f"/hoi-nghi/{conference.id}/theo-doi", headers={"HX-Request": "true"})
    with count_queries() as many:
        reception_client.get(f"/hoi-nghi/{conference.id}/theo-doi", headers={"HX-Request": "true"})
    assert few() == many()
    assert leader


def test_the_same_scan_sent_by_many_at_once_is_recorded_once(app, db, conference, make_delegate, device_token):
    """A desk resending one scan (same nonce) from several connections at once: one scan, one answer."""
    delegate = make_delegate(conference)
    payload = {"code": code_of(delegate), "nonce": "same-scan"}
    answers, errors = [], []
    start = threading.Barrier(8)

    def resend():
        client = app.test_client()
        try:
            start.wait()
            for _ in range(3):
                response = post(client, "/api/v1/checkin", payload, device_token)
                answers.append((response.status_code, json.dumps(response.get_json(), sort_keys=True)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=resend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(answers) == 24 and len(set(answers)) == 1 and answers[0][0] == 201
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
