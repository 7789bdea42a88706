"""The demo data set: realistic, consistent with itself, and loaded idempotently."""

from __future__ import annotations

import sqlalchemy as sa

from eventapp import text
from eventapp.demo import data
from eventapp.demo.loader import load_demo
from eventapp.models import (
    Agency,
    AgendaItem,
    BudgetLine,
    CheckIn,
    Conference,
    Delegate,
    Department,
    Invitation,
    Paper,
    Task,
    User,
    WorkProgramItem,
)
from eventapp.seniority import precedence_for
from eventapp.tasks.templates import TEMPLATES
from eventapp.workprogram.parser import parse_work_program_text

CATEGORIES = {"hall", "documents", "speakers", "water", "meals", "decoration", "other"}


def _seats(key):
    return sum(inv["seats"] for inv in data.INVITATIONS[key])


def test_work_program_parses_seed_003_as_it_is():
    year, rows, problems = parse_work_program_text(data.WORK_PROGRAM_SEED.read_text(encoding="utf-8"))
    assert year == 2021
    assert problems == []
    assert [r["number"] for r in rows] == list(range(1, 73))
    assert {r["month"] for r in rows} == set(range(1, 13))
    assert rows[0]["month"] == 1 and rows[0]["person_in_charge"] == "Đ/c Nguyễn Văn Phát"
    assert rows[71]["approving_body"] == "Đảng đoàn, Thường trực."
    assert rows[71]["coordinating_unit"] == "Đảng đoàn, Chi bộ, công đoàn LHH"
    assert all(r["content"] and r["drafting_unit"] for r in rows)


def test_quang_ngai_budgets_sum_to_54_million():
    for key in (data.QN2021, data.QN2026):
        lines = data.BUDGET[key]
        assert sum(line["quantity"] * line["days"] * line["unit_price"] for line in lines) == 54_000_000
        assert {line["category"] for line in lines} <= CATEGORIES
        assert all(isinstance(line["unit_price"], int) for line in lines)
    assert all(line["actual_amount"] is not None for line in data.BUDGET[data.QN2021])
    assert data.CONFERENCE[data.QN2021]["approved_budget"] == 54_000_000


def test_invitation_lists_have_the_planned_size():
    assert 140 <= _seats(data.QN2021) <= 160
    assert 140 <= _seats(data.QN2026) <= 160
    assert 45 <= _seats(data.BG2020) <= 50
    people = lambda key: [d for inv in data.INVITATIONS[key] for d in inv["delegates"]]  # noqa: E731
    attending_2021 = [d for d in people(data.QN2021) if d["status"] == "attending"]
    assert 130 <= len(attending_2021) + len(data.WALK_INS[data.QN2021]) <= 160
    bg = [d for d in people(data.BG2020) if d["status"] == "attending"] + data.WALK_INS[data.BG2020]
    assert 45 <= len(bg) <= 50


def test_answers_past_and_upcoming():
    past = data.INVITATIONS[data.QN2021]
    statuses = [inv["status"] for inv in past]
    assert statuses.count("attending") > 0.8 * len(past)
    assert all(inv["decline_reason"] for inv in past if inv["status"] == "declined")
    subs = [d for inv in past for d in inv["delegates"] if d["kind"] == "substitute"]
    assert len(subs) >= 2 and all(d["replaces_name"] for d in subs)
    assert 3 <= len(data.WALK_INS[data.QN2021]) <= 4
    times = [d["checked_in_at"] for inv in past for d in inv["delegates"] if d["checked_in_at"]]
    assert times and all(t.hour == 7 and t.minute < 40 for t in times)

    upcoming = data.INVITATIONS[data.QN2026]
    n = len(upcoming)
    count = lambda s: sum(inv["status"] == s for inv in upcoming)  # noqa: E731
    assert 0.3 * n <= count("pending") <= 0.5 * n
    assert 0.35 * n <= count("attending") <= 0.6 * n
    assert 0.05 * n <= count("declined") <= 0.15 * n
    assert not any(d["checked_in_at"] for inv in upcoming for d in inv["delegates"])


