"""Secrets in links and passes: random, ≥128 bits, separate; regenerating one works, kills the old one and is
logged; nothing in a URL or a QR reveals another person's data."""

from __future__ import annotations

import base64
import math
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp.checkin.devices import create_device, revoke_device
from eventapp.checkin.scanning import record_checkin
from eventapp.models import AuditEntry, Delegate, Invitation, Paper, new_token
from eventapp.passes import PASS_CODE_DIGITS, new_pass_code, qr_text

from .ratelimits import limits_in
from .test_privacy import make_people


def _bits_of_urlsafe(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def test_link_tokens_and_pass_codes_have_at_least_128_random_bits():
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert min(_bits_of_urlsafe(t) for t in tokens) >= 128
    codes = {new_pass_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == PASS_CODE_DIGITS and c.isdigit() for c in codes)
    assert PASS_CODE_DIGITS * math.log2(10) >= 128
    # Uniform digits: every digit appears about as often at every position (a cheap sanity check, not a proof).
    counts = [0] * 10
    for code in codes:
        for ch in code:
            counts[int(ch)] += 1
    expected = 2000 * PASS_CODE_DIGITS / 10
    assert all(abs(c - expected) < expected * 0.1 for c in counts)


def test_each_secret_is_separate(db, make_conference):
    conference = make_conference()
    invitation, delegate, paper = make_people(db, conference)
    device, device_token = create_device(conference, "Bàn 1")
    secrets = [invitation.rsvp_token, delegate.pass_code, paper.token, device_token]
    assert len(set(secrets)) == 4
    for a in secrets:
        for b in secrets:
            assert a == b or a not in b
    assert _bits_of_urlsafe(invitation.rsvp_token) >= 128 and _bits_of_urlsafe(paper.token) >= 128
    assert _bits_of_urlsafe(device_token) >= 128
    assert device_token not in (device.token_hash, device.token_hint) and len(device.token_hint) <= 12


def test_one_secret_never_opens_another_door(db, client, make_conference):
    conference = make_conference()
    invitation, delegate, paper = make_people(db, conference)
    _, device_token = create_device(conference, "Bàn 1")
    assert client.get(f"/moi/{invitation.rsvp_token}").status_code == 200
    assert client.get(f"/the/{delegate.pass_code}").status_code == 200
    assert client.get(f"/tham-luan/{paper.token}").status_code == 200
    for secret in (delegate.pass_code, paper.token, device_token):
        assert client.get(f"/moi/{secret}").status_code == 404
    for secret in (invitation.rsvp_token, paper.token, device_token):
        assert client.get(f"/the/{secret}").status_code == 404
    for secret in (invitation.rsvp_token, delegate.pass_code, device_token):
        assert client.get(f"/tham-luan/{secret}").status_code == 404
    for secret in (invitation.rsvp_token, delegate.pass_code, paper.token):
        response = client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 401


def test_regenerating_the_rsvp_link_invalidates_the_old_one_and_is_logged(db, client, organizer_client,
                                                                       make_conference):
    conference = make_conference()
    invitation, delegate, _ = make_people(db, conference)
    old = invitation.rsvp_token
    response = organizer_client.post(f"/quan-tri/thu-moi/{invitation.id}/cap-lai-lien-ket",
                                     data={"delegate_id": str(delegate.id)})
    assert response.status_code == 303
    db.session.expire_all()
    new = db.session.get(Invitation, invitation.id).rsvp_token
    assert new != old and _bits_of_urlsafe(new) >= 128
    withdrawn = client.get(f"/moi/{old}")
    assert withdrawn.status_code == 410 and "đã được thay bằng" in withdrawn.get_data(as_text=True)
    assert client.get(f"/moi/{new}").status_code == 200
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.regenerate_link"))
    assert entry.entity_id == invitation.id and entry.user_id is not None
    assert old not in entry.summary + entry.details_json and new not in entry.summary + entry.details_json


def test_regenerating_a_pass_refuses_the_old_qr_at_the_desk_and_is_logged(db, client, organizer_client,
                                                                        make_conference):
    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    _, delegate, _ = make_people(db, conference)
    old_code, old_qr = delegate.pass_code, qr_text(conference.id, delegate.pass_code)
    db.session.execute(sa.text("DELETE FROM checkin"))
    db.session.commit()
    assert organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/cap-lai-the").status_code == 303
    db.session.expire_all()
    new_code = db.session.get(Delegate, delegate.id).pass_code
    assert new_code != old_code
    withdrawn = client.get(f"/the/{old_code}")
    assert withdrawn.status_code == 410 and "đã được thay bằng" in withdrawn.get_data(as_text=True)
    assert client.get(f"/the/{new_code}").status_code == 200
    status, body = record_checkin(conference, old_qr)
    assert status == 404 and body["result"] == "unknown_code"
    status, body = record_checkin(conference, qr_text(conference.id, new_code))
    assert status == 201 and body["result"] == "ok"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "delegate.regenerate_pass"))


