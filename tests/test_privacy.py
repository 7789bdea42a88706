"""Personal data (Decree 13/2023/NĐ-CP): export and erasure on request, retention purge, all logged."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

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

from .documents import pdf_bytes, store_file


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


def _archive(response) -> tuple[dict, dict[str, bytes]]:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("du-lieu.json"))
    return data, {name: archive.read(name) for name in archive.namelist() if name != "du-lieu.json"}


def test_export_gives_the_delegate_everything_with_their_files(db, organizer_client, make_conference):
    conference = make_conference()
    invitation, delegate, paper = make_people(db, conference)
    store_file(paper, pdf_bytes("Bai cua anh Duc"), "Tham luận Đức.pdf")
    data, files = _archive(organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xuat"))
    [row] = data["rows"]["delegate"]
    assert row["full_name"] == "Nguyễn Văn Đức" and row["phone"] == "0912345678" and "pass_code" not in row
    assert data["rows"]["invitation"][0]["email"] == "duc@example.vn" and len(data["rows"]["checkin"]) == 1
    assert data["rows"]["paper"][0]["topic"] == "Chuyển đổi số" and len(data["rows"]["scan"]) == 1
    assert "code" not in data["rows"]["scan"][0], "the pass code is a secret, not part of the copy"
    assert [r["summary"] for r in data["rows"]["audit_entry"]] == ["Thêm thư mời Nguyễn Văn Đức"]
    assert [m["text"] for m in data["mentions"]] == ["Kính gửi Nguyễn Văn Đức"]  # a mail not linked to her rows
    [(name, content)] = files.items()
    assert name.endswith("Tham luận Đức.pdf") and content.startswith(b"%PDF")
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
    assert entry.entity_id == invitation.id and "05/03/2026" in entry.details_json
    # Erasing twice changes nothing and logs nothing more.
    organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xoa", data={})
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "privacy.erase")) == 1


def test_other_delegates_are_untouched_by_an_erasure(db, make_conference):
    conference = make_conference()
    _, first, _ = make_people(db, conference)
    _, second, _ = make_people(db, conference, name="Trần Thị Bình", email="binh@example.vn")
    privacy.erase(privacy.Subject.of_delegate(first))
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


# --- erasure reaches every table and JSON column ------------------------------------------------------------

def _grep_database(db, needles: list[str]) -> list[str]:
    """Every (table.column #id) of the whole database whose text holds one of ``needles``."""
    db.session.expire_all()
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, str) and any(n in value for n in needles):
                    found.append(f"{table.name}.{column} #{row.get('id')}: {value[:120]}")
    return found


SUBSTITUTE = {"substitute-full_name": "Phan Thị Quỳnh Như", "substitute-position": "Phó Trưởng phòng Kiểm thử Xóa",
              "substitute-phone": "0987 654 321", "substitute-email": "nhu.xoa@example.vn"}
HER = ["Phan Thị Quỳnh Như", "Phó Trưởng phòng Kiểm thử Xóa", "0987654321", "0987 654 321", "nhu.xoa@example.vn",
       "phan thi quynh nhu"]


