"""The delegate's phone beyond the answer: the pass kept as an image and in the calendar, the link preview,
the service worker of /the/, the program and documents with their audience, withdrawn links."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp import vntime
from eventapp.models import (
    AgendaItem,
    Attendance,
    Delegate,
    Handout,
    HostAgency,
    Invitation,
    Speaker,
    SpeakerList,
    WithdrawnLink,
)
from eventapp.passes import qr_text

from .documents import pdf_bytes, store_file

NOW = datetime.now(UTC).replace(microsecond=0)
PDF = pdf_bytes("Lien ket chuoi gia tri")


def fetch(client, url):
    """GET a file, read, and close the response (a sent file holds it open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response




@pytest.fixture()
def conference(db, make_conference, make_venue):
    venue = make_venue()
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", abbreviation="SKHCN",
                              phone="02553822385"))
    db.session.commit()
    return make_conference(venue_id=venue.id, chair="Đồng chí Lê Quang Thịnh, Giám đốc Sở",
                           contact_name="Võ Thị Minh Thư", contact_phone="0935482617",
                           contact_email="qlkhcncs.skhcn@quangngai.gov.vn", agenda_published_at=NOW)


@pytest.fixture()
def delegate(db, client, conference, make_invitation):
    invitation = make_invitation(conference, invitee_name="Trần Thị Lan", invitee_position="Phó Giám đốc Sở Y tế")
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    return db.session.scalar(sa.select(Delegate).where(Delegate.invitation_id == invitation.id))


# --- the pass: kept, in the calendar, shared -----------------------------------------------------------