def test_regenerating_a_speaker_link_invalidates_the_old_one(db, client, organizer_client, make_conference):
    conference = make_conference()
    _, _, paper = make_people(db, conference)
    old = paper.token
    assert organizer_client.post(f"/quan-tri/tham-luan/{paper.id}/cap-lai-lien-ket").status_code == 303
    db.session.expire_all()
    new = db.session.get(Paper, paper.id).token
    assert client.get(f"/tham-luan/{old}").status_code == 404
    assert client.get(f"/tham-luan/{new}").status_code == 200
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "paper.regenerate_link"))


def test_revoking_a_device_token_works_and_is_logged(db, client, make_conference):
    conference = make_conference()
    device, token = create_device(conference, "Bàn 2")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/delegates", headers=headers).status_code == 200
    revoke_device(device)
    assert client.get("/api/v1/delegates", headers=headers).status_code == 401
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "device.revoke"))


def test_urls_and_qr_codes_reveal_no_one_elses_data(db, client, make_conference):
    conference = make_conference()
    first, first_delegate, _ = make_people(db, conference)
    second, second_delegate, _ = make_people(db, conference, name="Trần Thị Bình", email="binh@example.vn")
    qr = qr_text(conference.id, first_delegate.pass_code)
    assert re.fullmatch(r"\d+-\d{40}-\d{6}", qr), "the QR holds only the conference number and the secret"
    rsvp_page = client.get(f"/moi/{first.rsvp_token}").get_data(as_text=True)
    pass_page = client.get(f"/the/{first_delegate.pass_code}").get_data(as_text=True)
    for page in (rsvp_page, pass_page):
        assert "Trần Thị Bình" not in page and "binh@example.vn" not in page
        assert second.rsvp_token not in page and second_delegate.pass_code not in page
    assert first.rsvp_token not in pass_page, "the pass never leads back to the answer page"
    # Links carry no sequential ids that could be walked through.
    for url in (f"/moi/{first.rsvp_token}", f"/the/{first_delegate.pass_code}"):
        assert str(first.id) not in url.split("/")[-1] or len(url.split("/")[-1]) > 20


# --- guessing secrets: counted and slowed down, never a correct one refused -----------------------------

@pytest.fixture(params=["memory", "redis"])
def limited(request, app):
    with limits_in(app, request.param) as limited_app:
        yield limited_app


def _guess(client, prefix: str, n: int, address: str = "10.20.30.40") -> list[int]:
    made_up = {"/moi/": lambda: new_token(), "/the/": lambda: new_pass_code(), "/tham-luan/": lambda: new_token()}
    return [client.get(prefix + made_up[prefix](), environ_base={"REMOTE_ADDR": address}).status_code
            for _ in range(n)]


