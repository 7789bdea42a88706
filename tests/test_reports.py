"""The report of a conference: its figures on a realistic data set, the workbook, constant query count."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import sqlalchemy as sa

from eventapp import vntime
from eventapp.demo.loader import load_demo
from eventapp.models import (
    Agency,
    AgencyGroup,
    AgendaItem,
    BudgetLine,
    CheckIn,
    Conference,
    Delegate,
    Invitation,
    Paper,
    Task,
)
from eventapp.reports import services
from tests.conftest import count_queries


def build(db, make_conference, make_department, make_venue, n_agencies=6):
    """A past tổng kết: 2 groups, agencies with seats, confirmations, a substitute, walk-ins, papers, budget, tasks."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    conference = make_conference(starts_at=start, ends_at=start + timedelta(hours=4), venue_id=make_venue().id)
    so, xa = AgencyGroup(name="Sở, ban, ngành", position=1), AgencyGroup(name="UBND cấp xã, phường", position=2)
    db.session.add_all([so, xa])
    db.session.flush()
    agencies = [Agency(name=f"Sở Thử nghiệm {i}", group_id=so.id) for i in range(n_agencies // 2)]
    agencies += [Agency(name=f"UBND xã Thử nghiệm {i}", group_id=xa.id) for i in range(n_agencies - n_agencies // 2)]
    db.session.add_all(agencies)
    db.session.flush()
    invitations = []
    for i, agency in enumerate(agencies):
        status = "declined" if i == 1 else "attending"
        invitations.append(Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, seats=2,
                                      status=status, position=i))
    person = Invitation(conference_id=conference.id, kind="person", invitee_name="Phan Văn Hiếu",
                        invitee_position="Phó Giám đốc Sở", seats=1, status="attending")
    db.session.add_all(invitations + [person])
    db.session.flush()
    delegates = []
    for i, invitation in enumerate(invitations):
        if invitation.status != "attending":
            continue
        delegates.append(Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="named",
                                  full_name=f"Nguyễn Văn Đại {i}", agency_name=invitation.agency.name))
        delegates.append(Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="named",
                                  full_name=f"Trần Thị Biểu {i}", agency_name=invitation.agency.name))
    substitute = Delegate(conference_id=conference.id, invitation_id=person.id, kind="substitute",
                          full_name="Lê Văn Thay", replaces_name="Phan Văn Hiếu", agency_name="Sở KH&CN")
    cancelled = Delegate(conference_id=conference.id, invitation_id=invitations[0].id, kind="named",
                         full_name="Võ Thị Hủy", status="cancelled")
    walk_in = Delegate(conference_id=conference.id, kind="walk_in", full_name="Huỳnh Văn Vãng",
                       agency_name="Báo Quảng Ngãi")
    db.session.add_all(delegates + [substitute, cancelled, walk_in])
    db.session.flush()
    # everyone but the "Trần Thị Biểu" of the first two attending agencies arrives; one check-in was undone
    absent_names = {"Trần Thị Biểu 0", "Trần Thị Biểu 2"}
    for d in delegates + [substitute, walk_in]:
        if d.full_name in absent_names:
            db.session.add(CheckIn(conference_id=conference.id, delegate_id=d.id, checked_in_at=start,
                                   undone_at=start + timedelta(minutes=1)))
            continue
        db.session.add(CheckIn(conference_id=conference.id, delegate_id=d.id, checked_in_at=start))
    accepted = Paper(conference_id=conference.id, speaker_name="Đặng Thị Kim Oanh", speaker_agency="Phòng QLKH",
                     topic="Kết quả chuyển giao", title="Kết quả chuyển giao tiến bộ KH&CN", deadline=start,
                     status="accepted")
    draft = Paper(conference_id=conference.id, speaker_name="Người Chưa Nộp", topic="Chưa nộp", deadline=start)
    db.session.add_all([accepted, draft])
    db.session.flush()
    db.session.add_all([
        AgendaItem(conference_id=conference.id, position=1, kind="opening", title="Khai mạc", duration_minutes=10),
        AgendaItem(conference_id=conference.id, position=2, kind="paper", title="Tham luận", duration_minutes=15,
                   paper_id=accepted.id),
    ])
    db.session.add_all([
        BudgetLine(conference_id=conference.id, category="hall", content="Thuê hội trường", quantity=1, days=1,
                   unit_price=8_000_000, actual_amount=8_000_000),
        BudgetLine(conference_id=conference.id, category="water", content="Nước uống", quantity=150, days=1,
                   unit_price=40_000, actual_amount=6_500_000),
        BudgetLine(conference_id=conference.id, category="documents", content="Tài liệu", quantity=150, days=1,
                   unit_price=60_000, actual_amount=8_700_000),
    ])
    lead = make_department()
    today = vntime.today()
    db.session.add_all([
        Task(conference_id=conference.id, title="Phát hành giấy mời", lead_department_id=lead.id,
             due_date=today - timedelta(days=12), status="done",
             completed_at=vntime.local_to_utc(datetime.combine(today - timedelta(days=13), datetime.min.time()))),
        Task(conference_id=conference.id, title="Thuê hội trường", lead_department_id=lead.id,
             due_date=today - timedelta(days=10), status="done",
             completed_at=vntime.local_to_utc(datetime.combine(today - timedelta(days=8), datetime.min.time()))),
        Task(conference_id=conference.id, title="Chứng từ thanh toán", lead_department_id=lead.id,
             due_date=today - timedelta(days=1), status="in_progress"),
        Task(conference_id=conference.id, title="Hủy bỏ", lead_department_id=lead.id, status="cancelled"),
    ])
    db.session.commit()
    return conference


def test_report_figures(db, make_conference, make_department, make_venue):
    conference = build(db, make_conference, make_department, make_venue)
    report = services.conference_report(conference)
    assert [g.name for g in report.groups] == ["Sở, ban, ngành", "UBND cấp xã, phường", "Khách mời cá nhân"]
    so = report.groups[0]
    assert (so.seats, so.confirmed, so.checked_in) == (6, 4, 2)  # one agency declined; two absent
    assert [(a.seats, a.confirmed, a.checked_in) for a in so.agencies] == [(2, 2, 1), (2, 0, 0), (2, 2, 1)]
    assert (report.seats, report.confirmed, report.checked_in_invited) == (13, 11, 9)
    assert report.checked_in == 10 and report.attendance_rate == 82
    assert sorted(p.full_name for p in report.absent) == ["Trần Thị Biểu 0", "Trần Thị Biểu 2"]
    assert [(p.full_name, p.replaces_name) for p in report.substitutes] == [("Lê Văn Thay", "Phan Văn Hiếu")]
    assert [p.full_name for p in report.walk_ins] == ["Huỳnh Văn Vãng"]
    assert [p.title for p in report.papers] == ["Kết quả chuyển giao tiến bộ KH&CN"]
    assert report.budget.total == 8_000_000 + 6_000_000 + 9_000_000
    assert report.budget.actual_total == 23_200_000 and report.budget.difference == 200_000
    water = next(g for g in report.budget.categories if g.category == "water")
    assert water.difference == 500_000
    assert [t.title for t in report.tasks_done] == ["Phát hành giấy mời", "Thuê hội trường"]
    assert [t.title for t in report.tasks_done_late] == ["Thuê hội trường"]
    assert [t.title for t in report.tasks_late] == ["Chứng từ thanh toán"] and report.tasks_counted == 3
    chart = services.budget_chart(report.budget)
    assert len(chart["bars"]) == 3 and any(b.over for b in chart["bars"])


def test_report_page_and_workbook(db, organizer_client, make_conference, make_department, make_venue):
    conference = build(db, make_conference, make_department, make_venue)
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Trần Thị Biểu 0" in body and "Lê Văn Thay" in body and "Huỳnh Văn Vãng" in body
    assert "<svg" in body and "Thực chi" in body and "23.200.000 đ" in body
    assert "Chứng từ thanh toán" in body and "2/3 hoàn thành" in body
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Tham dự", "Vắng mặt", "Người đi thay", "Khách không báo trước", "Tham luận",
                             "Kinh phí", "Nhiệm vụ"]
    rows = list(wb["Tham dự"].iter_rows(min_row=5, values_only=True))
    assert ("Tổng cộng", 13, 11, 9) in rows
    budget = {r[0]: r[1:] for r in wb["Kinh phí"].iter_rows(min_row=5, values_only=True)}
    assert budget["Tổng cộng"] == (23_000_000, 23_200_000, 200_000)
    assert wb["Kinh phí"]["B5"].number_format == "#,##0"
    assert len(list(wb["Vắng mặt"].iter_rows(min_row=5))) == 2


