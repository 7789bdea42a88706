"""Load the demo data (``eventapp.demo.data``) into the database: idempotent.

The host agency and its departments are committed first, with the spending norms and the task templates: these
are the features' reference data, loaded and committed by their own services as on any installation. The rest is
added in one transaction. Every record is looked up by its natural key first (department abbreviation, username,
agency name, group name, venue name and room, conference number and title, work program year and number); a
conference's invitations, delegates, check-ins, papers, agenda, budget and tasks are created only together with the
conference itself.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

import sqlalchemy as sa

from .. import text, vntime
from ..agenda.services import presenter_of
from ..budget.services import ensure_default_norms
from ..conferences.services import refresh_search_text
from ..extensions import db
from ..models import (
    Agency,
    AgencyGroup,
    AgendaItem,
    BudgetLine,
    CheckIn,
    Conference,
    Delegate,
    Department,
    HostAgency,
    Invitation,
    Paper,
    PaperEvent,
    Task,
    User,
    Venue,
    WorkProgramItem,
)
from ..seniority import precedence_for
from ..tasks.services import ensure_task_templates
from ..workprogram.parser import parse_work_program_text
from . import data, door
from .hall import load_hall
from .paper_files import attach_demo_file


def _utc(local: datetime | None) -> datetime | None:
    return vntime.local_to_utc(local) if local is not None else None


def _one(stmt):
    return db.session.scalars(stmt.limit(1)).first()


class _Loader:
    def __init__(self, password: str):
        self.password = password
        self.added: Counter[str] = Counter()
        self.departments: dict[str, Department] = {}
        self.users: dict[str, User] = {}
        self.groups: dict[str, AgencyGroup] = {}
        self.agencies: dict[str, Agency] = {}
        self.venues: dict[tuple[str, str], Venue] = {}

    # --- directory ------------------------------------------------------------------------

    def host(self) -> None:
        if _one(sa.select(HostAgency)) is None:
            db.session.add(HostAgency(**data.HOST))
            self.added["host"] += 1

    def load_departments(self) -> None:
        for d in data.DEPARTMENTS:
            dep = _one(sa.select(Department).where(Department.abbreviation == d["abbreviation"]))
            if dep is None:
                dep = _one(sa.select(Department).where(Department.name == d["name"]))
            if dep is None:
                dep = Department(name=d["name"], abbreviation=d["abbreviation"], email=d["email"],
                                 position=d["position"])
                db.session.add(dep)
                self.added["departments"] += 1
            self.departments[d["abbreviation"]] = dep
        db.session.flush()

    def load_users(self) -> None:
        for u in data.USERS:
            user = _one(sa.select(User).where(User.username == u["username"]))
            if user is None:
                user = User(username=u["username"], full_name=u["full_name"], email=u["email"], role=u["role"],
                            department=self.departments.get(u["department"]) if u["department"] else None)
                user.set_password(self.password)
                db.session.add(user)
                self.added["users"] += 1
            self.users[u["username"]] = user
        db.session.flush()

    def load_agencies(self) -> None:
        for position, name in enumerate(data.AGENCY_GROUPS, start=1):
            group = _one(sa.select(AgencyGroup).where(AgencyGroup.name == name))
            if group is None:
                group = AgencyGroup(name=name, position=position)
                db.session.add(group)
                self.added["groups"] += 1
            self.groups[name] = group
        db.session.flush()
        for a in data.AGENCIES:
            agency = _one(sa.select(Agency).where(Agency.name == a["name"]))
            if agency is None:
                agency = Agency(name=a["name"], short_name=a["short_name"], group=self.groups[a["group"]],
                                address=a["address"], email=a["email"], phone=a["phone"],
                                contact_name=a["contact_name"], contact_position=a["contact_position"],
                                search_text=text.search_key(a["name"], a["short_name"])[:500])
                db.session.add(agency)
                self.added["agencies"] += 1
            self.agencies[a["name"]] = agency
        for v in data.VENUES:
            venue = _one(sa.select(Venue).where(Venue.name == v["name"], Venue.room == v["room"]))
            if venue is None:
                venue = Venue(**v)
                db.session.add(venue)
                self.added["venues"] += 1
            self.venues[(v["name"], v["room"])] = venue
        db.session.flush()

    # --- norms, templates, work program ---------------------------------------------------

    def load_norms(self) -> None:
        self.added["norms"] += ensure_default_norms()

    def load_templates(self) -> None:
        self.added["templates"] += ensure_task_templates()

    def load_work_program(self) -> None:
        year, rows, _problems = parse_work_program_text(data.WORK_PROGRAM_SEED.read_text(encoding="utf-8"))
        existing = set(db.session.scalars(sa.select(WorkProgramItem.number).where(WorkProgramItem.year == year)))
        for row in rows:
            if row["number"] in existing:
                continue
            db.session.add(WorkProgramItem(
                year=year, number=row["number"], content=row["content"], month=row["month"],
                drafting_unit=row["drafting_unit"], person_in_charge=row["person_in_charge"],
                coordinating_unit=row["coordinating_unit"], approving_body=row["approving_body"],
                search_text=text.search_key(row["content"], row["drafting_unit"], row["person_in_charge"],
                                            row["coordinating_unit"])[:1000],
            ))
            self.added["work_program"] += 1

    # --- conferences ----------------------------------------------------------------------

    def load_conferences(self) -> None:
        for c in data.CONFERENCES:
            conference = self._conference(c)
            if conference is None:
                continue
            delegates = self.invitations(conference, c["key"])
            self.papers_and_agenda(conference, c["key"], delegates)
            self.budget(conference, c["key"])
            self.tasks(conference, c)
            self.added["hall"] += load_hall(conference, c["key"], self.departments, self.users)

    def load_door_conference(self) -> None:
        """The conference held today and tomorrow (eventapp.demo.door): only its invitations and delegates."""
        conference = self._conference(door.door_conference(vntime.today()))
        if conference is not None:
            self.invitations(conference, data.QN2026)

    def _conference(self, c: dict) -> Conference | None:
        """A new conference from its description, or None when the demo already has it."""
        found = _one(sa.select(Conference).where(Conference.number_symbol == c["number_symbol"],
                                                 Conference.title == c["title"]))
        if found is not None:
            return None
        conference = Conference(
            kind=c["kind"], title=c["title"], number_symbol=c["number_symbol"], purpose=c["purpose"],
            content=c["content"], chair=c["chair"], preparation=c["preparation"],
            starts_at=_utc(c["starts_at"]), ends_at=_utc(c["ends_at"]), venue=self.venues[c["venue"]],
            expected_attendance=c["expected_attendance"], rsvp_deadline=_utc(c["rsvp_deadline"]),
            lead_department=self.departments[c["lead"]], approved_budget=c["approved_budget"],
            funding_source=c["funding_source"], contact_name=c["contact_name"],
            contact_phone=c["contact_phone"], contact_email=c["contact_email"],
            agenda_published_at=_utc(c["agenda_published_at"]), created_by=self.users.get("tochuc"),
            created_at=_utc(datetime.combine(c["plan_date"], time(8, 0))), **c.get("issuer", {}),
            reception_minutes=c.get("reception_minutes"),
        )
        db.session.add(conference)
        db.session.flush()
        refresh_search_text(conference)
        self.added["conferences"] += 1
        return conference

    def _delegate(self, conference: Conference, invitation: Invitation | None, d: dict, kind: str) -> Delegate:
        agency = self.agencies.get(d["agency_name"])
        delegate = Delegate(
            conference_id=conference.id, invitation=invitation, kind=kind, full_name=d["full_name"],
            position=d["position"], agency_name=d["agency_name"], agency=agency, email=d.get("email", ""),
            phone=d.get("phone", ""), replaces_name=d.get("replaces_name", ""),
            status=d.get("status", "attending"), precedence=precedence_for(d["position"]),
            search_text=text.search_key(d["full_name"], d["position"], d["agency_name"])[:700],
        )
        db.session.add(delegate)
        self.added["delegates"] += 1
        return delegate

    def _check_in(self, conference: Conference, delegate: Delegate, at: datetime, method: str, i: int) -> None:
        reception = self.users.get("letan1" if i % 2 else "letan2")
        db.session.add(CheckIn(conference_id=conference.id, delegate=delegate, checked_in_at=_utc(at),
                               recorded_at=_utc(at), method=method, user_id=reception.id if reception else None))
        self.added["checkins"] += 1

    def invitations(self, conference: Conference, key: str) -> dict[str, Delegate]:
        by_name: dict[str, Delegate] = {}
        arrivals: list[tuple[datetime, Delegate, str]] = []
        for inv in data.INVITATIONS[key]:
            agency = self.agencies.get(inv["agency"]) if inv["agency"] else None
            invitation = Invitation(
                conference_id=conference.id, kind=inv["kind"], agency=agency, invitee_name=inv["invitee_name"],
                invitee_position=inv["invitee_position"], role_text=inv["role_text"], seats=inv["seats"],
                email=inv["email"], phone=inv["phone"], status=inv["status"], decline_reason=inv["decline_reason"],
                responded_at=_utc(inv["responded_at"]), first_sent_at=_utc(inv["sent_at"]), note=inv["note"],
                position=inv["position"] + 1, created_at=_utc(inv["sent_at"]),
                search_text=text.search_key(inv["invitee_name"], inv["invitee_position"], inv["role_text"],
                                            agency.name if agency else "", agency.short_name if agency else "",
                                            inv["email"])[:700],
            )
            db.session.add(invitation)
            self.added["invitations"] += 1
            for d in inv["delegates"]:
                delegate = self._delegate(conference, invitation, d, d["kind"])
                if d["status"] == "attending":
                    by_name.setdefault(d["full_name"], delegate)
                if d["checked_in_at"]:
                    arrivals.append((d["checked_in_at"], delegate, "scan"))
        for w in data.WALK_INS[key]:
            delegate = self._delegate(conference, None, w, "walk_in")
            arrivals.append((w["checked_in_at"], delegate, "walk_in"))
        db.session.flush()
        for i, (at, delegate, method) in enumerate(sorted(arrivals, key=lambda a: a[0])):
            self._check_in(conference, delegate, at, method, i)
        return by_name

    def papers_and_agenda(self, conference: Conference, key: str, delegates: dict[str, Delegate]) -> None:
        papers: list[Paper] = []
        for p in data.PAPERS[key]:
            paper = Paper(
                conference_id=conference.id, delegate=delegates.get(p["speaker_name"]),
                speaker_name=p["speaker_name"], speaker_position=p["speaker_position"],
                speaker_agency=p["speaker_agency"], speaker_email=p["speaker_email"],
                speaker_phone=p["speaker_phone"], topic=p["topic"], title=p["title"], summary=p["summary"],
                deadline=_utc(p["deadline"]), status=p["status"], organizer_comment=p["organizer_comment"],
                submitted_at=_utc(p["submitted_at"]), created_at=_utc(p["events"][0]["at"]),
            )
            for e in p["events"]:
                user = self.users.get(e["by_user"]) if e["by_user"] else None
                paper.events.append(PaperEvent(at=_utc(e["at"]), user_id=user.id if user else None,
                                               actor=e["actor"], from_status=e["from_status"],
                                               to_status=e["to_status"], comment=e["comment"]))
            db.session.add(paper)
            if paper.submitted_at is not None:  # a submitted paper came with its file
                db.session.add(attach_demo_file(paper, conference.title, paper.submitted_at))
            papers.append(paper)
            self.added["papers"] += 1
        db.session.flush()
        for position, item in enumerate(data.AGENDA[key], start=1):
            db.session.add(AgendaItem(
                conference_id=conference.id, position=position, kind=item["kind"], title=item["title"],
                presenter=item["presenter"] if item["presenter"] is not None else presenter_of(papers[item["paper"]]),
                duration_minutes=item["duration_minutes"],
                paper_id=papers[item["paper"]].id if item["paper"] is not None else None, notes=item["notes"],
            ))
            self.added["agenda"] += 1

    def budget(self, conference: Conference, key: str) -> None:
        for position, line in enumerate(data.BUDGET[key], start=1):
            db.session.add(BudgetLine(conference_id=conference.id, position=position, **line))
            self.added["budget_lines"] += 1

    def tasks(self, conference: Conference, c: dict) -> None:
        first_day = c["starts_at"].date()
        for position, t in enumerate(data.TASKS[c["key"]], start=1):
            task = Task(
                conference_id=conference.id, title=t["title"], lead_department=self.departments[t["lead"]],
                due_date=vntime.add_days(first_day, t["offset_days"]), due_offset_days=t["offset_days"],
                status=t["status"], notes=t["notes"], position=position,
                completed_at=_utc(datetime.combine(t["completed_on"], time(16, 30))) if t["completed_on"] else None,
                created_at=_utc(datetime.combine(c["plan_date"], time(9, 0))),
            )
            task.coordinating_departments = [self.departments[a] for a in t["coordinating"]]
            db.session.add(task)
            self.added["tasks"] += 1

    # --- summary --------------------------------------------------------------------------

    def summary(self) -> str:
        a = self.added
        if not any(a.values()):
            return "Dữ liệu mẫu đã có đủ; không thêm gì mới."
        parts = [
            ("conferences", "hội nghị"), ("delegates", "đại biểu"), ("invitations", "lượt mời"),
            ("checkins", "lượt check-in"), ("papers", "tham luận"), ("agenda", "mục chương trình nghị sự"),
            ("budget_lines", "dòng dự toán"), ("tasks", "nhiệm vụ"),
            ("hall", "mục tại hội trường (phát biểu, điểm danh, kết luận, tài liệu)"),
            ("work_program", "mục chương trình công tác"),
            ("agencies", "cơ quan, đơn vị"), ("groups", "nhóm cơ quan"), ("venues", "hội trường"),
            ("departments", "phòng, đơn vị thuộc Sở"), ("users", "tài khoản"), ("norms", "định mức chi"),
            ("templates", "mục nhiệm vụ mẫu"),
        ]
        return "Đã nạp: " + ", ".join(f"{a[k]} {label}" for k, label in parts if a[k]) + "."


def load_demo(password: str) -> str:
    """Load the demo data set (idempotent: a second run adds nothing) and return a Vietnamese summary."""
    loader = _Loader(password)
    try:
        loader.host()
        loader.load_departments()
        loader.load_norms()
        loader.load_templates()
        loader.load_users()
        loader.load_agencies()
        loader.load_work_program()
        loader.load_conferences()
        loader.load_door_conference()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return loader.summary()
