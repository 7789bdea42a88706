"""Answers sent at the same moment (two tabs, a double click): served one after the other per invitation, on
SQLite and on PostgreSQL, over real concurrent requests."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from eventapp.models import AuditEntry, Delegate, OutboxMessage

#: Invitations raced in each test; each gets its two answers at once.
ROUNDS = 12


def _at_once(app, requests: list[tuple[str, dict]]) -> list[int]:
    """POST every (url, form) of ``requests`` from a browser tab of its own, all released at the same instant;
    their statuses."""
    start = threading.Barrier(len(requests))
    statuses: list[int | None] = [None] * len(requests)
    errors: list[BaseException] = []

    def tab(index: int, url: str, data: dict):
        client = app.test_client()
        try:
            start.wait(10)
            statuses[index] = client.post(url, data=data).status_code
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=tab, args=(i, url, data)) for i, (url, data) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return statuses


def _attending(db, invitation_id: int) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(sa.select(Delegate.full_name).where(
        Delegate.invitation_id == invitation_id, Delegate.status == "attending")))


def test_two_tabs_naming_different_substitutes_leave_one(app, db, make_conference, make_invitation):
    """A person invitation answered «send a substitute» in two tabs at once, each naming someone else: one
    substitute attends (the answer that came last), never two with a pass each."""
    conference = make_conference()
    for n in range(ROUNDS):
        invitation = make_invitation(conference, invitee_name=f"Nguyễn Văn Đức {n}", email="")
        url = f"/moi/{invitation.rsvp_token}"
        statuses = _at_once(app, [
            (url, {"choice": "substitute", "substitute-full_name": f"Lê Thị Mai {n}",
                   "substitute-email": f"mai{n}@example.vn"}),
            (url, {"choice": "substitute", "substitute-full_name": f"Trần Văn Bình {n}",
                   "substitute-email": f"binh{n}@example.vn"}),
        ])
        assert statuses == [303, 303]
        attending = _attending(db, invitation.id)
        assert len(attending) == 1 and attending[0] in {f"Lê Thị Mai {n}", f"Trần Văn Bình {n}"}, attending


def test_two_tabs_of_an_agency_never_exceed_its_seats(app, db, make_conference, make_invitation):
    """An agency invited with 2 seats names two people in each of two tabs at once: 2 attend, not 4."""
    conference = make_conference()
    for n in range(ROUNDS):
        invitation = make_invitation(conference, "agency", seats=2)
        url = f"/moi/{invitation.rsvp_token}"
        statuses = _at_once(app, [
            (url, {"choice": "attend", "people-0-full_name": f"Phạm Văn An {n}",
                   "people-1-full_name": f"Võ Thị Hoa {n}"}),
            (url, {"choice": "attend", "people-0-full_name": f"Đặng Văn Cường {n}",
                   "people-1-full_name": f"Hồ Thị Lan {n}"}),
        ])
        assert statuses == [303, 303]
        attending = _attending(db, invitation.id)
        assert attending in ([f"Phạm Văn An {n}", f"Võ Thị Hoa {n}"], [f"Hồ Thị Lan {n}", f"Đặng Văn Cường {n}"]), \
            attending


def test_a_double_click_records_one_answer_and_sends_one_pass(app, db, make_conference, make_invitation):
    conference = make_conference()
    for n in range(ROUNDS):
        invitation = make_invitation(conference, invitee_name=f"Bùi Văn Tâm {n}", email=f"tam{n}@example.vn")
        url = f"/moi/{invitation.rsvp_token}"
        assert _at_once(app, [(url, {"choice": "attend"})] * 3) == [303, 303, 303]
        assert _attending(db, invitation.id) == [f"Bùi Văn Tâm {n}"]
        mails = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.invitation_id == invitation.id, OutboxMessage.purpose == "pass"))
        answers = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "invitation.answer", AuditEntry.entity_id == invitation.id))
        assert (mails, answers) == (1, 1)