def test_report_of_an_empty_conference(db, organizer_client, make_conference):
    conference = make_conference()
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hội nghị chưa diễn ra" in body and "Chưa có dự toán kinh phí" in body
    assert organizer_client.get("/hoi-nghi/99999/bao-cao").status_code == 404


def test_report_query_count_is_constant(db, organizer_client, make_conference, make_department, make_venue):
    counts = []
    for n in (10, 1000):
        conference = build(db, make_conference, make_department, make_venue, n_agencies=n) if n == 10 else None
        if conference is None:
            conference = make_conference(title="Hội nghị lớn", venue_id=make_venue(name="Trung tâm Hội nghị tỉnh").id)
            group = AgencyGroup(name="Doanh nghiệp", position=9)
            db.session.add(group)
            db.session.flush()
            db.session.execute(sa.insert(Agency), [{"name": f"Doanh nghiệp {i}", "group_id": group.id,
                                                     "search_text": ""} for i in range(n)])
            agency_ids = db.session.scalars(sa.select(Agency.id).where(Agency.group_id == group.id)).all()
            now = datetime.now(UTC)
            db.session.execute(sa.insert(Invitation), [
                {"conference_id": conference.id, "kind": "agency", "agency_id": a, "seats": 1, "status": "attending",
                 "rsvp_token": f"tok-{a}", "created_at": now} for a in agency_ids])
            inv_ids = db.session.scalars(sa.select(Invitation.id).where(
                Invitation.conference_id == conference.id)).all()
            db.session.execute(sa.insert(Delegate), [
                {"conference_id": conference.id, "invitation_id": i, "kind": "named", "full_name": f"Đại biểu {i}",
                 "pass_code": f"pc-{i}", "status": "attending", "created_at": now} for i in inv_ids])
            lead = make_department()
            db.session.execute(sa.insert(Task), [
                {"conference_id": conference.id, "title": f"Việc {i}", "lead_department_id": lead.id,
                 "status": "todo", "description": "", "assignee_name": "", "notes": "", "position": i,
                 "created_at": now, "updated_at": now} for i in range(n)])
            db.session.execute(sa.insert(BudgetLine), [
                {"conference_id": conference.id, "category": "other", "content": f"Khoản {i}", "quantity": 1,
                 "days": 1, "unit_price": 1000} for i in range(n)])
            db.session.commit()
        organizer_client.get("/dinh-muc-chi")
        with count_queries() as queries:
            assert organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao").status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1], counts


def test_report_on_demo_data(db, organizer_client):
    load_demo(password="mat-khau-demo-1")
    past = db.session.scalars(sa.select(Conference).where(Conference.ends_at < datetime.now(UTC))).all()
    assert past
    for conference in past:
        report = services.conference_report(conference)
        delegates = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(
            Delegate.conference_id == conference.id, Delegate.status == "attending", Delegate.kind != "walk_in"))
        assert report.confirmed == delegates
        assert report.checked_in_invited + len(report.absent) == report.confirmed
        lines = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.amount), 0)).where(
            BudgetLine.conference_id == conference.id))
        assert report.budget.total == lines
        assert organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao").status_code == 200
