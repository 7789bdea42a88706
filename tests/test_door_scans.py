"""The door's rules for scans: who was first and where, the check-in window for live and offline scans alike,
and one check-in per delegate and day on a conference of several days."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp import vntime
from eventapp.checkin import attendance, devices, scanning
from eventapp.models import CheckIn, Delegate, Scan, User
from eventapp.passes import qr_text

NOW = datetime.now(UTC).replace(microsecond=0)


def code_of(delegate) -> str:
    return qr_text(delegate.conference_id, delegate.pass_code)


def post(client, url, payload, token):
    return client.post(url, data=json.dumps(payload), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def at(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def local_midnight(day: date) -> datetime:
    return vntime.local_to_utc(datetime.combine(day, datetime.min.time()))


@pytest.fixture()
def three_days(make_conference):
    """A conference that began yesterday morning and ends tomorrow evening (local time)."""
    today = vntime.to_local(NOW).date()
    return make_conference(starts_at=local_midnight(today - timedelta(days=1)) + timedelta(hours=7, minutes=30),
                           ends_at=local_midnight(today + timedelta(days=1)) + timedelta(hours=17))


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- who was first, and where --------------------------------------------------------------------

def test_already_checked_in_says_when_and_at_which_desk(client, three_days, make_delegate, db):
    _, desk_two = devices.create_device(three_days, "Bàn 2")
    _, desk_five = devices.create_device(three_days, "Bàn 5")
    delegate = make_delegate(three_days, "Trần Thị Lan")
    first = post(client, "/api/v1/checkin", {"code": code_of(delegate), "nonce": "a"}, desk_two).get_json()
    assert (first["result"], first["desk"]) == ("ok", "Bàn 2")
    again = post(client, "/api/v1/checkin", {"code": code_of(delegate), "nonce": "b"}, desk_five)
    answer = again.get_json()
    assert again.status_code == 200 and answer["result"] == "already_checked_in"
    assert answer["desk"] == "Bàn 2" and answer["checked_in_at"] == first["checked_in_at"]
    assert answer["message"] == f"Đã vào lúc {first['time']} ở Bàn 2"
    assert answer["day"] == vntime.to_local(NOW).date().isoformat()


def test_a_desk_staff_member_is_named_as_the_desk(reception_client, client, three_days, make_delegate, db):
    """A check-in made by a signed-in reception user is told with that user's name; the offline list says it too."""
    _, token = devices.create_device(three_days, "Bàn 1")
    delegate = make_delegate(three_days)
    reception_client.post(f"/api/v1/checkin?conference_id={three_days.id}", json={"code": code_of(delegate)})
    answer = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token).get_json()
    assert answer["result"] == "already_checked_in"
    name = db.session.get(User, db.session.scalar(sa.select(CheckIn)).user_id).full_name
    assert answer["desk"] == name and answer["message"].endswith(f"ở {name}")
    listed = client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [d["desk"] for d in listed["delegates"]] == [name]


def test_the_offline_list_gives_the_day_the_window_and_the_days_check_ins(client, three_days, make_delegate, db):
    _, token = devices.create_device(three_days, "Bàn 3")
    came_yesterday, came_today, not_yet = (make_delegate(three_days) for _ in range(3))
    post(client, "/api/v1/checkin", {"code": code_of(came_yesterday), "scanned_at": at(NOW - timedelta(days=1))},
         token)
    post(client, "/api/v1/checkin", {"code": code_of(came_today)}, token)
    data = client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {token}"}).get_json()
    today = vntime.to_local(NOW).date()
    assert data["day"] == today.isoformat()
    assert data["window"] == {"opens_at": at(local_midnight(today - timedelta(days=2))),
                              "closes_at": at(local_midnight(today + timedelta(days=2)))}
    by_id = {d["id"]: d for d in data["delegates"]}
    assert (by_id[came_yesterday.id]["checked_in_at"], by_id[came_yesterday.id]["desk"]) == (None, None)
    assert by_id[came_today.id]["checked_in_at"] is not None and by_id[came_today.id]["desk"] == "Bàn 3"
    assert by_id[not_yet.id]["checked_in_at"] is None
    assert set(by_id[not_yet.id]) == {"id", "name", "position", "agency", "kind", "replaces_name", "code",
                                      "checked_in_at", "desk", "admitted", "reason"}
    assert {"result", "conference_id", "synced_at", "day", "window", "delegates"} == set(data)