def test_references_are_consistent():
    groups = set(data.AGENCY_GROUPS)
    agencies = {a["name"] for a in data.AGENCIES}
    assert all(a["group"] in groups for a in data.AGENCIES)
    departments = {d["abbreviation"] for d in data.DEPARTMENTS}
    for tasks in [*data.TASKS.values(), *TEMPLATES.values()]:
        for t in tasks:
            assert t["lead"] in departments and set(t["coordinating"]) <= departments, t
    assert all(u["department"] in departments for u in data.USERS if u["department"])
    for key, invs in data.INVITATIONS.items():
        for inv in invs:
            assert inv["agency"] is None or inv["agency"] in agencies
            assert inv["kind"] == "person" or inv["agency"]
        for item in data.AGENDA[key]:
            assert item["paper"] is None or item["paper"] < len(data.PAPERS[key])
    for key, papers in data.PAPERS.items():  # every speaker is a delegate
        names = {d["full_name"] for inv in data.INVITATIONS[key] for d in inv["delegates"]}
        assert all(p["speaker_name"] in names for p in papers)
    assert len(data.PAPERS[data.QN2021]) == 5 and {p["status"] for p in data.PAPERS[data.QN2021]} == {"accepted"}
    assert {"invited", "submitted", "revision_requested", "accepted"} <= {p["status"] for p in data.PAPERS[data.QN2026]}
    for key in data.TASKS:
        tasks = data.TASKS[key]
        assert len({t["title"] for t in tasks}) == len(tasks)
    late = [t for t in data.TASKS[data.QN2021] if t["status"] != "done"]
    assert len(late) == 1


def test_names_phones_and_emails_are_realistic():
    names = [u["full_name"] for u in data.USERS] + [a["contact_name"] for a in data.AGENCIES]
    names += [d["full_name"] for invs in data.INVITATIONS.values() for inv in invs for d in inv["delegates"]]
    names += [w["full_name"] for ws in data.WALK_INS.values() for w in ws]
    assert all(data.has_diacritics(n) and len(n.split()) >= 3 for n in names), [n for n in names
                                                                                 if not data.has_diacritics(n)]
    phones = [a["phone"] for a in data.AGENCIES] + [data.HOST["phone"]]
    phones += [d["phone"] for invs in data.INVITATIONS.values() for inv in invs for d in inv["delegates"]]
    phones += [inv["phone"] for invs in data.INVITATIONS.values() for inv in invs]
    for phone in filter(None, phones):
        assert text.normalize_phone(phone) == phone
    emails = [a["email"] for a in data.AGENCIES] + [d["email"] for d in data.DEPARTMENTS]
    emails += [d["email"] for invs in data.INVITATIONS.values() for inv in invs for d in inv["delegates"]]
    for email in filter(None, emails):
        assert text.normalize_email(email) == email


def _counts(db):
    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Conference, Invitation, Delegate, CheckIn, Paper, AgendaItem, BudgetLine, Task, Agency,
                      Department, User, WorkProgramItem)}


def test_load_demo_is_idempotent_and_complete(db):
    summary = load_demo(password="matkhau-demo-1")
    assert summary.startswith("Đã nạp: 4 hội nghị")  # the three of the seeds and the door's (demo/door.py)
    first = _counts(db)
    assert load_demo(password="matkhau-demo-1") == "Dữ liệu mẫu đã có đủ; không thêm gì mới."
    assert _counts(db) == first
    assert first["WorkProgramItem"] == 72 and first["Conference"] == 4

    conf = db.session.scalar(sa.select(Conference).where(Conference.number_symbol == "254/KH-SKHCN"))
    budget = db.session.scalar(sa.select(sa.func.sum(BudgetLine.amount)).where(BudgetLine.conference_id == conf.id))
    assert budget == 54_000_000
    seats = db.session.scalar(sa.select(sa.func.sum(Invitation.seats)).where(Invitation.conference_id == conf.id))
    assert 140 <= seats <= 160
    attending = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(
        Delegate.conference_id == conf.id, Delegate.status == "attending"))
    assert 130 <= attending <= 160
    assert conf.search_text and conf.agenda_published_at is not None
    assert conf.starts_at.hour == 0 and conf.starts_at.minute == 30  # 07:30 in Vietnam
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem).where(
        AgendaItem.conference_id == conf.id, AgendaItem.paper_id.is_not(None))) == 5

    for username in ("quantri", "tochuc", "letan1", "phong.khtc"):
        user = db.session.scalar(sa.select(User).where(User.username == username))
        assert user.check_password("matkhau-demo-1")
    director = db.session.scalar(sa.select(Delegate).where(Delegate.full_name == "Lê Quang Thịnh").limit(1))
    assert director.precedence == 10 and "le quang thinh" in director.search_text
    ranked = db.session.execute(sa.select(Delegate.position, Delegate.precedence)).all()
    assert all(precedence == precedence_for(position) for position, precedence in ranked)
    late = db.session.scalars(sa.select(Task).where(Task.conference_id == conf.id, Task.status != "done")).all()
    assert len(late) == 1 and late[0].due_date.isoformat() == "2021-04-20"
