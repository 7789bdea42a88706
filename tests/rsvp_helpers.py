"""Factories shared by the sending and RSVP tests: agencies and invitations."""

from __future__ import annotations

import itertools

from eventapp.models import Agency, AgencyGroup, Invitation

_counter = itertools.count(1)


def make_agency(db, name: str | None = None, **fields) -> Agency:
    group = db.session.query(AgencyGroup).filter_by(name="Sở, ban, ngành").first()
    if group is None:
        group = AgencyGroup(name="Sở, ban, ngành", position=1)
        db.session.add(group)
    agency = Agency(name=name or f"Sở Nông nghiệp và Môi trường {next(_counter)}", group=group, **fields)
    db.session.add(agency)
    db.session.commit()
    return agency


def invite_person(db, conference, name="Nguyễn Văn Đức", position="Giám đốc Sở Tài chính",
                  email="duc@example.vn", **fields) -> Invitation:
    invitation = Invitation(conference_id=conference.id, kind="person", invitee_name=name,
                            invitee_position=position, email=email, **fields)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def invite_agency(db, conference, seats=3, email="vanthu@snn.example.vn", **fields) -> Invitation:
    agency = fields.pop("agency", None) or make_agency(db)
    invitation = Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, seats=seats,
                            role_text="Đại diện lãnh đạo và chuyên viên phụ trách", email=email, **fields)
    db.session.add(invitation)
    db.session.commit()
    return invitation