# --- one rule for scan times: the window ----------------------------------------------------------

def test_the_default_window_is_the_day_before_to_the_end_of_the_last_day(make_conference):
    starts = vntime.local_to_utc(datetime(2026, 12, 4, 7, 30))
    conference = make_conference(starts_at=starts, ends_at=vntime.local_to_utc(datetime(2026, 12, 5, 11, 30)))
    assert scanning.checkin_window(conference) == (vntime.local_to_utc(datetime(2026, 12, 3)),
                                                   vntime.local_to_utc(datetime(2026, 12, 6)))


@pytest.mark.parametrize("offline", [False, True])
def test_a_conference_weeks_away_refuses_live_and_offline_scans_alike(offline, client, make_conference,
                                                                      make_delegate, db):
    """The rule that broke (issue 14): a scan for a conference more than a day away is refused with the window,
    whether it is live or comes from an offline queue with its own time; nothing is checked in and the scan is
    logged with its answer."""
    conference = make_conference(starts_at=NOW + timedelta(days=20))
    _, token = devices.create_device(conference, "Bàn 1")
    payload = {"code": code_of(make_delegate(conference)), "nonce": "n"}
    if offline:
        payload["scanned_at"] = at(NOW - timedelta(minutes=3))
    response = post(client, "/api/v1/checkin", payload, token)
    answer = response.get_json()
    assert response.status_code == 409 and answer["result"] == "outside_window"
    opens, closes = scanning.checkin_window(conference)
    assert answer["message"].startswith("Chưa đến thời gian đón tiếp")
    assert scanning.window_text(opens, closes) in answer["message"]
    last_day = vntime.format_date(vntime.to_local(closes).date() - timedelta(days=1))
    assert f"từ {vntime.format_datetime(opens)} đến hết ngày {last_day}" in answer["message"]
    assert answer["window"] == {"opens_at": at(opens), "closes_at": at(closes)}
    assert count(db, CheckIn) == 0
    assert db.session.scalars(sa.select(Scan.result)).all() == ["outside_window"]
    assert post(client, "/api/v1/checkin", payload, token).get_json() == answer  # its nonce replays it


def test_an_offline_scan_keeps_its_time_after_the_window_closed(client, make_conference, make_delegate, db):
    """A queue uploaded after the door closed: a scan made inside the window is checked in at its own time; one
    made after it is refused, never re-timed."""
    conference = make_conference(starts_at=NOW - timedelta(days=3), ends_at=NOW - timedelta(days=3, hours=-4))
    _, token = devices.create_device(conference, "Bàn 1")
    inside, after = make_delegate(conference), make_delegate(conference)
    scanned = conference.starts_at + timedelta(minutes=5)
    results = post(client, "/api/v1/checkin/batch", {"scans": [
        {"code": code_of(inside), "nonce": "q1", "scanned_at": at(scanned)},
        {"code": code_of(after), "nonce": "q2", "scanned_at": at(NOW - timedelta(minutes=2))},
        {"code": code_of(after), "nonce": "q3"},
    ]}, token).get_json()["results"]
    assert [(r["status"], r["result"]) for r in results] == [(201, "ok"), (409, "outside_window"),
                                                            (409, "outside_window")]
    assert results[1]["message"].startswith("Đã hết thời gian đón tiếp")
    checkin = db.session.scalars(sa.select(CheckIn)).one()
    assert (checkin.delegate_id, checkin.checked_in_at) == (inside.id, scanned)
    assert checkin.day == vntime.to_local(scanned).date()


def test_organizers_set_the_window_and_the_door_follows_it(client, three_days, make_delegate, db):
    _, token = devices.create_device(three_days, "Bàn 1")
    delegate = make_delegate(three_days)
    three_days.checkin_opens_at = NOW + timedelta(hours=1)
    db.session.commit()
    refused = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token)
    assert refused.get_json()["result"] == "outside_window"
    three_days.checkin_opens_at = NOW - timedelta(hours=1)
    three_days.checkin_closes_at = NOW + timedelta(hours=1)
    db.session.commit()
    assert post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token).status_code == 201


