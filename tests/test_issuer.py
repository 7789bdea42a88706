"""Who hosts a conference: its own issuing agency, parent agency, place and signer (the host's by default), a
second agency for a joint plan; every document asks issuer.letterhead_for."""

import io

import sqlalchemy as sa

from eventapp.issuer import letterhead_for
from eventapp.models import Conference, HostAgency

PLAN = {
    "kind": "giao_ban", "title": "Hội nghị giao ban hoạt động khoa học và công nghệ năm 2020",
    "number_symbol": "", "purpose": "", "content": "Báo cáo kết quả 6 tháng đầu năm.",
    "chair": "Đồng chí Nguyễn Thanh Bình, Giám đốc Sở", "preparation": "",
    "start_date": "28/07/2027", "start_time": "08:00", "end_date": "28/07/2027", "end_time": "11:30",
    "venue_id": "0", "expected_attendance": "50", "rsvp_date": "", "rsvp_time": "", "lead_department_id": "0",
    "approved_budget": "", "funding_source": "", "contact_name": "", "contact_phone": "", "contact_email": "",
}
BAC_GIANG = {"issuer_name": "Sở Khoa học và Công nghệ tỉnh Bắc Giang", "issuer_parent_name": "UBND tỉnh Bắc Giang",
             "issuer_abbreviation": "KHCN", "place_name": "Bắc Giang", "signer_authority": "",
             "signer_title": "Giám đốc", "signer_name": "Nguyễn Thanh Bình"}


def _host(db):
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. GIÁM ĐỐC",
                              signer_title="PHÓ GIÁM ĐỐC", signer_name="Phan Văn Hiếu"))
    db.session.commit()


def test_a_conference_without_its_own_issuer_takes_the_hosts(db, make_conference):
    _host(db)
    head = letterhead_for(make_conference())
    assert [(i.name, i.parent_name, i.abbreviation) for i in head.issuers] == [
        ("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "UBND tỉnh Quảng Ngãi", "SKHCN")]
    assert (head.place_name, head.signer_authority, head.signer_name) == ("Quảng Ngãi", "KT. GIÁM ĐỐC", "Phan Văn Hiếu")
    assert not head.joint


def test_the_plan_form_saves_who_hosts_and_every_document_prints_it(organizer_client, db):
    from pypdf import PdfReader

    from eventapp.hall import notice
    from eventapp.invitations import letters, services

    _host(db)
    response = organizer_client.post("/hoi-nghi/moi", data=PLAN | BAC_GIANG)
    assert response.status_code == 303
    conference = db.session.scalar(sa.select(Conference))
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/sua").get_data(as_text=True)
    assert 'value="Sở Khoa học và Công nghệ tỉnh Bắc Giang"' in page and "Cơ quan ban hành văn bản" in page
    head = letterhead_for(conference)
    assert head.issuer.name == "Sở Khoa học và Công nghệ tỉnh Bắc Giang" and head.place_name == "Bắc Giang"
    assert (head.signer_authority, head.signer_title) == ("", "Giám đốc")  # the director signs: no "KT."

    from eventapp.agencies import services as agencies

    groups = agencies.ensure_default_groups()
    services.invite_agency(conference, agencies.save_agency(None, {"group_id": groups[0].id,
                                                                   "name": "UBND huyện Hiệp Hòa"}), 3, "")
    first = " ".join(PdfReader(io.BytesIO(letters.letters_pdf(letters.letters_for(conference)))).pages[0]
                     .extract_text().split())
    assert first.startswith("UBND TỈNH BẮC GIANG SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH BẮC GIANG")
    assert "/GM-KHCN" in first and "Bắc Giang, ngày" in first and "Quảng Ngãi" not in first
    assert "KT." not in first and "GIÁM ĐỐC Nguyễn Thanh Bình" in first
    document = notice.build_notice(conference)
    assert (document.parent_name, document.host_name) == ("UBND TỈNH BẮC GIANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH BẮC GIANG")
    assert document.place_date.startswith("Bắc Giang, ngày") and document.number_symbol.endswith("/TB-KHCN")
    assert document.signer_name == "Nguyễn Thanh Bình"


def test_a_joint_plan_names_two_agencies(organizer_client, db):
    _host(db)
    joint = PLAN | {"co_issuer_name": "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tây Ninh",
                    "co_issuer_abbreviation": "LHH"}
    assert organizer_client.post("/hoi-nghi/moi", data=joint).status_code == 303
    head = letterhead_for(db.session.scalar(sa.select(Conference)))
    assert head.joint and [i.abbreviation for i in head.issuers] == ["SKHCN", "LHH"]


def test_a_half_named_issuer_is_refused_in_vietnamese(organizer_client, db):
    _host(db)
    response = organizer_client.post("/hoi-nghi/moi", data=PLAN | {"co_issuer_name": "Tỉnh Đoàn"})
    assert response.status_code == 422
    assert "chữ viết tắt của cơ quan phối hợp" in response.get_data(as_text=True)
    response = organizer_client.post("/hoi-nghi/moi", data=PLAN | {"issuer_abbreviation": "KHCN"})
    assert response.status_code == 422 and "tên cơ quan ban hành" in response.get_data(as_text=True)
    long = organizer_client.post("/hoi-nghi/moi", data=PLAN | {"issuer_abbreviation": "K" * 31})
    assert long.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0