def test_the_pass_page_offers_to_keep_share_and_read_offline(client, conference, delegate):
    page = client.get(f"/the/{delegate.pass_code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert f'href="/the/{delegate.pass_code}/the-dai-bieu.png"' in html and "Lưu thẻ" in html
    assert f'href="/the/{delegate.pass_code}/lich.ics"' in html
    assert f'data-share="http://localhost/the/{delegate.pass_code}"' in html
    assert 'data-sw="/the/sw.js" data-sw-scope="/the/"' in html
    assert "<script>" not in html and "onclick" not in html


def test_a_shared_link_previews_the_conference_not_the_delegate(client, conference, delegate):
    html = client.get(f"/the/{delegate.pass_code}").get_data(as_text=True)
    meta = dict(re.findall(r'<meta property="og:([a-z:]+)" content="([^"]*)"', html))
    assert meta["title"] == conference.title
    assert vntime.format_date(conference.starts_at) in meta["description"]
    assert "Khách sạn Hùng Vương" in meta["description"]
    assert meta["image"] == f"http://localhost/the/{delegate.pass_code}/anh-chia-se.png"
    assert "Trần Thị Lan" not in str(meta)
    image = client.get(f"/the/{delegate.pass_code}/anh-chia-se.png")
    from PIL import Image

    assert image.mimetype == "image/png" and Image.open(io.BytesIO(image.data)).size == (1200, 630)


def test_the_saved_pass_image_carries_the_qr_the_desk_scans(client, conference, delegate):
    import zxingcpp
    from PIL import Image

    response = client.get(f"/the/{delegate.pass_code}/the-dai-bieu.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (1080, 1720)
    [found] = zxingcpp.read_barcodes(image)
    assert found.text == qr_text(conference.id, delegate.pass_code)


def test_the_calendar_file_is_read_by_a_real_icalendar_parser(client, conference, delegate):
    import icalendar

    response = client.get(f"/the/{delegate.pass_code}/lich.ics")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert all(len(line) <= 75 for line in response.data.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == conference.title
    assert event.decoded("DTSTART") == conference.starts_at and event.decoded("DTEND") == conference.ends_at
    assert "Hội trường tầng 7, Khách sạn Hùng Vương, 45 Hùng Vương, TP. Quảng Ngãi" in str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    invitation = delegate.invitation
    assert f"http://localhost/the/{delegate.pass_code}" in description
    assert f"http://localhost/moi/{invitation.rsvp_token}" in description
    assert "Liên hệ: Võ Thị Minh Thư, ĐT: 0935 482 617" in description
    assert event["UID"] == f"hoi-nghi-{conference.id}-dai-bieu-{delegate.id}@eventapp"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    from_invitation = icalendar.Calendar.from_ical(client.get(f"/moi/{invitation.rsvp_token}/lich.ics").data)
    assert str(from_invitation.walk("VEVENT")[0]["SUMMARY"]) == conference.title


def test_the_service_worker_is_served_from_the_delegate_pages_scope(client):
    response = client.get("/the/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert 'CACHE = "delegate-pages-v1"' in body and "delegate-pages-" in body


# --- the program and the documents ---------------------------------------------------------------------

def test_the_program_from_the_pass_follows_its_publication(db, client, conference, delegate):
    db.session.add(AgendaItem(conference_id=conference.id, position=1, kind="report", title="Báo cáo tổng kết",
                              presenter="Phan Văn Hiếu", duration_minutes=30))
    db.session.commit()
    html = client.get(f"/the/{delegate.pass_code}/chuong-trinh").get_data(as_text=True)
    assert "Báo cáo tổng kết" in html and vntime.format_time(conference.starts_at) in html
    conference.agenda_published_at = None
    db.session.commit()
    html = client.get(f"/the/{delegate.pass_code}/chuong-trinh").get_data(as_text=True)
    assert "Báo cáo tổng kết" not in html and "chưa công bố chương trình" in html


def _paper_with_file(make_paper, conference, title="Liên kết chuỗi giá trị"):
    paper = make_paper(conference, status="accepted", speaker_name="Hồ Văn Lâm", speaker_agency="Công ty Quế",
                       topic=title, title=title)
    store_file(paper, PDF, "tham-luan.pdf")
    return paper


def test_documents_are_read_by_whom_and_from_when_the_organizer_decides(db, client, organizer_client, conference,
                                                                        delegate, make_paper):
    paper = _paper_with_file(make_paper, conference)
    base = f"/hoi-nghi/{conference.id}/tai-lieu"
    assert organizer_client.post(f"{base}/tham-luan", data={"audience": "delegates"}).status_code == 303
    handout = db.session.scalar(sa.select(Handout))
    assert handout.paper_id == paper.id and handout.title == "Tham luận: Liên kết chuỗi giá trị"
    mine = f"/the/{delegate.pass_code}/tai-lieu"
    assert "Liên kết chuỗi giá trị" in client.get(mine).get_data(as_text=True)
    opened = fetch(client, f"{mine}/{handout.id}")
    assert opened.status_code == 200 and opened.data == PDF and "inline" in opened.headers["Content-Disposition"]
    assert client.get(f"/cong-khai/{conference.id}").status_code in (200, 404)
    assert client.get(f"/cong-khai/{conference.id}/tai-lieu/{handout.id}").status_code == 404

    later = vntime.to_local(NOW + timedelta(days=2))
    organizer_client.post(f"{base}/{handout.id}", data={f"h{handout.id}-title": handout.title,
                                                        f"h{handout.id}-audience": "delegates",
                                                        f"h{handout.id}-from_date": later.date().isoformat(),
                                                        f"h{handout.id}-from_time": "07:00"})
    assert "Liên kết chuỗi giá trị" not in client.get(mine).get_data(as_text=True)
    assert client.get(f"{mine}/{handout.id}").status_code == 404

    organizer_client.post(f"{base}/{handout.id}", data={f"h{handout.id}-title": "Tham luận của doanh nghiệp",
                                                        f"h{handout.id}-audience": "public"})
    public = client.get(f"/cong-khai/{conference.id}")
    assert public.status_code == 200 and "Tham luận của doanh nghiệp" in public.get_data(as_text=True)
    assert fetch(client, f"/cong-khai/{conference.id}/tai-lieu/{handout.id}").data == PDF
    organizer_client.post(f"{base}/{handout.id}", data={f"h{handout.id}-title": "Tham luận của doanh nghiệp",
                                                        f"h{handout.id}-audience": "hidden"})
    assert "Tham luận của doanh nghiệp" not in client.get(mine).get_data(as_text=True)


def test_the_public_page_reveals_nothing_until_something_is_public(db, client, organizer_client, conference):
    assert client.get(f"/cong-khai/{conference.id}").status_code == 404
    organizer_client.post(f"/hoi-nghi/{conference.id}/tai-lieu/chuong-trinh", data={"program_public": "y"})
    page = client.get(f"/cong-khai/{conference.id}")
    assert page.status_code == 200 and conference.title in page.get_data(as_text=True)
    assert client.get("/cong-khai/999999").status_code == 404


def test_an_uploaded_document_is_checked_and_nothing_is_half_saved(app, db, organizer_client, conference, delegate,
                                                                   client):
    from pathlib import Path

    url = f"/hoi-nghi/{conference.id}/tai-lieu/tai-len"
    refused = organizer_client.post(url, data={"file": (io.BytesIO(b"MZ\x90\x00binary"), "bao-cao.pdf"),
                                               "audience": "delegates"}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "chương trình chạy được" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handout)) == 0
    folder = Path(app.config["UPLOAD_FOLDER"])
    before = set(folder.iterdir()) if folder.exists() else set()
    ok = organizer_client.post(url, data={"file": (io.BytesIO(PDF), "Báo cáo tổng kết.pdf"), "title": "",
                                          "audience": "delegates"}, content_type="multipart/form-data")
    assert ok.status_code == 303
    handout = db.session.scalar(sa.select(Handout))
    assert handout.title == "Báo cáo tổng kết" and handout.content_type == "application/pdf"
    assert fetch(client, f"/the/{delegate.pass_code}/tai-lieu/{handout.id}").data == PDF
    organizer_client.post(f"/hoi-nghi/{conference.id}/tai-lieu/{handout.id}/xoa")
    assert set(folder.iterdir()) == before


def test_another_conferences_document_does_not_open_from_a_pass(db, client, conference, delegate, make_conference,
                                                                make_paper):
    other = make_conference(title="Hội thảo khác")
    paper = _paper_with_file(make_paper, other)
    handout = Handout(conference_id=other.id, paper_id=paper.id, title="Của hội thảo khác", audience="public")
    db.session.add(handout)
    db.session.commit()
    assert client.get(f"/the/{delegate.pass_code}/tai-lieu/{handout.id}").status_code == 404
    assert client.get(f"/cong-khai/{conference.id}/tai-lieu/{handout.id}").status_code == 404


# --- withdrawn links ------------------------------------------------------------------------------------

def test_a_removed_invitation_says_it_was_withdrawn_with_the_contact(db, client, organizer_client, conference,
                                                                     make_invitation):
    invitation = make_invitation(conference)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    pass_code = db.session.scalar(sa.select(Delegate.pass_code).where(Delegate.invitation_id == invitation.id))
    token, invitation_id = invitation.rsvp_token, invitation.id
    organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/{invitation_id}/xoa", data={"confirmed": "1"})
    assert db.session.get(Invitation, invitation_id) is None
    for url in (f"/moi/{token}", f"/the/{pass_code}", f"/the/{pass_code}/chuong-trinh", f"/moi/{token}/lich.ics"):
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 410, url
        assert "Lời mời đã được thu hồi" in html and "Võ Thị Minh Thư, ĐT: 0935 482 617" in html
    links = db.session.scalars(sa.select(WithdrawnLink)).all()
    assert {link.kind for link in links} == {"rsvp", "pass"} and all(token not in link.secret_hash for link in links)


def test_a_person_the_agency_replaced_is_told_so(db, client, conference, make_invitation):
    invitation = make_invitation(conference, kind="agency", seats=2)
    url = f"/moi/{invitation.rsvp_token}"
    client.post(url, data={"choice": "attend", "people-0-full_name": "Nguyễn Văn An"})
    first = db.session.scalar(sa.select(Delegate).where(Delegate.full_name == "Nguyễn Văn An"))
    client.post(url, data={"choice": "attend", "people-0-full_name": "Lê Thị Bích"})
    page = client.get(f"/the/{first.pass_code}")
    assert page.status_code == 410 and "đơn vị đã cử người khác dự thay" in page.get_data(as_text=True)


def test_a_made_up_or_erased_link_reveals_nothing(db, client, organizer_client, conference, delegate):
    for url in ("/the/" + "7" * 40, "/moi/" + "x" * 32, "/the/" + "7" * 40 + "/lich.ics"):
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 404 and "Không mở được liên kết này" in html
        assert conference.title not in html and "Võ Thị Minh Thư" not in html
    old = delegate.pass_code
    organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xoa", data={"reason": "Theo yêu cầu"})
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).erased_at is not None
    page = client.get(f"/the/{old}")
    assert page.status_code == 404 and conference.title not in page.get_data(as_text=True)


# --- privacy ---------------------------------------------------------------------------------------------

def test_erasure_removes_what_the_hall_holds_about_a_delegate(db, organizer_client, conference, delegate):
    item = AgendaItem(conference_id=conference.id, position=1, kind="discussion", title="Thảo luận",
                      duration_minutes=30)
    db.session.add(item)
    db.session.flush()
    speaker_list = SpeakerList(conference_id=conference.id, agenda_item_id=item.id)
    db.session.add(speaker_list)
    db.session.flush()
    db.session.add_all([
        Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=delegate.id, position=1,
                topic="Bệnh viện huyện thiếu bác sĩ"),
        Attendance(conference_id=conference.id, delegate_id=delegate.id, day=vntime.to_local(NOW).date(),
                   status="excused", reason="Điều trị tại bệnh viện")])
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(organizer_client.get(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xuat").data))
    export = json.loads(archive.read("du-lieu.json"))
    assert export["rows"]["speaker"][0]["topic"] == "Bệnh viện huyện thiếu bác sĩ"
    assert export["rows"]["attendance"][0]["reason"] == "Điều trị tại bệnh viện"
    organizer_client.post(f"/quan-tri/du-lieu-ca-nhan/{delegate.id}/xoa", data={"reason": "Theo yêu cầu"})
    db.session.expire_all()
    assert "bệnh viện" not in db.session.scalar(sa.select(Speaker.topic)).lower()
    mark = db.session.scalar(sa.select(Attendance))
    assert mark.status == "excused" and "bệnh viện" not in mark.reason.lower()