def _scan(client, token, code, address="10.20.30.40"):
    return client.post("/api/v1/checkin", json={"code": code}, headers={"Authorization": f"Bearer {token}"},
                       environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("prefix", ["/moi/", "/the/", "/tham-luan/"])
def test_guessing_links_slows_down_misses_and_never_a_real_link(limited, db, client, make_conference, prefix):
    """31 made-up links from the venue's one address used to make every link and scanner from it answer 429 or
    401 for a minute. Misses past 30 a minute are answered 429 with Retry-After; every correct secret from that
    address still opens, and a scanner with a valid token still checks in."""
    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    invitation, delegate, paper = make_people(db, conference)
    _, token = create_device(conference, "Bàn 1")
    statuses = _guess(client, prefix, 40)
    assert statuses[:30] == [404] * 30 and set(statuses[30:]) == {429}
    refused = client.get(prefix + "khong-co-that-" + "x" * 20, environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    venue = {"REMOTE_ADDR": "10.20.30.40"}
    for url in (f"/moi/{invitation.rsvp_token}", f"/the/{delegate.pass_code}", f"/the/{delegate.pass_code}/qr.png",
                f"/tham-luan/{paper.token}"):
        for _ in range(3):
            assert client.get(url, environ_base=venue).status_code == 200, url
    answer = _scan(client, token, qr_text(conference.id, delegate.pass_code))  # make_people checked them in
    assert answer.status_code == 200 and answer.get_json()["result"] == "already_checked_in"
    assert client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {token}"},
                      environ_base=venue).status_code == 200
    # Another address guessing nothing is not affected at all.
    assert _guess(client, prefix, 1, "10.20.30.41") == [404]


def test_a_scanner_is_told_the_truth_about_its_token(limited, db, client, make_conference):
    """Only a revoked token is called revoked; a wrong one is called wrong, and once one address sends too many
    wrong ones they are answered 429 (a valid token from that address still works)."""
    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    _, delegate, _ = make_people(db, conference)
    _, token = create_device(conference, "Bàn 1")
    revoked, revoked_token = create_device(conference, "Điện thoại bị mất")
    revoke_device(revoked)
    code = qr_text(conference.id, delegate.pass_code)
    wrong = _scan(client, new_token(32), code)
    assert wrong.status_code == 401 and "không đúng" in wrong.get_json()["message"]
    assert "thu hồi" not in wrong.get_json()["message"]
    gone = _scan(client, revoked_token, code)
    assert gone.status_code == 401 and "đã bị thu hồi lúc" in gone.get_json()["message"]
    missing = client.post("/api/v1/checkin", json={"code": code}, headers={"Authorization": "Basic abc"})
    assert missing.status_code == 401 and "Thiếu mã thiết bị" in missing.get_json()["message"]
    answers = [_scan(client, new_token(32), code) for _ in range(40)]
    statuses = [a.status_code for a in answers]
    assert statuses[:29] == [401] * 29 and set(statuses[29:]) == {429}
    assert all("thu hồi" not in a.get_json()["message"] for a in answers)
    assert answers[-1].get_json()["result"] == "too_many_attempts" and answers[-1].headers["Retry-After"]
    assert _scan(client, token, code).get_json()["result"] == "already_checked_in"
    assert _scan(client, revoked_token, code).status_code == 401, "a revoked token stays revoked"


def test_a_guess_spread_over_many_addresses_is_counted_per_kind_of_secret(limited, db, client, make_conference,
                                                                          monkeypatch):
    from limits import RateLimitItemPerSecond

    from eventapp import ratelimit

    monkeypatch.setattr(ratelimit, "WRONG_SECRETS_PER_KIND", RateLimitItemPerSecond(50, 60))
    conference = make_conference()
    invitation, _, _ = make_people(db, conference)
    statuses = [s for n in range(60) for s in _guess(client, "/moi/", 1, f"10.44.{n // 200}.{n % 200}")]
    assert statuses[:50] == [404] * 50 and set(statuses[50:]) == {429}
    assert _guess(client, "/tham-luan/", 1, "10.45.0.1") == [404], "another kind of secret is counted apart"
    assert client.get(f"/moi/{invitation.rsvp_token}", environ_base={"REMOTE_ADDR": "10.44.9.9"}).status_code == 200
