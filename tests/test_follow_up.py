"""Issue 17, after the invitations went out: answers taken by phone, what the answer page says about passes, the
mail wording of a conference, lists searched and exported, the call list, removal and restoring."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from eventapp import vntime
from eventapp.mail import worker
from eventapp.models import AuditEntry, Delegate, Invitation, OutboxMessage, RemovedInvitation

from .test_sending import send


def _conference(make_conference, **fields):
    return make_conference(starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=30),
                           contact_name="Trần Thị Hoa", contact_phone="0912345678", **fields)


def _cells(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


# --- answers by phone -------------------------------------------------------------------------------

def test_an_answer_taken_by_phone_is_marked_audited_and_the_pass_is_mailed(organizer_client, db, make_conference,
                                                                           make_invitation, make_agency, smtp_server):
    conference = _conference(make_conference, rsvp_deadline=datetime.now(UTC) - timedelta(hours=1))
    agency = make_invitation(conference, "agency", agency=make_agency("Sở Tài chính", phone="02553822123"),
                             email="stc@quangngai.gov.vn", seats=2)
    calls = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/can-goi-dien").get_data(as_text=True)
    assert "Sở Tài chính" in calls and 'href="tel:02553822123"' in calls and "0255 3822 123" in calls
    url = f"/hoi-nghi/{conference.id}/gui-giay-moi/{agency.id}/tra-loi-qua-dien-thoai"
    form = organizer_client.get(url).get_data(as_text=True)
    assert "Người thứ 2" in form  # a row per seat
    # After the RSVP deadline the link is closed, but the organizer may still record what was said on the phone.
    response = organizer_client.post(url, data={
        "choice": "attend", "people-0-full_name": "Nguyễn Văn Đức", "people-0-position": "Phó Giám đốc",
        "people-0-email": "duc.nv@quangngai.gov.vn", "people-1-full_name": "Lê Thị Mai"})
    assert response.status_code == 303
    db.session.refresh(agency)
    assert agency.status == "attending" and agency.answer_via == "phone"
    assert agency.answer_recorded_by.full_name.startswith("Nguyễn Văn Thử")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.answer"))
    assert "ghi nhận qua điện thoại" in entry.actor and '"via": "phone"' in entry.details_json
    listing = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi").get_data(as_text=True)
    assert "ghi nhận qua điện thoại" in listing
    assert "Sở Tài chính" not in organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/can-goi-dien").get_data(
        as_text=True)

    worker.drain()
    by_address = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(by_address) == {"duc.nv@quangngai.gov.vn", "stc@quangngai.gov.vn"}
    pass_mail = by_address["duc.nv@quangngai.gov.vn"]
    assert pass_mail["Subject"] == f"Thẻ đại biểu: {conference.title}"
    delegate = db.session.scalar(sa.select(Delegate).where(Delegate.full_name == "Nguyễn Văn Đức"))
    assert f"/the/{delegate.pass_code}" in pass_mail.get_body(("plain",)).get_content()
    assert any(part.get_content_type() == "image/png" for part in pass_mail.iter_attachments())
    # The agency's own address gets the confirmation, with the pass of the person who has no address.
    confirmation = by_address["stc@quangngai.gov.vn"].get_body(("plain",)).get_content()
    mai = db.session.scalar(sa.select(Delegate).where(Delegate.full_name == "Lê Thị Mai"))
    assert "Lê Thị Mai" in confirmation and f"/the/{mai.pass_code}" in confirmation


def test_the_answer_page_says_what_happened_to_each_pass(client, db, make_conference, make_invitation, smtp_server):
    conference = _conference(make_conference)
    agency = make_invitation(conference, "agency", email="vanthu@snn.example.vn")
    client.post(f"/moi/{agency.rsvp_token}", data={
        "choice": "attend", "people-0-full_name": "Nguyễn Văn Đức", "people-0-email": "duc@example.vn",
        "people-1-full_name": "Lê Thị Mai"})
    page = client.get(f"/moi/{agency.rsvp_token}").get_data(as_text=True)
    assert "Thẻ của Nguyễn Văn Đức đang được gửi tới duc@example.vn." in page
    assert "Lê Thị Mai chưa có email nhận thẻ" in page
    assert "tới email của cơ quan (vanthu@snn.example.vn)" in page
    worker.drain()
    page = client.get(f"/moi/{agency.rsvp_token}").get_data(as_text=True)
    assert "Thẻ của Nguyễn Văn Đức đã được gửi tới duc@example.vn." in page
    person = make_invitation(conference, invitee_name="Trần Văn Bình", email="")
    client.post(f"/moi/{person.rsvp_token}", data={"choice": "attend"})
    page = client.get(f"/moi/{person.rsvp_token}").get_data(as_text=True)
    assert "Thẻ cũng đã được gửi qua email" not in page and "Trần Văn Bình chưa có email nhận thẻ" in page


# --- the wording of the mails ------------------------------------------------------------------------

def test_a_conference_mails_in_its_own_wording(organizer_client, db, make_conference, make_invitation, smtp_server):
    conference = _conference(make_conference, rsvp_deadline=None)
    invitation = make_invitation(conference)
    url = f"/hoi-nghi/{conference.id}/gui-giay-moi/noi-dung-thu"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "{lien_ket}" in page and "(mặc định)" in page
    body = "Kính gửi {kinh_gui},\n\nMời dự {ten_hoi_nghi}, {han_tra_loi}.\nChủ trì: {chu_tri}\n{lien_ket}"
    preview = organizer_client.post(url, data={"subject": "Mời họp: {ten_hoi_nghi}", "body": body,
                                               "action": "preview"}).get_data(as_text=True)
    assert f"Mời họp: {conference.title}" in preview and f"/moi/{invitation.rsvp_token}" in preview
    deadline = vntime.to_local(conference.starts_at)
    assert f"trước {deadline:%H} giờ {deadline:%M} ngày {deadline:%d/%m/%Y}" in preview  # as clerks write it
    assert "Chủ trì:" not in preview.split('class="mail-text"')[1]  # an empty placeholder's line is left out
    wrong = organizer_client.post(url, data={"subject": "Mời", "body": "Xin mời {ten_nguoi}", "action": "save"})
    assert wrong.status_code == 422 and "Không có trường {ten_nguoi}" in wrong.get_data(as_text=True)
    missing = organizer_client.post(url, data={"subject": "Mời", "body": "Xin mời dự họp.", "action": "save"})
    assert missing.status_code == 422 and "phải có {lien_ket}" in missing.get_data(as_text=True)
    assert organizer_client.post(url, data={"subject": "Mời họp: {ten_hoi_nghi}", "body": body,
                                            "action": "save"}).status_code == 303
    send(organizer_client, conference, action="invite_unsent")
    worker.drain()
    [mail] = smtp_server.messages
    assert mail["Subject"] == f"Mời họp: {conference.title}"
    text = mail.get_body(("plain",)).get_content()
    assert text.startswith("Kính gửi Nguyễn Văn Đức, Giám đốc Sở Tài chính,") and "Chủ trì" not in text
    html = mail.get_body(("html",)).get_content()
    assert f'href="http://localhost/moi/{invitation.rsvp_token}"' in html and "Xác nhận tham dự" in html
    organizer_client.post(url, data={"action": "reset"})
    assert "(mặc định)" in organizer_client.get(url).get_data(as_text=True)


# --- lists ----------------------------------------------------------------------------------------------

def test_lists_are_searched_filtered_sorted_and_exported(organizer_client, db, make_conference, make_invitation,
                                                         make_agency):
    conference = _conference(make_conference)
    health = make_invitation(conference, "agency", agency=make_agency("Sở Y tế"), email="")
    press = make_invitation(conference, "agency", agency=make_agency("Báo Quảng Ngãi", group="Cơ quan báo chí"))
    person = make_invitation(conference, invitee_name="Đỗ Văn Đức", status="declined", search_text="do van duc")
    base = f"/hoi-nghi/{conference.id}/khach-moi"
    page = organizer_client.get(base + "?trang_thai=declined").get_data(as_text=True)
    assert "Đỗ Văn Đức" in page and "Báo Quảng Ngãi</strong>" not in page
    assert "Đang hiện <strong>1</strong> lời mời khớp với bộ lọc" in page
    page = organizer_client.get(base + f"?nhom={press.agency.group_id}", headers={"HX-Request": "true"})
    assert "<html" not in page.get_data(as_text=True) and "Báo Quảng Ngãi" in page.get_data(as_text=True)
    assert "Sở Y tế</strong>" not in page.get_data(as_text=True)
    sending = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/?gui=chua&sap_xep=ten&chieu=giam")
    body = sending.get_data(as_text=True).split('id="results"')[1]
    assert body.index("Sở Y tế") < body.index("Báo Quảng Ngãi") and "Đang hiện <strong>3</strong> / 3" in body

    sheet = _cells(organizer_client.get(base + "/danh-sach.xlsx?tra_loi=chua").data)
    names = [row[2] for row in sheet[5:]]
    assert names == ["Sở Y tế", "Báo Quảng Ngãi"] and sheet[2][0] == "Đã lọc: 2 lời mời"
    call = _cells(organizer_client.get(base + "/can-goi-dien.xlsx").data)
    assert call[0][0] == "DANH SÁCH CẦN GỌI ĐIỆN" and [row[2] for row in call[4:]] == ["Sở Y tế", "Báo Quảng Ngãi"]
    assert health.id and person.id


def test_removing_warns_with_the_answers_and_can_be_undone_for_30_days(organizer_client, client, db,
                                                                       make_conference, make_invitation):
    conference = _conference(make_conference)
    invitation = make_invitation(conference, "agency")
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend", "people-0-full_name": "Nguyễn Văn Đức",
                                                       "people-1-full_name": "Lê Thị Mai"})
    token, invitation_id, name = invitation.rsvp_token, invitation.id, invitation.agency.name
    codes = set(db.session.scalars(sa.select(Delegate.pass_code)))
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi").get_data(as_text=True)
    assert "Lời mời này đã có trả lời: 2 đại biểu đăng ký, thẻ của họ sẽ hết hiệu lực." in page  # the JS dialog
    plain = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{invitation_id}/xoa").get_data(as_text=True)
    assert "Lời mời này đã có trả lời: 2 đại biểu đăng ký, thẻ của họ sẽ hết hiệu lực." in plain  # without JS
    organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/{invitation_id}/xoa", data={"confirmed": "1"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    removed = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/da-xoa").get_data(as_text=True)
    assert name in removed
    kept = db.session.scalar(sa.select(RemovedInvitation))
    done = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/da-xoa", data={"removed_id": kept.id},
                                 follow_redirects=True)
    assert "Đã khôi phục" in done.get_data(as_text=True)
    restored = db.session.scalar(sa.select(Invitation))
    assert restored.rsvp_token == token and restored.status == "attending"
    assert set(db.session.scalars(sa.select(Delegate.pass_code))) == codes
    assert client.get(f"/moi/{token}").status_code == 200
    # Older than 30 days: gone from the list, not restorable.
    organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/chon", data={"ids": [str(restored.id)],
                                                                            "confirmed": "1"})
    kept = db.session.scalar(sa.select(RemovedInvitation))
    kept.removed_at = datetime.now(UTC) - timedelta(days=31)
    db.session.commit()
    kept_id = kept.id
    late = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/da-xoa", data={"removed_id": kept_id})
    assert late.status_code == 422 and "quá 30 ngày" in late.get_data(as_text=True)


def test_bulk_actions_count_the_selection(organizer_client, db, make_conference, make_invitation, make_agency):
    conference = _conference(make_conference)
    chosen = [make_invitation(conference, "agency", agency=make_agency(f"Sở thứ {n}")) for n in range(3)]
    ids = [str(i.id) for i in chosen[:2]]
    asked = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/chon", data={"ids": ids})
    assert "Xóa 2 lời mời khỏi danh sách?" in asked.get_data(as_text=True)
    confirm = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/",
                                    data={"action": "invite_selected", "ids": ids})
    assert "Sẽ gửi <strong>2 giấy mời</strong>" in confirm.get_data(as_text=True)
    done = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/chon", data={"ids": ids, "confirmed": "1"},
                                 follow_redirects=True)
    assert "Đã xóa 2 lời mời" in done.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