def test_a_window_that_ends_before_it_opens_is_refused_by_the_database(three_days, db):
    three_days.checkin_opens_at = NOW
    three_days.checkin_closes_at = NOW - timedelta(hours=1)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_no_walk_in_is_registered_while_the_door_is_closed(reception_client, make_conference, db):
    """A walk-in is registered and checked in in one step, or not at all: outside the window nothing is saved."""
    conference = make_conference(starts_at=NOW + timedelta(days=20))
    response = reception_client.post(f"/hoi-nghi/{conference.id}/don-tiep/khach-moi",
                                     data={"walkin-full_name": "Võ Thị Sáu"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Chưa đến thời gian đón tiếp" in response.get_data(as_text=True)
    assert count(db, Delegate) == 0 and count(db, CheckIn) == 0


# --- per-day attendance ---------------------------------------------------------------------------

def test_a_delegate_checks_in_once_each_day(client, three_days, make_delegate, db):
    """Support is paid per day: checked in yesterday (an offline scan) and again today, each once."""
    _, token = devices.create_device(three_days, "Bàn 1")
    delegate = make_delegate(three_days)
    yesterday = post(client, "/api/v1/checkin", {"code": code_of(delegate), "scanned_at": at(NOW - timedelta(days=1))},
                     token)
    today = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token)
    again = post(client, "/api/v1/checkin", {"code": code_of(delegate)}, token)
    assert (yesterday.status_code, today.status_code, again.status_code) == (201, 201, 200)
    assert yesterday.get_json()["day"] != today.get_json()["day"] == again.get_json()["day"]
    local_today = vntime.to_local(NOW).date()
    assert attendance.days_attended(three_days) == {delegate.id: [local_today - timedelta(days=1), local_today]}


def test_days_attended_leaves_out_undone_check_ins(reception_client, three_days, make_delegate, db):
    kept, undone = make_delegate(three_days), make_delegate(three_days)
    for delegate in (kept, undone):
        reception_client.post(f"/hoi-nghi/{three_days.id}/don-tiep/dai-bieu/{delegate.id}/check-in")
    reception_client.post(f"/hoi-nghi/{three_days.id}/don-tiep/hoan-tac")
    assert attendance.days_attended(three_days) == {kept.id: [vntime.to_local(NOW).date()]}


def test_the_database_allows_one_live_check_in_per_delegate_and_day(three_days, make_delegate, db):
    delegate = make_delegate(three_days)
    today = vntime.to_local(NOW).date()
    db.session.add_all([CheckIn(conference_id=three_days.id, delegate_id=delegate.id, checked_in_at=NOW),
                        CheckIn(conference_id=three_days.id, delegate_id=delegate.id,
                                checked_in_at=NOW - timedelta(days=1))])
    db.session.commit()
    assert sorted(db.session.scalars(sa.select(CheckIn.day))) == [today - timedelta(days=1), today]
    db.session.add(CheckIn(conference_id=three_days.id, delegate_id=delegate.id, checked_in_at=NOW, day=today))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_two_days_of_eight_desks_at_once_count_each_delegate_once_a_day(app, db, client, three_days, make_delegate):
    """8 desks at once scan 60 delegates twice each on yesterday (offline queues, their own times) and twice each
    today (live): each delegate is checked in exactly once each day, every other scan is already_checked_in."""
    tokens = [devices.create_device(three_days, f"Bàn {n + 1}")[1] for n in range(8)]
    codes = [code_of(make_delegate(three_days)) for _ in range(60)]
    yesterday = at(NOW - timedelta(days=1))
    work = [{"code": c, "scanned_at": yesterday} for c in codes] * 2 + [{"code": c} for c in codes] * 2
    shares = [work[i::8] for i in range(8)]
    answers, errors, start = [], [], threading.Barrier(8)

    def desk(token, share):
        desk_client = app.test_client()
        try:
            start.wait()
            for payload in share:
                answers.append(post(desk_client, "/api/v1/checkin", payload, token).get_json()["result"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=pair) for pair in zip(tokens, shares, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    assert (answers.count("ok"), answers.count("already_checked_in")) == (120, 120)
    per_day = db.session.execute(sa.select(CheckIn.day, sa.func.count()).group_by(CheckIn.day)).all()
    assert sorted(n for _, n in per_day) == [60, 60]


def test_the_board_counts_the_day_it_shows(reception_client, client, three_days, make_delegate, db):
    """The board shows today by default and any day of the conference on request; yesterday's arrivals are not
    today's."""
    _, token = devices.create_device(three_days, "Bàn 1")
    came_yesterday, came_today = make_delegate(three_days, "Lê Văn Hôm Qua"), make_delegate(three_days)
    post(client, "/api/v1/checkin", {"code": code_of(came_yesterday), "scanned_at": at(NOW - timedelta(days=1))},
         token)
    post(client, "/api/v1/checkin", {"code": code_of(came_today)}, token)
    today = vntime.to_local(NOW).date()
    page = reception_client.get(f"/hoi-nghi/{three_days.id}/theo-doi").get_data(as_text=True)
    assert f"Ngày 2/3 · {vntime.weekday_vn(today)} {vntime.format_date(today)}" in page
    assert "1/2" in page.replace(" ", "") and "Lê Văn Hôm Qua" in page.split("Chưa đến")[1]  # missing today
    assert f"ngay={(today - timedelta(days=1)).isoformat()}" in page
    yesterday = reception_client.get(f"/hoi-nghi/{three_days.id}/theo-doi?ngay={(today - timedelta(days=1))}",
                                     headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "1/2" in yesterday.replace(" ", "") and "Lê Văn Hôm Qua" not in yesterday.split("Chưa đến")[1]
    assert f'ngay={(today - timedelta(days=1)).isoformat()}"' in yesterday  # it refreshes the same day
    odd = reception_client.get(f"/hoi-nghi/{three_days.id}/theo-doi?ngay=hom-qua")
    assert odd.status_code == 200 and f"{vntime.format_date(today)}" in odd.get_data(as_text=True)


# --- the check-in path lean -------------------------------------------------------------------------

def test_a_first_scan_sends_four_statements_and_a_repeat_three(client, three_days, make_delegate, db):
    """What a scan costs through SQLAlchemy, on either database (bench/bench_checkin.py counts the wire on
    PostgreSQL: these and BEGIN, COMMIT and the pool's ping): the device, the pass with the day's check-in and
    the nonce's first answer in one read, then the check-in and the scan. A repeat writes only the scan; a
    nonce sent again only reads."""
    _, token = devices.create_device(three_days, "Bàn 1")
    first, other = make_delegate(three_days), make_delegate(three_days)
    post(client, "/api/v1/checkin", {"code": code_of(other), "nonce": "warm-up"}, token)  # the device noted as seen
    def kinds(payload) -> list[str]:
        seen: list[str] = []

        def note(conn, cursor, statement, *args):
            seen.append(statement.split()[0].upper())

        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            assert post(client, "/api/v1/checkin", payload, token).status_code in (200, 201)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)
        return seen

    assert kinds({"code": code_of(first), "nonce": "first"}) == ["SELECT", "SELECT", "INSERT", "INSERT"]
    assert kinds({"code": code_of(first), "nonce": "repeat"}) == ["SELECT", "SELECT", "INSERT"]
    assert kinds({"code": code_of(first), "nonce": "first"}) == ["SELECT", "SELECT"]
    assert count(db, CheckIn) == 2 and count(db, Scan) == 3


def test_the_desks_search_tells_who_is_in_today(reception_client, client, three_days, make_delegate, db):
    """Found by name, a delegate checked in yesterday is not in yet today, and can be checked in again."""
    _, token = devices.create_device(three_days, "Bàn 1")
    delegate = make_delegate(three_days, "Phan Thị Hôm Qua")
    post(client, "/api/v1/checkin", {"code": code_of(delegate), "scanned_at": at(NOW - timedelta(days=1))}, token)
    from eventapp.checkin.desk import search_delegates

    assert [(d.id, when) for d, when in search_delegates(three_days, "phan thi hom qua")] == [(delegate.id, None)]
    response = reception_client.post(f"/hoi-nghi/{three_days.id}/don-tiep/dai-bieu/{delegate.id}/check-in",
                                     headers={"HX-Request": "true"})
    assert "result-ok" in response.get_data(as_text=True)
    assert count(db, CheckIn) == 2