def test_erasing_a_checked_in_substitute_leaves_her_nowhere_in_the_database(app, db, client, organizer_client,
                                                                            make_conference):
    """She was named substitute through the RSVP link (a pass mail went to her), checked in by a scanner (the
    scan keeps its answer, with her name, position and agency), spoke to a paper with a file, is on the
    agenda and in an organizer's task note. After her erasure no text column of any table holds any of her
    name, position, phone or address, her file is gone, and the counts stay."""
    from eventapp.checkin.devices import create_device
    from eventapp.models import AgendaItem, Department, Task

    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    group = AgencyGroup(name="Sở, ban, ngành")
    invitation = Invitation(conference=conference, kind="person", invitee_name="Nguyễn Văn Đức",
                            invitee_position="Giám đốc Sở Tài chính", agency=Agency(group=group, name="Sở Tài chính"),
                            email="duc@example.vn", search_text="nguyen van duc")
    db.session.add(invitation)
    db.session.commit()
    assert client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "substitute", **SUBSTITUTE}).status_code == 303
    her = db.session.scalar(sa.select(Delegate).where(Delegate.kind == "substitute"))
    _, token = create_device(conference, "Bàn 1")
    scan = client.post("/api/v1/checkin", json={"code": qr_text(conference.id, her.pass_code), "nonce": "n-1"},
                       headers={"Authorization": f"Bearer {token}"})
    assert scan.status_code == 201 and scan.get_json()["delegate"]["name"] == "Phan Thị Quỳnh Như"
    department = Department(name="Văn phòng Sở", abbreviation="VP")
    paper = Paper(conference=conference, delegate=her, speaker_name="Phan Thị Quỳnh Như",
                  speaker_email="nhu.xoa@example.vn", topic="Kinh nghiệm chuyển đổi số", deadline=conference.starts_at)
    db.session.add_all([paper, AgendaItem(conference_id=conference.id, kind="report", title="Tham luận",
                                          presenter="Phan Thị Quỳnh Như, Phó Trưởng phòng", duration_minutes=15),
                        Task(conference_id=conference.id, title="Đón đại biểu", lead_department=department,
                             notes="Gọi chị Phan Thị Quỳnh Như (0987 654 321) trước 7 giờ")])
    db.session.commit()
    stored_name = store_file(paper, pdf_bytes("Bai cua chi Nhu"), "Tham luận - Phan Thị Quỳnh Như.pdf").stored_name
    assert set(_grep_database(db, HER)), "the scene holds her data before"

    page = organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/{her.id}")
    assert page.status_code == 200 and "Phan Thị Quỳnh Như" in page.get_data(as_text=True)
    assert organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{her.id}/xoa", data={"reason": "Đơn ngày 01/12"}).status_code == 303

    assert _grep_database(db, HER) == []
    assert not (Path(app.config["UPLOAD_FOLDER"]) / stored_name).exists(), "her file is deleted"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(Delegate.status == "attending")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
    assert db.session.get(Invitation, invitation.id).invitee_name == "Nguyễn Văn Đức", "the invitee is someone else"
    replay = client.post("/api/v1/checkin", json={"code": "x", "nonce": "n-1"},
                         headers={"Authorization": f"Bearer {token}"})
    assert "Phan Thị Quỳnh Như" not in replay.get_data(as_text=True)


DECLINED = ["Hoàng Thị Thu Trang", "Phó Giám đốc Sở Kiểm thử", "trang.xoa@example.vn", "0905111222", "0905 111 222",
            "Bận công tác tại Hà Nội, mã XOA-7", "hoang thi thu trang"]


def test_a_person_invited_by_name_who_declined_is_found_exported_and_erased(db, client, organizer_client,
                                                                           make_conference):
    """She has no delegate row: «Dữ liệu cá nhân» used to find nobody, so her name, position and decline reason
    could be neither handed over nor erased."""
    conference = make_conference()
    invitation = Invitation(conference=conference, kind="person", invitee_name="Hoàng Thị Thu Trang",
                            invitee_position="Phó Giám đốc Sở Kiểm thử", email="trang.xoa@example.vn",
                            phone="0905111222", search_text="hoang thi thu trang")
    db.session.add(invitation)
    db.session.commit()
    audit.record("invitation.create", "Thêm thư mời Hoàng Thị Thu Trang, Phó Giám đốc Sở Kiểm thử", entity=invitation)
    db.session.commit()
    assert client.post(f"/moi/{invitation.rsvp_token}", data={
        "choice": "decline", "decline_reason": "Bận công tác tại Hà Nội, mã XOA-7"}).status_code == 303
    found = organizer_client.get("/quan-tri/du-lieu-ca-nhan?q=hoang thi thu trang").get_data(as_text=True)
    assert f"/quan-tri/du-lieu-ca-nhan/thu-moi/{invitation.id}" in found and "không tham dự" in found
    page = organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/thu-moi/{invitation.id}").get_data(as_text=True)
    assert "Bận công tác tại Hà Nội, mã XOA-7" in page
    data, _ = _archive(organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/thu-moi/{invitation.id}/xuat"))
    assert data["rows"]["invitation"][0]["decline_reason"] == "Bận công tác tại Hà Nội, mã XOA-7"
    assert "rsvp_token" not in data["rows"]["invitation"][0]
    assert any("Thêm thư mời Hoàng Thị Thu Trang" in r["summary"] for r in data["rows"]["audit_entry"])

    response = organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/thu-moi/{invitation.id}/xoa", data={"reason": ""})
    assert response.status_code == 303
    assert _grep_database(db, DECLINED) == []
    kept = db.session.get(Invitation, invitation.id)
    assert kept.status == "declined" and kept.invitee_name == "Đã xóa theo yêu cầu", "the answer stays as a count"
    assert organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/thu-moi/{invitation.id}").status_code == 200
    assert "Hoàng" not in organizer_client.get("/quan-tri/du-lieu-ca-nhan?q=hoang").get_data(as_text=True)


def test_an_agency_invitation_is_no_person(db, organizer_client, make_conference, make_invitation):
    agency = make_invitation(make_conference(), "agency")
    assert organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/thu-moi/{agency.id}").status_code == 404
