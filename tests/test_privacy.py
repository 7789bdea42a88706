"""Personal data (Decree 13/2023/NĐ-CP): export and erasure on request, retention purge, all logged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventapp import audit, privacy
from eventapp.models import (
    Agency,
    AgencyGroup,
    AuditEntry,
    CheckIn,
    Delegate,
    HostAgency,
    Invitation,
    OutboxMessage,
    Paper,
    Scan,
)
from eventapp.passes import qr_text


def make_people(db, conference, name="Nguyễn Văn Đức", email="duc@example.vn"):
    """An invitation to a named person, their delegate row (checked in), a paper and a queued mail."""
    group = db.session.scalar(sa.select(AgencyGroup)) or AgencyGroup(name="Sở, ban, ngành")
    agency = db.session.scalar(sa.select(Agency)) or Agency(group=group, name="Sở Tài chính")
    invitation = Invitation(conference=conference, kind="person", agency=agency, invitee_name=name,
                            invitee_position="Phó Giám đốc", email=email, phone="0912345678",
                            status="attending", search_text="nguyen van duc")
    delegate = Delegate(conference=conference, invitation=invitation, kind="invitee", full_name=name,
                        position="Phó Giám đốc", agency_name="Sở Tài chính", email=email, phone="0912345678",
                        search_text="nguyen van duc pho giam doc so tai chinh")
    db.session.add_all([group, agency, invitation, delegate])
    db.session.flush()
    paper = Paper(conference=conference, delegate=delegate, speaker_name=name, speaker_email=email,
                  speaker_phone="0912345678", topic="Chuyển đổi số", deadline=conference.starts_at)
    checkin = CheckIn(conference_id=conference.id, delegate_id=delegate.id)
    scan = Scan(conference_id=conference.id, code=qr_text(conference.id, delegate.pass_code), result="ok",
                http_status=200, delegate_id=delegate.id)
    mail = OutboxMessage(to_addr=email, to_name=name, subject="Giấy mời", body_text=f"Kính gửi {name}",
                         conference_id=conference.id, message_id=f"<{delegate.id}-{conference.id}@test>")
    db.session.add_all([paper, checkin, scan, mail])
    audit.record("invitation.create", f"Thêm thư mời {name}", entity=invitation)
    db.session.commit()
    return invitation, delegate, paper


def test_export_gives_the_delegate_everything_as_json(db, organizer_client, make_conference):
    conference = make_conference()
    invitation, delegate, paper = make_people(db, conference)
    response = organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xuat")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["delegate"]["full_name"] == "Nguyễn Văn Đức" and data["delegate"]["phone"] == "0912345678"
    assert data["invitation"]["email"] == "duc@example.vn" and len(data["checkins"]) == 1
    assert data["papers"][0]["topic"] == "Chuyển đổi số"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.export"))


def test_the_privacy_page_finds_delegates_without_accents(db, organizer_client, make_conference):
    conference = make_conference()
    make_people(db, conference)
    page = organizer_client.get("/quan-tri/du-lieu-ca-nhan?q=nguyen van duc").get_data(as_text=True)
    assert "Nguyễn Văn Đức" in page
    fragment = organizer_client.get("/quan-tri/du-lieu-ca-nhan?q=duc", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)


def test_erase_on_request_keeps_the_count_and_removes_the_person(db, organizer_client, make_conference):
    conference = make_conference()
    invitation, delegate, paper = make_people(db, conference)
    old_pass = delegate.pass_code
    detail = organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}")
    assert detail.status_code == 200 and "0912345678" in detail.get_data(as_text=True).replace(" ", "").replace(".", "")
    response = organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xoa",
                                     data={"reason": "Đơn đề nghị ngày 05/03/2026"})
    assert response.status_code == 303
    db.session.expire_all()
    delegate = db.session.get(Delegate, delegate.id)
    assert delegate.full_name == "Đã xóa theo yêu cầu" and delegate.erased_at is not None
    assert delegate.email == delegate.phone == delegate.position == delegate.search_text == ""
    assert delegate.pass_code != old_pass
    invitation = db.session.get(Invitation, invitation.id)
    assert invitation.status == "attending", "the answer stays as a count"
    assert invitation.invitee_name == "Đã xóa theo yêu cầu" and invitation.email == invitation.phone == ""
    paper = db.session.get(Paper, paper.id)
    assert paper.speaker_email == paper.speaker_phone == "" and paper.speaker_name == "Đã xóa theo yêu cầu"
    assert db.session.scalar(sa.select(Scan.code)) == ""
    mail = db.session.scalar(sa.select(OutboxMessage))
    assert mail.to_addr == "" and "Đức" not in mail.body_text and mail.status == "failed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
    everything = " ".join(e.summary + e.details_json for e in db.session.scalars(sa.select(AuditEntry)))
    assert "Nguyễn Văn Đức" not in everything
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert entry.entity_id == delegate.id and "05/03/2026" in entry.details_json
    # Erasing twice changes nothing and logs nothing more.
    organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xoa", data={})
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "privacy.erase")) == 1


def test_other_delegates_are_untouched_by_an_erasure(db, make_conference):
    conference = make_conference()
    _, first, _ = make_people(db, conference)
    _, second, _ = make_people(db, conference, name="Trần Thị Bình", email="binh@example.vn")
    privacy.erase_delegate(first)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Delegate, second.id).full_name == "Trần Thị Bình"
    assert db.session.get(Delegate, second.id).email == "binh@example.vn"


def test_purge_removes_personal_data_of_old_conferences_only(app, db, make_conference):
    now = datetime.now(UTC).replace(microsecond=0)
    old = make_conference(title="Hội nghị năm 2023", starts_at=now - timedelta(days=800))
    recent = make_conference(title="Hội nghị tháng trước", starts_at=now - timedelta(days=30))
    _, old_delegate, old_paper = make_people(db, old)
    _, recent_delegate, _ = make_people(db, recent, name="Lê Văn Cường", email="cuong@example.vn")
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", abbreviation="SKHCN", retention_months=24))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge-personal-data"])
    assert result.exit_code == 0, result.output
    assert "1 hội nghị" in result.output
    db.session.expire_all()
    purged = db.session.get(Delegate, old_delegate.id)
    assert purged.full_name.startswith("Đã xóa") and purged.phone == "" and purged.erased_at is not None
    assert db.session.get(Paper, old_paper.id).speaker_phone == ""
    old_invitation = db.session.scalar(sa.select(Invitation).where(Invitation.conference_id == old.id))
    assert old_invitation.email == "" and old_invitation.status == "attending"
    assert db.session.scalar(sa.select(Scan.code).where(Scan.conference_id == old.id)) == ""
    kept = db.session.get(Delegate, recent_delegate.id)
    assert kept.full_name == "Lê Văn Cường" and kept.phone == "0912345678"
    assert db.session.scalar(sa.select(Scan.code).where(Scan.conference_id == recent.id)) != ""
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.purge"))
    assert entry is not None and "24 tháng" in entry.summary
    # Idempotent: a second run finds nothing more to do.
    again = app.test_cli_runner().invoke(args=["purge-personal-data"])
    assert "0 hội nghị" in again.output


def test_purge_without_a_retention_setting_refuses(app, db):
    result = app.test_cli_runner().invoke(args=["purge-personal-data"])
    assert result.exit_code != 0 and "thời hạn" in result.output


def test_purge_with_explicit_months(app, db, make_conference):
    now = datetime.now(UTC).replace(microsecond=0)
    conference = make_conference(starts_at=now - timedelta(days=100))
    _, delegate, _ = make_people(db, conference)
    result = app.test_cli_runner().invoke(args=["purge-personal-data", "--months", "2"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).erased_at is not None


def test_subtract_months_handles_month_ends():
    assert privacy.subtract_months(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert privacy.subtract_months(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)
