"""Cloning a conference for its next session: what is copied, what is not, and the dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from eventapp import vntime
from eventapp.models import (
    Agency,
    AgencyGroup,
    AgendaItem,
    AuditEntry,
    BudgetLine,
    CheckIn,
    Conference,
    Delegate,
    Invitation,
    Paper,
    PaperFile,
    Scan,
    Task,
)


def local(y, m, d, hh=8, mm=0):
    return vntime.local_to_utc(datetime(y, m, d, hh, mm))


def source_conference(db, make_conference, make_department, make_venue):
    lead, helper = make_department(), make_department()
    conference = make_conference(kind="giao_ban", title="Hội nghị giao ban KH&CN quý III", starts_at=local(2026, 7, 28),
                                 ends_at=local(2026, 7, 28, 11, 30), rsvp_deadline=local(2026, 7, 24, 17),
                                 venue_id=make_venue().id, lead_department_id=lead.id, funding_source="Sự nghiệp KH&CN")
    group = AgencyGroup(name="UBND cấp xã, phường", position=1)
    db.session.add(group)
    db.session.flush()
    agency = Agency(name="UBND phường Trần Phú", group_id=group.id)
    db.session.add(agency)
    db.session.flush()
    invitation = Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, seats=2,
                            role_text="Đại diện lãnh đạo", status="declined", decline_reason="Trùng lịch",
                            responded_at=local(2026, 7, 20), first_sent_at=local(2026, 7, 15), reminder_count=2)
    person = Invitation(conference_id=conference.id, kind="person", invitee_name="Phan Văn Hiếu", status="attending")
    db.session.add_all([invitation, person])
    db.session.flush()
    delegate = Delegate(conference_id=conference.id, invitation_id=person.id, kind="invitee", full_name="Phan Văn Hiếu")
    db.session.add(delegate)
    db.session.flush()
    db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id))
    db.session.add(Scan(conference_id=conference.id, code="x", result="ok", http_status=200))
    paper = Paper(conference_id=conference.id, speaker_name="Đặng Thị Kim Oanh", topic="Tham luận",
                  deadline=local(2026, 7, 20), status="accepted")
    db.session.add(paper)
    db.session.flush()
    db.session.add(PaperFile(paper_id=paper.id, version=1, original_name="a.pdf", stored_name="abc",
                             content_type="application/pdf", size_bytes=10, sha256="0" * 64))
    db.session.add_all([
        AgendaItem(conference_id=conference.id, position=1, kind="opening", title="Khai mạc", duration_minutes=10),
        AgendaItem(conference_id=conference.id, position=2, kind="paper", title="Tham luận của phường",
                   presenter="Đặng Thị Kim Oanh", duration_minutes=15, paper_id=paper.id),
        BudgetLine(conference_id=conference.id, category="water", content="Nước uống", quantity=50, days=1,
                   unit_price=40_000, actual_amount=1_900_000),
    ])
    relative = Task(conference_id=conference.id, title="Gửi giấy mời", lead_department_id=lead.id,
                    due_offset_days=-7, due_date=date(2026, 7, 21), status="done", notes="Đã gửi",
                    completed_at=local(2026, 7, 20))
    relative.coordinating_departments = [helper]
    fixed = Task(conference_id=conference.id, title="Thanh toán", lead_department_id=lead.id,
                 due_date=date(2026, 8, 10), status="in_progress")
    dropped = Task(conference_id=conference.id, title="Việc đã hủy", lead_department_id=lead.id, status="cancelled")
    db.session.add_all([relative, fixed, dropped])
    db.session.commit()
    return conference


def test_clone_copies_lists_agenda_budget_tasks_not_answers(db, organizer_client, make_conference, make_department,
                                                            make_venue):
    source = source_conference(db, make_conference, make_department, make_venue)
    page = organizer_client.get(f"/hoi-nghi/{source.id}/nhan-ban").get_data(as_text=True)
    assert "giao ban KH&amp;CN quý III" in page and "08:00" in page
    response = organizer_client.post(f"/hoi-nghi/{source.id}/nhan-ban", data={
        "title": "Hội nghị giao ban KH&CN quý IV", "start_date": "27/10/2026", "start_time": "08:00"})
    assert response.status_code == 303
    clone = db.session.scalar(sa.select(Conference).where(Conference.cloned_from_id == source.id))
    assert clone.title == "Hội nghị giao ban KH&CN quý IV" and clone.number_symbol == ""
    assert vntime.to_local(clone.ends_at) == datetime(2026, 10, 27, 11, 30, tzinfo=vntime.to_local(clone.ends_at).tzinfo)
    assert vntime.to_local(clone.rsvp_deadline).date() == date(2026, 10, 23)
    assert clone.venue_id == source.venue_id and clone.funding_source == "Sự nghiệp KH&CN"
    assert clone.kind == "giao_ban" and clone.agenda_published_at is None

    old = {i.kind: i for i in db.session.scalars(sa.select(Invitation).where(Invitation.conference_id == source.id))}
    new = {i.kind: i for i in db.session.scalars(sa.select(Invitation).where(Invitation.conference_id == clone.id))}
    assert set(new) == {"agency", "person"}
    assert new["agency"].seats == 2 and new["agency"].role_text == "Đại diện lãnh đạo"
    for kind in new:
        assert new[kind].status == "pending" and new[kind].rsvp_token != old[kind].rsvp_token
        assert new[kind].responded_at is None and new[kind].first_sent_at is None and new[kind].reminder_count == 0
        assert new[kind].decline_reason == ""

    agenda = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == clone.id)
                                .order_by(AgendaItem.position)).all()
    assert [a.title for a in agenda] == ["Khai mạc", "Tham luận của phường"] and all(a.paper_id is None for a in agenda)
    line = db.session.scalar(sa.select(BudgetLine).where(BudgetLine.conference_id == clone.id))
    assert line.amount == 2_000_000 and line.actual_amount is None

    tasks = {t.title: t for t in db.session.scalars(sa.select(Task).where(Task.conference_id == clone.id))}
    assert set(tasks) == {"Gửi giấy mời", "Thanh toán"}
    assert tasks["Gửi giấy mời"].due_date == date(2026, 10, 20) and tasks["Gửi giấy mời"].status == "todo"
    assert tasks["Gửi giấy mời"].notes == "" and tasks["Gửi giấy mời"].completed_at is None
    assert [d.id for d in tasks["Gửi giấy mời"].coordinating_departments] != []
    assert tasks["Thanh toán"].due_date == date(2026, 8, 10) + timedelta(days=91)

    for model in (Delegate, CheckIn, Scan, Paper):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                 .where(model.conference_id == clone.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperFile)) == 1
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "conference.clone"))
    assert entry.conference_id == clone.id


def test_clone_bad_input(db, organizer_client, make_conference):
    source = make_conference()
    response = organizer_client.post(f"/hoi-nghi/{source.id}/nhan-ban", data={
        "title": "", "start_date": "32/13/2026", "start_time": "25:00"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vui lòng nhập tên hội nghị." in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 1
    assert organizer_client.get("/hoi-nghi/99999/nhan-ban").status_code == 404
