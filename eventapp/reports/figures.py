"""How many were invited, confirmed and came: counted once, here, for the overview, the report page, its
workbook and the filed Báo cáo (they printed 142/134 and 130/138 for the same conference when each counted its
own way: walk-ins among the confirmed on one side, check-in rows instead of people on the other)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..checkin.attendance import days_attended
from ..extensions import db
from ..models import Conference, Delegate, DelegateKind, DelegateStatus, Invitation, InvitationStatus


@dataclass(frozen=True)
class AttendanceFigures:
    """The figures every page and document prints about who came."""

    seats_invited: int  #: seats of every invitation (an agency asked for two people counts two)
    #: Invited delegates (invitees, people an agency named, substitutes) still attending, of an invitation not
    #: declined (the hall's and the sign-in sheet's rule: an agency that declined sends nobody).
    confirmed: int
    arrived_invited: int  #: of the confirmed, those checked in on at least one day
    walk_ins: int  #: people registered at the door without an invitation, checked in

    @property
    def arrived(self) -> int:
        """Everyone who came: the invited who arrived and the walk-ins."""
        return self.arrived_invited + self.walk_ins

    @property
    def attendance_rate(self) -> int | None:
        """The share of confirmed delegates who came, in per cent."""
        return round(self.arrived_invited * 100 / self.confirmed) if self.confirmed else None


def attendance_figures(conference: Conference) -> AttendanceFigures:
    """Count ``conference``'s invited seats, confirmed delegates and arrivals (people, not check-ins: a delegate
    who came on three days is one; days come from ``checkin.attendance.days_attended``)."""
    seats = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Invitation.seats), 0))
                              .where(Invitation.conference_id == conference.id))
    delegates = db.session.execute(
        sa.select(Delegate.id, Delegate.kind)
        .outerjoin(Invitation, Invitation.id == Delegate.invitation_id)
        .where(Delegate.conference_id == conference.id, Delegate.status == DelegateStatus.ATTENDING,
               sa.or_(Invitation.id.is_(None), Invitation.status != InvitationStatus.DECLINED))
    ).all()
    came = days_attended(conference)
    invited = [d for d in delegates if d.kind != DelegateKind.WALK_IN]
    return AttendanceFigures(
        seats_invited=seats,
        confirmed=len(invited),
        arrived_invited=sum(1 for d in invited if d.id in came),
        walk_ins=sum(1 for d in delegates if d.kind == DelegateKind.WALK_IN and d.id in came),
    )
