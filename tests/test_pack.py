"""The documents pack and the merged PDF: the demo's accepted papers come with files; an accepted paper
without one is shown as such in the pack and on the papers page."""

import io
import zipfile

import sqlalchemy as sa

from eventapp.models import Conference, Paper


def test_the_demos_accepted_papers_fill_the_pack_and_the_merged_pdf(organizer_client, db, app, tmp_path):
    from pypdf import PdfReader

    from eventapp.demo.loader import load_demo
    from eventapp.papers import pack

    load_demo(password="matkhau-demo-1")
    checked = 0
    for conference in db.session.scalars(sa.select(Conference)):
        summary = pack.pack_summary(conference)
        if not summary.accepted:
            continue
        checked += summary.accepted
        assert summary.with_file == summary.pdf == summary.accepted and not summary.without_file
        response = organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan/bo-tai-lieu.zip")
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        names = archive.namelist()
        assert names[0] == "00 - Muc luc.html" and len(names) == summary.accepted + 1
        index = archive.read(names[0]).decode()
        assert "Chưa có tham luận nào được duyệt" not in index and "chưa có tệp" not in index
        merged = organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan/tong-hop.pdf")
        assert merged.status_code == 200
        reader = PdfReader(io.BytesIO(merged.data))
        assert len(reader.outline) == summary.accepted
        text = " ".join(page.extract_text() for page in reader.pages)
        for entry in pack.pack_entries(conference):
            assert entry["paper"].speaker_name in text
        page = organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan").get_data(as_text=True)
        assert f"Ghép {summary.pdf} bài PDF" in page and "chưa có tệp" not in page
    assert checked >= 5


def test_an_accepted_paper_without_a_file_is_shown_as_such(organizer_client, db, make_conference):
    conference = make_conference()
    db.session.add(Paper(conference_id=conference.id, speaker_name="Đinh Văn Thành", topic="Cây dược liệu",
                         title="Cây dược liệu dưới tán rừng", status="accepted", deadline=conference.starts_at))
    db.session.commit()
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan").get_data(as_text=True)
    assert "Đã duyệt, chưa có tệp" in page and "1 tham luận đã duyệt chưa có tệp" in page
    assert "bài PDF</a>" not in page  # nothing to merge: no button that only leads back here
    archive = zipfile.ZipFile(io.BytesIO(organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan/bo-tai-lieu.zip").data))
    index = archive.read("00 - Muc luc.html").decode()
    assert archive.namelist() == ["00 - Muc luc.html"]
    assert "Cây dược liệu dưới tán rừng" in index and "Đã duyệt, chưa có tệp" in index
    assert "Chưa có tham luận nào được duyệt" not in index
    refused = organizer_client.get(f"/hoi-nghi/{conference.id}/tham-luan/tong-hop.pdf", follow_redirects=True)
    assert "Chưa có tham luận đã duyệt nào ở dạng PDF" in refused.get_data(as_text=True)
